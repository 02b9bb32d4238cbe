// Package statemachine holds correct state machines that must stay silent,
// next to the buggy variants that the cut rules must not hide.
package statemachine

import "rt"

type phase int

const (
	stStart phase = iota
	stWait
	stRead
	stDone
)

type Op struct {
	state  phase
	cur    *rt.Cursor
	file   *rt.File
	buf    []byte
	out    []int
	n      int
	i      int
	items  []*rt.Cursor
	sum    int
	c      *rt.Completion
	wait   *rt.Completion
	writes []*rt.Completion
}

// Shape: advance the state before yielding on a submitted completion.
func (s *Op) SubmitThenWait() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		s.n++ // committed by the transition below
		c, err := s.file.ReadAt(s.buf, 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.out = append(s.out, 1)
		s.state = stWait
		// Re-entrancy: re-entry lands in stWait.
		return rt.Wait[int](c), nil
	case stWait:
		return rt.Done(len(s.buf)), nil
	}
	return rt.Done(0), nil
}

// Transition written before the mutation in the same arm: re-entry
// dispatches elsewhere, so the append does not re-run.
func (s *Op) TransitionFirst() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		c, err := s.file.ReadAt(s.buf, 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.state = stWait
		s.out = append(s.out, 1)
		return rt.Wait[int](c), nil
	}
	return rt.Done(0), nil
}

// One re-pollable call per state, transition after its Done, fallthrough.
func (s *Op) OnePerState() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		r, err := s.cur.Seek(s.n)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.out = append(s.out, s.n)
		s.state = stRead
		fallthrough
	case stRead:
		rec, err := s.cur.Next()
		if err != nil || rec.IsIO() {
			return rt.Forward[int](rec, err)
		}
		s.sum += rec.Value()
		s.state = stDone
	}
	return rt.Done(s.sum), nil
}

// The buggy twin: the append in stStart is not committed before the
// yield of the second call in the same arm.
func (s *Op) OnePerStateBuggy() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		r, err := s.cur.Seek(s.n) // want `calls s\.cur\.Seek, which already returned Done, runs again when the yield at sm\.go:\d+ re-enters`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.out = append(s.out, s.n) // want `appends to s\.out before the yield`
		rec, err := s.cur.Next()
		if err != nil || rec.IsIO() {
			return rt.Forward[int](rec, err)
		}
		s.state = stDone
		return rt.Done(rec.Value()), nil
	}
	return rt.Done(0), nil
}

// Code after the switch rejoins is controlled by no dispatch: never cut.
func (s *Op) AfterRejoin() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		s.state = stRead
	case stRead:
		s.state = stDone
	}
	s.n++ // want `increments s\.n before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// A state loop: for { switch } with continue.
func (s *Op) Loop() (rt.IOResult[int], error) {
	for {
		switch s.state {
		case stStart:
			s.out = s.out[:0]
			s.state = stRead
			continue
		case stRead:
			r, err := s.cur.Next()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			s.out = append(s.out, r.Value())
			s.n++
			if s.n == 10 {
				s.state = stDone
			}
		case stDone:
			return rt.Done(len(s.out)), nil
		}
	}
}

// Progress committed per iteration: cursor advanced after Done (docs/bugs.md C4 fixed).
func (s *Op) Progress() (rt.IOResult[int], error) {
	for s.i < len(s.items) {
		r, err := s.items[s.i].Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.sum += r.Value()
		s.i++
	}
	return rt.Done(s.sum), nil
}

// Progress advanced before the call in the same iteration: the increment is
// followed by a yield before the loop head re-dispatches.
func (s *Op) ProgressBuggy() (rt.IOResult[int], error) {
	for s.i < len(s.items) {
		s.sum += 2 // want `increments s\.sum before the yield`
		r, err := s.items[s.i].Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.i++
	}
	return rt.Done(s.sum), nil
}

// A once-flag guards the non-idempotent prologue.
type Once struct {
	started bool
	cur     *rt.Cursor
	out     []int
}

func (s *Once) Step() (rt.IOResult[int], error) {
	if !s.started {
		s.out = append(s.out, 0)
		s.started = true
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Memoized group build (docs/bugs.md C8 fixed): build once behind a nil test.
func (s *Op) Memo() (rt.IOResult[int], error) {
	if s.wait == nil {
		for _, c := range s.writes {
			c.Complete()
		}
		s.n++
		s.wait = rt.NewCompletion()
	}
	if !s.wait.Finished() {
		return rt.Wait[int](s.wait), nil
	}
	s.writes, s.wait = nil, nil
	return rt.Done(0), nil
}

// A type switch on a state interface.
type state interface{ isState() }

type loading struct{ off int }
type parsing struct{ n int }

func (*loading) isState() {}
func (*parsing) isState() {}

type Machine struct {
	st   state
	file *rt.File
	buf  []byte
	log  []string
}

func (m *Machine) Step() (rt.IOResult[int], error) {
	switch st := m.st.(type) {
	case *loading:
		m.log = append(m.log, "load")
		c, err := m.file.ReadAt(m.buf, int64(st.off))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		m.st = &parsing{}
		return rt.Wait[int](c), nil
	case *parsing:
		return rt.Done(st.n), nil
	}
	return rt.Done(0), nil
}

// The buggy twin: the new state is the same type as the arm.
func (m *Machine) StepBuggy() (rt.IOResult[int], error) {
	switch st := m.st.(type) {
	case *loading:
		m.log = append(m.log, "load") // want `appends to m\.log before the yield`
		c, err := m.file.ReadAt(m.buf, int64(st.off)) // want `submits I/O`
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		m.st = &loading{off: st.off + 1}
		return rt.Wait[int](c), nil
	}
	return rt.Done(0), nil
}

// A submitted read memoized in state behind a nil test (docs/model.md §9 shape 4).
type Reader struct {
	file *rt.File
	buf  []byte
	read *rt.Completion
}

func (s *Reader) Step() (rt.IOResult[int], error) {
	if s.read == nil {
		c, err := s.file.ReadAt(s.buf, 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.read = c
		if !c.Finished() {
			// Re-entrancy: the memo is set before the yield.
			return rt.Wait[int](c), nil
		}
	}
	return rt.Done(len(s.buf)), nil
}

// The same with the memo in a captured variable.
func ReadOnce(f *rt.File, buf []byte) func() (rt.IOResult[int], error) {
	var read *rt.Completion
	return func() (rt.IOResult[int], error) {
		if read == nil {
			c, err := f.ReadAt(buf, 0)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			read = c
			if !c.Finished() {
				return rt.Wait[int](c), nil
			}
		}
		return rt.Done(len(buf)), nil
	}
}

// The memo forgotten: the read is submitted again on every re-entry.
func (s *Reader) StepBuggy() (rt.IOResult[int], error) {
	c, err := s.file.ReadAt(s.buf, 0) // want `submits I/O`
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	if !c.Finished() {
		return rt.Wait[int](c), nil
	}
	return rt.Done(len(s.buf)), nil
}

// A machine loop: Continue means "step again", and the IO of the
// transition is re-yielded through its completion field.
type Transition interface {
	Step() (rt.IOResult[bool], error)
}

type Wrapper struct {
	t        Transition
	finished bool
}

func (m *Wrapper) Step() (rt.IOResult[int], error) {
	for {
		r, err := m.t.Step()
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		if r.IsIO() {
			// Re-entrancy: the transition keeps its own progress.
			return rt.Forward[int](r, nil)
		}
		if r.Value() {
			m.finished = true
			return rt.Done(1), nil
		}
	}
}

// The next state chosen among constants: every choice leaves the arm.
func (s *Op) ChosenNext(fast bool) (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		s.out = append(s.out, 1)
		c, err := s.file.ReadAt(s.buf, 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		next := stWait
		if fast {
			next = stRead
		}
		s.state = next
		return rt.Wait[int](c), nil
	}
	return rt.Done(0), nil
}

// One choice stays in the arm: re-entry may run the append again.
func (s *Op) ChosenNextBuggy(again bool) (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		s.out = append(s.out, 1) // want `appends to s\.out`
		c, err := s.file.ReadAt(s.buf, 0) // want `submits I/O`
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		next := stWait
		if again {
			next = stStart
		}
		s.state = next
		return rt.Wait[int](c), nil
	}
	return rt.Done(0), nil
}

// Transitions made through helpers still cut.
func (s *Op) setState(st phase) { s.state = st }

func (s *Op) finish() { s.setState(stDone) }

func (s *Op) ViaHelper() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		s.out = append(s.out, 1)
		c, err := s.file.ReadAt(s.buf, 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.setState(stWait)
		return rt.Wait[int](c), nil
	case stWait:
		s.n++
		c, err := s.file.ReadAt(s.buf, 1)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.finish()
		return rt.Wait[int](c), nil
	}
	return rt.Done(0), nil
}

// A helper that writes the arm's own value does not cut.
func (s *Op) ViaHelperBuggy() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		s.out = append(s.out, 1) // want `appends to s\.out`
		c, err := s.file.ReadAt(s.buf, 0) // want `submits I/O`
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.setState(stStart)
		return rt.Wait[int](c), nil
	}
	return rt.Done(0), nil
}

// The two-level read-page shape (docs/bugs.md §2.1): IO from ReadPage means
// "call again"; Done with a completion means "the read was submitted".
type PageRef struct {
	Page int
	Read *rt.Completion
}

type Pager struct {
	cur   *rt.Cursor
	reads int
}

// ReadPage submits a read each time it is called (here: counts it), so
// calling it again is not free.
func (p *Pager) ReadPage(id int) (rt.IOResult[PageRef], error) {
	p.reads++
	return rt.Done(PageRef{Page: id}), nil
}

type Overflow struct {
	state phase
	pager *Pager
	id    int
	page  int
	n     int
}

func (s *Overflow) Step() (rt.IOResult[int], error) {
	switch s.state {
	case stStart:
		r, err := s.pager.ReadPage(s.id)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		pg := r.Value()
		s.page, s.state = pg.Page, stRead
		if pg.Read != nil && !pg.Read.Finished() {
			return rt.Wait[int](pg.Read), nil
		}
		fallthrough
	case stRead:
		return rt.Done(s.page), nil
	}
	return rt.Done(0), nil
}

// Without the transition, re-entry calls ReadPage again and counts again.
func (s *Overflow) StepBuggy() (rt.IOResult[int], error) {
	r, err := s.pager.ReadPage(s.id) // want `calls s\.pager\.ReadPage, which already returned Done`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	pg := r.Value()
	s.n++ // want `increments s\.n before the yield`
	if pg.Read != nil && !pg.Read.Finished() {
		return rt.Wait[int](pg.Read), nil
	}
	return rt.Done(s.n), nil
}

// A consume cursor: the loop's condition tests the field every iteration
// advances, so re-entry resumes where it stopped and nothing an iteration
// did is replayed, even when the advance comes first in the iteration.
type Pad struct {
	i, n, pad int
	cur       *rt.Cursor
}

func (z *Pad) Fill() (rt.IOResult[int], error) {
	for z.i < z.n {
		z.i++
		z.pad++
	}
	r, err := z.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(z.pad), nil
}

// The flagged twin: an iteration may end without advancing the cursor, and
// re-entry runs that iteration again.
func (z *Pad) FillBuggy(skip bool) (rt.IOResult[int], error) {
	for z.i < z.n {
		if !skip {
			z.i++
		}
		z.pad++ // want `increments z\.pad before the yield`
	}
	r, err := z.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(z.pad), nil
}

// A call re-polled inside one state until a condition holds: `continue`
// goes back to the switch without writing the state, so it dispatches to
// the same arm again, never to the arm that yields. Re-entry cannot run
// the call again after it returned Done and the state moved on.
type Until struct {
	state int
	ready bool
	cur   *rt.Cursor
	c     *rt.Completion
}

func (m *Until) Step() (rt.IOResult[int], error) {
	for {
		switch m.state {
		case 0:
			if !m.ready {
				r, err := m.cur.Next()
				if err != nil || r.IsIO() {
					return rt.Forward[int](r, err)
				}
				m.ready = r.Value() > 0
				continue
			}
			m.state = 1
		default:
			return rt.Wait[int](m.c), nil
		}
	}
}

// Progress advanced in one state, then `continue` into the same state:
// the count is not replayed by the yield of the next state.
type Gens struct {
	state, gen int
	f          *rt.File
	c          *rt.Completion
}

func (m *Gens) Step() (rt.IOResult[int], error) {
	for {
		switch m.state {
		case 0:
			if m.gen < 3 {
				m.gen++
				continue
			}
			c, err := m.f.ReadAt(nil, 0)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			m.c, m.state = c, 1
			return rt.Wait[int](c), nil
		default:
			if !m.c.Finished() {
				return rt.Wait[int](m.c), nil
			}
			return rt.Done(m.gen), nil
		}
	}
}

// The flagged twin: the same count, but the yield is in the same state, so
// re-entry counts again.
func (m *Gens) StepBuggy() (rt.IOResult[int], error) {
	for {
		switch m.state {
		case 0:
			m.gen++ // want `increments m\.gen before the yield`
			if m.c != nil && !m.c.Finished() {
				return rt.Wait[int](m.c), nil
			}
			m.state = 1
		default:
			return rt.Done(m.gen), nil
		}
	}
}

// A ticking loop that may yield after advancing its progress: re-entry
// resumes with the next tick, so the advance is not replayed.
type Ticker struct {
	now, target int
	ticks       []int
}

func (t *Ticker) Run(yieldNow func() bool) (rt.IOResult[int], error) {
	for t.now < t.target {
		t.now++
		if yieldNow() {
			return rt.Yield[int](), nil
		}
	}
	return rt.Done(t.now), nil
}

// The flagged twin: the tick is logged before the yield and the advance
// comes after it, so re-entry runs the same tick again and logs it twice.
func (t *Ticker) RunBuggy(yieldNow func() bool) (rt.IOResult[int], error) {
	for t.now < t.target {
		t.ticks = append(t.ticks, t.now) // want `appends to t\.ticks before the yield`
		if yieldNow() {
			return rt.Yield[int](), nil
		}
		t.now++
	}
	return rt.Done(t.now), nil
}

// The gate of an in-flight read, with the completion recorded under
// another key than the one tested: re-entry does not find it and submits
// again.
type BadGate struct {
	f       *rt.File
	loading map[int64]*rt.Completion
	buf     []byte
}

func (p *BadGate) Read(id int64) (rt.IOResult[int], error) {
	c, ok := p.loading[id]
	if !ok {
		var err error
		c, err = p.f.ReadAt(p.buf, id) // want `submits I/O`
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		p.loading[id+1] = c // want `inserts into p\.loading before the yield`
	}
	if !c.Finished() {
		return rt.Wait[int](c), nil
	}
	return rt.Done(len(p.buf)), nil
}

// The loop's cursor is advanced by a helper that writes the struct holding
// it: re-entry resumes at the next record, as with an inline advance.
type recCursor struct{ off, n int }

func (c *recCursor) advance(size int) {
	c.off += size
	c.n++
}

type RecScan struct {
	cur  recCursor
	end  int
	read *rt.Completion
	log  []int
}

func (s *RecScan) Resume() (rt.IOResult[int], error) {
	for s.cur.off < s.end {
		if s.read != nil && !s.read.Finished() {
			return rt.Wait[int](s.read), nil
		}
		s.cur.advance(8)
		s.read = rt.NewCompletion()
	}
	return rt.Done(s.cur.n), nil
}

// The flagged twin: the iteration logs before the yield and advances
// nothing the loop tests, so re-entry logs the same record again.
func (s *RecScan) ResumeBuggy() (rt.IOResult[int], error) {
	for s.cur.off < s.end {
		s.log = append(s.log, s.cur.off) // want `appends to s\.log before the yield`
		if s.read != nil && !s.read.Finished() {
			return rt.Wait[int](s.read), nil
		}
		s.cur.advance(8)
	}
	return rt.Done(s.cur.n), nil
}
