// Package localprogress: progress held in per-call objects (docs/bugs.md C4, R4 c).
package localprogress

import "rt"

type Destroy struct {
	root  int
	state int
	cur   *rt.Cursor
}

func NewCursor(root int) *rt.Cursor { return &rt.Cursor{} }

// B18: the cursor, and the destroy's state machine with it, is made anew on
// every call.
func (s *Destroy) Buggy() (rt.IOResult[int], error) {
	cur := NewCursor(s.root) // want `cur is allocated on every entry and drives Next, whose IO is propagated at local\.go:\d+`
	r, err := cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

func (s *Destroy) Literal() (rt.IOResult[int], error) {
	cur := &rt.Cursor{} // want `cur is allocated on every entry`
	r, err := cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Fixed: made in an earlier state and kept in persistent state.
func (s *Destroy) Fixed() (rt.IOResult[int], error) {
	switch s.state {
	case 0:
		s.cur = NewCursor(s.root)
		s.state = 1
		fallthrough
	case 1:
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		return rt.Done(r.Value()), nil
	}
	return rt.Done(0), nil
}

type Sum struct {
	cur   *rt.Cursor
	n     int
	i     int
	sum   int
	items []*rt.Cursor
}

// docs/bugs.md C4: i and sum restart at 0 on every re-entry, but the cursor has
// already moved.
func (s *Sum) Buggy() (rt.IOResult[int], error) {
	var sum int
	for i := 0; i < s.n; i++ {
		r, err := s.cur.Next() // want `s\.cur\.Next runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		sum += r.Value()
	}
	return rt.Done(sum), nil
}

// Ranging restarts from the first element too.
func (s *Sum) Range() (rt.IOResult[int], error) {
	for _, c := range s.items {
		r, err := c.Next() // want `runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(0), nil
}

// Fixed: progress in the receiver, committed per iteration.
func (s *Sum) Fixed() (rt.IOResult[int], error) {
	for s.i < s.n {
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.sum += r.Value()
		s.i++
	}
	return rt.Done(s.sum), nil
}

// A retry loop with no local progress re-polls the same operation.
func (s *Sum) Poll() (rt.IOResult[int], error) {
	for {
		r, err := s.cur.Record()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		if r.Value() > 0 {
			return rt.Done(r.Value()), nil
		}
	}
}

// A loop with a local index over an idempotent read: the read is no
// repetition, but re-entry restarts the loop, so the count of the earlier
// iterations runs again even though the read dominates it.
type Dups struct {
	cur   *rt.Cursor
	pages int
	dups  int
	seen  map[int]bool
}

func (d *Dups) CountBuggy() (rt.IOResult[int], error) {
	for i := 0; i < d.pages; i++ {
		r, err := d.cur.Record()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		d.dups++ // want `increments d\.dups before the yield`
	}
	return rt.Done(d.dups), nil
}

// The silent twin: the count and the set are reset on entry and rebuilt by
// the restarted loop.
func (d *Dups) Count() (rt.IOResult[int], error) {
	if d.seen == nil {
		d.seen = map[int]bool{}
	}
	clear(d.seen)
	d.dups = 0
	for i := 0; i < d.pages; i++ {
		r, err := d.cur.Record()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		if d.seen[r.Value()] {
			d.dups++
		}
		d.seen[r.Value()] = true
	}
	return rt.Done(d.dups), nil
}
