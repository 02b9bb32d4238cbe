package localprogress

import "rt"

// Splice looks a key up in one state and inserts the row it found in the
// next; the row travels between the states in a local.
type Splice struct {
	src, dst *rt.Cursor
	state    int
	row      int
	inserted int
}

const (
	spLookup = iota
	spInsert
	spDone
)

// docs/bugs.md C4 case b, in a loop over a switch: re-entry after the
// insert's yield starts in spInsert with row back at zero.
func (s *Splice) LoopBuggy() (rt.IOResult[int], error) {
	row := 0
	for {
		switch s.state {
		case spLookup:
			r, err := s.src.Next()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			row = r.Value()
			s.state = spInsert
		case spInsert:
			r, err := s.dst.Insert(row) // want `row is read here with the value an earlier state's arm gave it, but when the function yields \(at carried\.go:\d+\) the state has moved past that arm: re-entry skips it`
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.inserted = r.Value()
			s.state = spDone
		default:
			return rt.Done(s.inserted), nil
		}
	}
}

// Fixed: the row is kept in the receiver by the state that reads it.
func (s *Splice) LoopFixed() (rt.IOResult[int], error) {
	for {
		switch s.state {
		case spLookup:
			r, err := s.src.Next()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.row = r.Value()
			s.state = spInsert
		case spInsert:
			r, err := s.dst.Insert(s.row)
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.inserted = r.Value()
			s.state = spDone
		default:
			return rt.Done(s.inserted), nil
		}
	}
}

// Phased answers a request in two phases marked by a flag; the answer's
// length is a local of the first phase, read after the second one's yield.
type Phased struct {
	cur     *rt.Cursor
	out     *rt.Cursor
	sent    bool
	started bool
	total   int
	length  int
}

func (p *Phased) FlagBuggy() (rt.IOResult[int], error) {
	var n int
	if !p.started {
		n = p.total * 2
		p.started = true
	}
	r, err := p.out.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	p.total += n // want `n is read here with the value an earlier state's arm gave it`
	return rt.Done(p.total), nil
}

// Fixed: re-entry reads the length back from the state the arm saved it
// in (the other edge of the join brings a load, not the initial value).
func (p *Phased) FlagRestored() (rt.IOResult[int], error) {
	var n int
	if !p.started {
		n = p.total * 2
		p.length = n
		p.started = true
	} else {
		n = p.length
	}
	r, err := p.out.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	p.total += n
	return rt.Done(p.total), nil
}

// Fixed: the flag is set after the yield, so re-entry takes the arm again
// and recomputes the local.
func (p *Phased) FlagAfter() (rt.IOResult[int], error) {
	var n int
	if !p.started {
		n = p.total * 2
	}
	r, err := p.out.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	p.started = true
	p.total += n
	return rt.Done(p.total), nil
}

// Fixed: the local is read only in the arm of the state that follows its
// own; the yield comes after the state moved past that arm too.
func (s *Splice) ReadBeforeMoving() (rt.IOResult[int], error) {
	row := 0
	if s.state == spLookup {
		row = 7
		s.state = spInsert
	}
	if s.state == spInsert {
		s.row = row
		s.state = spDone
	}
	r, err := s.dst.Insert(s.row)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
