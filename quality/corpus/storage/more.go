package storage

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type splitState uint8

const (
	splitLoad splitState = iota
	splitWrite
	splitDone
)

// Split loads a full page and appends its upper half to a new page file.
type Split struct {
	Pager *engine.Pager
	Out   *engine.Appender
	state splitState
	upper []byte
}

func (s *Split) toWrite() { s.state = splitWrite }

// Run splits page 1.
//
// quality: bug C3 a helper that sets the state runs before the re-pollable load
func (s *Split) Run() (rt.IOResult[int64], error) {
	for {
		switch s.state {
		case splitLoad:
			s.toWrite() // Bug: the transition happens before the load.
			r, err := s.Pager.ReadPage(1)
			if err != nil || r.IsIO() {
				// Bug: re-entry writes s.upper, which is still nil.
				return rt.Forward[int64](r, err)
			}
			s.upper = r.Value()[engine.PageSize/2:]
		case splitWrite:
			r, err := s.Out.Append(s.upper)
			if err != nil || r.IsIO() {
				// Re-entrancy: splitWrite; re-entry re-polls the append.
				return rt.Forward[int64](r, err)
			}
			s.state = splitDone
		default:
			return rt.Done(s.Out.Tail), nil
		}
	}
}

// scanMachine is a state machine (rt.Transition) that sums the first
// Limit records of a table: a fetch state steps the cursor, a consume
// state accounts for the record.
type scanMachine struct {
	Cur       *engine.Cursor
	Limit     int
	consume   bool
	rec       uint64
	n         int
	Sum       uint64
	finalized bool
}

// Step advances the machine.
//
// quality: bug C3 the machine moves to its consume state before the cursor call returned Done
func (m *scanMachine) Step() (rt.TransitionResult[uint64], error) {
	if m.consume {
		m.Sum += m.rec
		m.n++
		m.consume = false
		if m.n == m.Limit {
			m.Finalize()
			return rt.Finish(m.Sum), nil
		}
		return rt.Continue[uint64](), nil
	}
	m.consume = true // Bug: set before the re-pollable call.
	r, err := m.Cur.Next()
	if err != nil {
		return rt.TransitionResult[uint64]{}, err
	}
	if r.IsIO() {
		// Bug: re-entry consumes the previous record again, as if the
		// cursor had returned one.
		return rt.TransitionIO[uint64](r.Completion()), nil
	}
	m.rec = r.Value().Val
	return rt.Continue[uint64](), nil
}

// Finalize releases nothing; it is idempotent.
func (m *scanMachine) Finalize() { m.finalized = true }

// IsFinalized reports whether Finalize ran.
func (m *scanMachine) IsFinalized() bool { return m.finalized }

// sumMachine is scanMachine without the early flag.
type sumMachine struct {
	Cur       *engine.Cursor
	Sum       uint64
	finalized bool
}

// Step advances the machine.
//
// quality: ok C3 the cursor's IO becomes TransitionIO with nothing recorded; the sum follows Done
func (m *sumMachine) Step() (rt.TransitionResult[uint64], error) {
	r, err := m.Cur.Next()
	if err != nil {
		return rt.TransitionResult[uint64]{}, err
	}
	if r.IsIO() {
		// Re-entrancy: nothing was recorded; Machine.Step calls Step
		// again after the read, and the cursor resumes its own read.
		return rt.TransitionIO[uint64](r.Completion()), nil
	}
	if !r.Value().OK {
		m.Finalize()
		return rt.Finish(m.Sum), nil
	}
	m.Sum += r.Value().Val
	return rt.Continue[uint64](), nil
}

// Finalize releases nothing; it is idempotent.
func (m *sumMachine) Finalize() { m.finalized = true }

// IsFinalized reports whether Finalize ran.
func (m *sumMachine) IsFinalized() bool { return m.finalized }

// Relocate moves a page's first record into a log through a two-stage
// state machine; the record travels between the stages in a local.
type Relocate struct {
	Cur   *engine.Cursor
	Out   *engine.Appender
	stage int
	Moved uint64
}

// Run relocates one record.
//
// quality: bug C4 a local written in one stage is read in the next after a yield
func (r *Relocate) Run() (rt.IOResult[uint64], error) {
	var rec uint64
	if r.stage == 0 {
		it, err := r.Cur.Next()
		if err != nil || it.IsIO() {
			// Re-entrancy: stage 0; the cursor resumes its own read.
			return rt.Forward[uint64](it, err)
		}
		rec = it.Value().Val
		r.stage = 1
	}
	if r.stage == 1 {
		a, err := r.Out.Append([]byte{byte(rec)})
		if err != nil || a.IsIO() {
			// Bug: after this yield rec is lost; re-entry moves 0.
			return rt.Forward[uint64](a, err)
		}
		r.Moved = rec
		r.stage = 2
	}
	return rt.Done(r.Moved), nil
}

// walker reads pages [Next, End) from a file; its methods take it by
// value.
type walker struct {
	Next, End int
	Sum       uint64
	read      *rt.Completion
}

// advance reads the next page.
//
// quality: bug C5 a value receiver: the read and the progress are made on the method's own copy
func (w walker) advance(f rt.File) (rt.IOResult[uint64], error) {
	for w.Next < w.End {
		if w.read == nil {
			c, err := f.ReadAt(rt.NewRead(make([]byte, engine.PageSize), nil), int64(w.Next*engine.PageSize))
			if err != nil {
				return rt.IOResult[uint64]{}, err
			}
			w.read = c
		}
		if !w.read.Finished() {
			// Bug: w is the method's copy; the read is dropped here and
			// re-entry submits it again.
			return rt.Wait[uint64](w.read), nil
		}
		w.Sum += engine.Rec(w.read.Buffer(), 0)
		w.read, w.Next = nil, w.Next+1
	}
	return rt.Done(w.Sum), nil
}

// advanceWalk is chainWalk.step as a function over a pointer.
func advanceWalk(w *chainWalk, f rt.File) (rt.IOResult[uint64], error) { return w.step(f) }

// Vacuum walks the free chain through a helper function.
type Vacuum struct {
	File rt.File
	Walk chainWalk
}

// Run returns the free chain's checksum.
//
// quality: bug C5 the walk is copied and the copy's address handed to a helper function; the copy is dropped at the yield
func (v *Vacuum) Run() (rt.IOResult[uint64], error) {
	st := v.Walk
	r, err := advanceWalk(&st, v.File)
	if err != nil || r.IsIO() {
		// Bug: st's progress is lost.
		return rt.Forward[uint64](r, err)
	}
	v.Walk = st
	return rt.Done(r.Value()), nil
}

// Reclaim frees pages once the free chain was walked, checking only the
// walk's error.
type Reclaim struct {
	File  rt.File
	Walk  *chainWalk
	Freed int
}

// Run reclaims.
//
// quality: bug C9 only the error of the walk is looked at; its IO is dropped
func (c *Reclaim) Run() (rt.IOResult[int], error) {
	if _, err := c.Walk.step(c.File); err != nil {
		return rt.IOResult[int]{}, err
	}
	c.Freed = c.Walk.End - c.Walk.Next
	return rt.Done(c.Freed), nil
}

// Checksum maps the walk's result through rt.Map and reads the value.
type Checksum struct {
	File rt.File
	Walk *chainWalk
	Sum  uint64
}

// Run computes the checksum.
//
// quality: bug C9 the mapped result's value is read without checking for IO
func (c *Checksum) Run() (rt.IOResult[uint64], error) {
	r, err := c.Walk.step(c.File)
	if err != nil {
		return rt.IOResult[uint64]{}, err
	}
	c.Sum = rt.Map(r, func(s uint64) uint64 { return s ^ 0xff }).Value()
	return rt.Done(c.Sum), nil
}

// Slotted numbers the records it indexes by the size of its index.
type Slotted struct {
	Cur   *engine.Cursor
	Index map[int]uint64
	n     int
	Limit int
}

// Run indexes Limit records.
//
// quality: bug C1 a map insert keyed by mutable state (the index's size) before the yield
func (s *Slotted) Run() (rt.IOResult[int], error) {
	for s.n < s.Limit {
		s.Index[len(s.Index)] = uint64(s.n) // Bug: repeated on re-entry under a new key.
		r, err := s.Cur.Next()
		if err != nil || r.IsIO() {
			// Bug: the insert above runs again with a new key.
			return rt.Forward[int](r, err)
		}
		s.n++
	}
	return rt.Done(len(s.Index)), nil
}

// Loader installs a page in the cache from its read callback.
type Loader struct {
	File  rt.File
	Cache map[int][]byte
	c     *rt.Completion
}

// Run loads page 2.
//
// quality: bug C12 the read callback installs the page and swallows the error
func (l *Loader) Run() (rt.IOResult[bool], error) {
	if l.c == nil {
		c, err := l.File.ReadAt(rt.NewRead(make([]byte, engine.PageSize), func(b []byte, n int, _ error) error {
			l.Cache[2] = b // Bug: a failed read installs a zeroed page.
			return nil
		}), 2*engine.PageSize)
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		l.c = c
	}
	if !l.c.Finished() {
		// Re-entrancy: the read is kept in l.c.
		return rt.Wait[bool](l.c), nil
	}
	return rt.Done(true), l.c.Err()
}
