package rt_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// newDB opens a file on a deferring test backend (every completion finishes
// in the next Step, so every I/O yields) and fills it with data.
func newDB(data []byte) (rt.IO, rt.File) {
	io := rt.NewTestIO(true)
	f, err := io.Open("db", rt.OpenCreate)
	if err != nil {
		panic(err)
	}
	c, err := f.WriteAt(data, 0, rt.NewWrite(nil))
	if err != nil {
		panic(err)
	}
	if err := io.Wait(context.Background(), c); err != nil {
		panic(err)
	}
	return io, f
}

// cursor searches the first page of a file for a key byte. Seek is
// re-pollable: the first call submits the page read and yields on it, the
// call after the read has finished consumes it.
type cursor struct {
	file  rt.File
	state int // curStart or curRead
	read  *rt.Completion
	buf   []byte
}

const (
	curStart = iota
	curRead
)

func (c *cursor) Seek(key byte) (rt.IOResult[bool], error) {
	switch c.state {
	case curStart:
		buf := make([]byte, 8)
		rd, err := c.file.ReadAt(rt.NewRead(buf, nil), 0)
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		c.read, c.buf, c.state = rd, buf, curRead
		if !rd.Finished() {
			// Re-entrancy: the read is stored and the state moved to
			// curRead before this yield, so re-entry consumes the read
			// instead of submitting it again.
			return rt.Wait[bool](rd), nil
		}
		fallthrough
	default:
		if err := c.read.Err(); err != nil {
			return rt.IOResult[bool]{}, err
		}
		found := bytes.IndexByte(c.buf[:c.read.N()], key) >= 0
		c.read, c.buf, c.state = nil, nil, curStart
		return rt.Done(found), nil
	}
}

// Yield on a submitted completion (Turso's io_yield_one!): submit, store the
// completion, transition, then yield on it. The caller (normally a driver
// such as Block) waits until the completion has finished and calls Seek
// again from the top, which then takes the curRead arm.
func ExampleWait() {
	io, f := newDB([]byte("abcdefgh"))
	cur := &cursor{file: f}
	ctx := context.Background()
	r, err := cur.Seek('e') // submits the read and yields on it
	fmt.Println(r.IsIO(), err, r.Completion().Kind())
	if err := io.Wait(ctx, r.Completion()); err != nil { // wait until it has finished ...
		panic(err)
	}
	r, err = cur.Seek('e') // ... then call again: this re-entry consumes the read
	fmt.Println(r.IsDone(), r.Value(), err)
	// Output:
	// true <nil> read
	// true true <nil>
}

// lookup propagates its cursor's IO across result types.
type lookup struct {
	cur *cursor
	key byte
}

func (l *lookup) Run() (rt.IOResult[string], error) {
	r, err := l.cur.Seek(l.key)
	if err != nil || r.IsIO() {
		// Re-entrancy: nothing was mutated before this point; re-entry
		// calls Seek again, and Seek resumes from its own state.
		return rt.Forward[string](r, err)
	}
	if r.Value() {
		return rt.Done("found"), nil
	}
	return rt.Done("missing"), nil
}

// Propagation (Turso's return_if_io!): return the callee's IO unchanged, as
// the caller's result type, with the same completion.
func ExampleForward() {
	io, f := newDB([]byte("abcdefgh"))
	l := &lookup{cur: &cursor{file: f}, key: 'z'}
	r, err := l.Run()
	fmt.Println(r.IsIO(), err)
	v, err := rt.Block(context.Background(), io, l.Run)
	fmt.Println(v, err)
	// Output:
	// true <nil>
	// missing <nil>
}

// pager memoizes page reads: ReadPage returns the page at once, with the
// read completion if the read has not finished yet, and never submits the
// same read twice (callee-side memoization, docs/runtime.md §5).
type pager struct {
	file  rt.File
	pages map[int64]*pageRef
}

type pageRef struct {
	Data []byte
	Read *rt.Completion // nil once loaded
}

// ReadPage is the first level of the two-level read-page shape.
//
//reentrycheck:idempotent
func (p *pager) ReadPage(id int64) (rt.IOResult[pageRef], error) {
	if pg, ok := p.pages[id]; ok {
		if pg.Read != nil && pg.Read.Succeeded() {
			pg.Read = nil
		}
		return rt.Done(*pg), nil
	}
	buf := make([]byte, 4)
	c, err := p.file.ReadAt(rt.NewRead(buf, nil), id*4)
	if err != nil {
		return rt.IOResult[pageRef]{}, err
	}
	pg := &pageRef{Data: buf, Read: c}
	p.pages[id] = pg
	return rt.Done(*pg), nil
}

// pageCopy copies one page out through the pager.
type pageCopy struct {
	pager *pager
	id    int64
	state int // pcStart or pcProcess
	page  []byte
}

const (
	pcStart = iota
	pcProcess
)

func (s *pageCopy) Step() (rt.IOResult[string], error) {
	switch s.state {
	case pcStart:
		r, err := s.pager.ReadPage(s.id)
		if err != nil || r.IsIO() {
			// Re-entrancy: level 1, IO means "call again"; the state is
			// unchanged, so re-entry calls ReadPage again.
			return rt.Forward[string](r, err)
		}
		pg := r.Value()
		s.page, s.state = pg.Data, pcProcess
		if pg.Read != nil && !pg.Read.Finished() {
			// Re-entrancy: level 2, the read was submitted; the state
			// advanced to pcProcess first, so re-entry does not ask for
			// the page again.
			return rt.Wait[string](pg.Read), nil
		}
		fallthrough
	default:
		return rt.Done(string(s.page)), nil
	}
}

// The two-level read-page shape (docs/runtime.md §5): IO from the re-pollable
// ReadPage means "call again" (do not advance); Done with a pending read
// means "the read was submitted" (advance, then yield on the read).
func Example_readPage() {
	io, f := newDB([]byte("pg0.pg1.pg2."))
	s := &pageCopy{pager: &pager{file: f, pages: map[int64]*pageRef{}}, id: 1}
	v, err := rt.Block(context.Background(), io, s.Step)
	fmt.Println(v, err)
	// Output: pg1. <nil>
}

// flusher writes pages and waits for all of them through one group, built
// once and memoized in its state (docs/runtime.md §4).
type flusher struct {
	file  rt.File
	pages [][]byte
	state int // flushSubmit or flushWait
	group rt.GroupOnce
}

const (
	flushSubmit = iota
	flushWait
)

func (f *flusher) Flush(ctx context.Context, io rt.IO) (rt.IOResult[int], error) {
	switch f.state {
	case flushSubmit:
		cs := make([]*rt.Completion, 0, len(f.pages))
		for i, p := range f.pages {
			c, err := f.file.WriteAt(p, int64(i*len(p)), rt.NewWrite(nil))
			if err != nil {
				// Submission failed after earlier submissions: wait for
				// those before the buffers may be reused (aborting them
				// would not stop an asynchronous backend).
				_ = io.Drain(ctx, cs)
				return rt.IOResult[int]{}, err
			}
			cs = append(cs, c)
		}
		if _, err := f.group.Build(nil, cs...); err != nil {
			return rt.IOResult[int]{}, err
		}
		f.state = flushWait
		fallthrough
	default:
		gc := f.group.Completion()
		if !gc.Finished() {
			// Re-entrancy: the group was built once and memoized in
			// f.group, and the state moved to flushWait; re-entry waits
			// on the same group instead of submitting and building again
			// (B24).
			return rt.Wait[int](gc), nil
		}
		if err := gc.Err(); err != nil {
			return rt.IOResult[int]{}, err
		}
		return rt.Done(len(f.pages)), nil
	}
}

// A memoized group build: submit every write, build the group over them
// once (GroupOnce), and yield on it only if it has not finished.
func ExampleGroup() {
	io, f := newDB(nil)
	fl := &flusher{file: f, pages: [][]byte{[]byte("aa"), []byte("bb"), []byte("cc")}}
	ctx := context.Background()
	n, err := rt.Block(ctx, io, func() (rt.IOResult[int], error) { return fl.Flush(ctx, io) })
	size, _ := f.Size()
	fmt.Println(n, err, size)
	// Output: 3 <nil> 6
}

// summer is a Transition that reads pages one by one and sums their first
// bytes.
type summer struct {
	file      rt.File
	pages     int
	page      int
	state     int // sumSubmit or sumConsume
	read      *rt.Completion
	sum       int
	finalized bool
}

const (
	sumSubmit = iota
	sumConsume
)

func (m *summer) Step() (rt.TransitionResult[int], error) {
	switch m.state {
	case sumSubmit:
		if m.page == m.pages {
			m.Finalize()
			return rt.Finish(m.sum), nil
		}
		c, err := m.file.ReadAt(rt.NewRead(make([]byte, 1), nil), int64(m.page))
		if err != nil {
			return rt.TransitionResult[int]{}, err
		}
		m.read, m.state = c, sumConsume
		// Re-entrancy: the read is stored and the state moved to
		// sumConsume, so re-entry consumes it instead of submitting again.
		return rt.TransitionIO[int](c), nil
	default:
		if err := m.read.Err(); err != nil {
			return rt.TransitionResult[int]{}, err
		}
		m.sum += int(m.read.Buffer()[0])
		m.read, m.page, m.state = nil, m.page+1, sumSubmit
		return rt.Continue[int](), nil
	}
}

func (m *summer) Finalize()         { m.finalized = true }
func (m *summer) IsFinalized() bool { return m.finalized }

// A state machine: Step returns TransitionIO to wait, Continue to go on at
// once, and Finish after finalizing itself. Run drives it with Block and
// finalizes it if it gives it up.
func ExampleMachine() {
	io, f := newDB([]byte{1, 2, 3, 4})
	m := rt.NewMachine[int](&summer{file: f, pages: 4})
	sum, err := rt.Run(context.Background(), io, m)
	fmt.Println(sum, err, m.IsFinalized())
	r, err := m.Step()
	fmt.Println(r.IsDone(), err)
	// Output:
	// 10 <nil> true
	// true rt: state machine already finished
}

// Block runs a resumable operation to completion: it waits for each yielded
// completion by stepping the backend and calls the operation again. On
// cancellation it abandons the operation without calling it again.
func ExampleBlock() {
	io, f := newDB([]byte("xyz"))
	cur := &cursor{file: f}
	found, err := rt.Block(context.Background(), io, func() (rt.IOResult[bool], error) {
		return cur.Seek('y')
	})
	fmt.Println(found, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = rt.Block(ctx, io, func() (rt.IOResult[bool], error) {
		return cur.Seek('y')
	})
	fmt.Println(err)
	// Output:
	// true <nil>
	// context canceled
}

// The statement-style driver distinguishes finished I/O (re-execute now),
// an explicit yield (return to the scheduler, nothing stored) and pending
// I/O (store it, return). A scheduler loop steps the backend on StepIO.
func ExampleStepper() {
	io, f := newDB([]byte("hello"))
	cur := &cursor{file: f}
	yielded := false
	s := rt.NewStepper(func() (rt.IOResult[bool], error) {
		if !yielded {
			yielded = true
			// Re-entrancy: a one-time courtesy yield; the guard flag is
			// set first, so re-entry goes on to Seek.
			return rt.Yield[bool](), nil
		}
		r, err := cur.Seek('l')
		if err != nil || r.IsIO() {
			// Re-entrancy: Seek keeps its own progress; re-entry calls
			// it again.
			return rt.Forward[bool](r, err)
		}
		return rt.Done(r.Value()), nil
	})
	for {
		out, err := s.Step()
		fmt.Println(out, err)
		if out == rt.StepDone || out == rt.StepError {
			break
		}
		if out == rt.StepIO {
			_ = io.Step(context.Background())
		}
	}
	fmt.Println(s.Result())
	// Output:
	// yield <nil>
	// io <nil>
	// done <nil>
	// true
}

// scanState is a struct-valued state that the aggregator copies out and
// steps; ReturnAndRestore keeps the copy's progress on every yield.
type scanState struct {
	phase int // scanFirst, scanSecond, scanDone
	total int
}

const (
	scanFirst = iota
	scanSecond
	scanDone
)

type aggregator struct {
	first, second int
	st            scanState
}

func (a *aggregator) advance(st *scanState) (rt.IOResult[int], error) {
	switch st.phase {
	case scanFirst:
		st.total += a.first
		st.phase = scanSecond
		// Re-entrancy: the phase moved past scanFirst together with the
		// addition, so re-entry does not add a.first again.
		return rt.Yield[int](), nil
	case scanSecond:
		st.total += a.second
		st.phase = scanDone
		// Re-entrancy: as above, for a.second.
		return rt.Yield[int](), nil
	default:
		return rt.Done(st.total), nil
	}
}

func (a *aggregator) Step() (rt.IOResult[int], error) {
	r, err := rt.ReturnAndRestore(&a.st, a.advance)
	if err != nil || r.IsIO() {
		// Re-entrancy: ReturnAndRestore wrote the advanced copy back into
		// a.st, so re-entry resumes from it (forgetting that is B14).
		return rt.Forward[int](r, err)
	}
	a.st = scanState{} // successor state, set by the caller on Done
	return rt.Done(r.Value()), nil
}

// Return-and-restore (Turso's return_and_restore_if_io!): step a copy of a
// struct-valued state and write it back on IO or error.
func ExampleReturnAndRestore() {
	a := &aggregator{first: 3, second: 4}
	yields := 0
	for {
		r, err := a.Step()
		if err != nil {
			panic(err)
		}
		if r.IsDone() {
			fmt.Println(r.Value(), yields)
			break
		}
		yields++
	}
	// Output: 7 2
}
