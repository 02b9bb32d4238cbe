package rt_test

import (
	"context"
	"fmt"
	"time"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// pageSum is a Transition that calls a resumable function (a page read)
// and forwards its IO with ForwardTransition: one branch per call.
type pageSum struct {
	reader    *pageReader
	page      int64
	pages     int64
	sum       int
	finalized bool
}

// pageReader reads one byte per page, submitting each read once.
type pageReader struct {
	file rt.File
	read *rt.Completion
	at   int64
}

func (r *pageReader) Read(page int64) (rt.IOResult[byte], error) {
	if r.at != page {
		r.read = nil // another page: the memoized read is not for it
	}
	if r.read == nil {
		c, err := r.file.ReadAt(rt.NewRead(make([]byte, 1), nil), page)
		if err != nil {
			return rt.IOResult[byte]{}, err
		}
		r.read, r.at = c, page
	}
	if !r.read.Finished() {
		// Re-entrancy: the read and its page are stored in r, so re-entry
		// for the same page waits on it instead of submitting again.
		return rt.Wait[byte](r.read), nil
	}
	if err := r.read.Err(); err != nil {
		return rt.IOResult[byte]{}, err
	}
	return rt.Done(r.read.Buffer()[0]), nil
}

func (t *pageSum) Step() (rt.TransitionResult[int], error) {
	if t.page == t.pages {
		t.Finalize()
		return rt.Finish(t.sum), nil
	}
	r, err := t.reader.Read(t.page)
	b, ok := r.Get()
	if err != nil || !ok {
		// Re-entrancy: nothing was mutated above; re-entry asks the
		// reader for the same page, and the reader resumes its read.
		return rt.ForwardTransition[int](r, err)
	}
	t.sum, t.page = t.sum+int(b), t.page+1
	return rt.Continue[int](), nil
}

func (t *pageSum) Finalize()         { t.finalized = true }
func (t *pageSum) IsFinalized() bool { return t.finalized }

// ForwardTransition propagates a callee's IO out of Transition.Step; Get
// takes the value and the IsIO test from one call.
func ExampleForwardTransition() {
	io, f := newDB([]byte{1, 2, 3})
	m := rt.NewMachine[int](&pageSum{reader: &pageReader{file: f}, pages: 3})
	sum, err := rt.Run(context.Background(), io, m)
	fmt.Println(sum, err)
	// Output: 6 <nil>
}

// An event completion is finished by user code; here a timer on another
// goroutine wakes the driver.
func ExampleNewEvent() {
	io, _ := newDB(nil)
	tick := rt.NewEvent(nil)
	timer := time.AfterFunc(time.Millisecond, func() { tick.Complete(1) })
	defer timer.Stop()
	v, err := rt.Block(context.Background(), io, func() (rt.IOResult[string], error) {
		if !tick.Finished() {
			// Re-entrancy: nothing is mutated before this yield; re-entry
			// checks the timer again.
			return rt.Wait[string](tick), nil
		}
		return rt.Done("tick"), nil
	})
	fmt.Println(v, err)
	// Output: tick <nil>
}

// releaser stands for an operation's owner that holds a resource across
// yields.
type releaser struct{}

func (releaser) Abandon() { fmt.Println("released") }

// A Stepper with a context and an Abandoner: cancelling the context gives
// the operation up at its yield and releases what it holds; the pending
// completion is kept, not aborted.
func ExampleStepper_StepContext() {
	pending := rt.NewSync(nil)
	s := rt.NewStepperWith(func() (rt.IOResult[int], error) {
		// Re-entrancy: stateless; re-entry yields on the same completion.
		return rt.Wait[int](pending), nil
	}, releaser{})
	ctx, cancel := context.WithCancel(context.Background())
	out, _ := s.StepContext(ctx)
	fmt.Println(out)
	cancel()
	out, err := s.StepContext(ctx)
	fmt.Println(out, err, s.Pending() == pending, pending.Finished())
	// Output:
	// io
	// released
	// error context canceled true false
}

// pageSumReuse is pageSum's job done by one Transition that keeps its read
// completion by value and re-arms it for every page: no allocation per
// read.
type pageSumReuse struct {
	file      rt.File
	buf       [1]byte
	read      rt.Completion // by value, re-armed with ResetRead per page
	page      int64
	pages     int64
	reading   bool
	sum       int
	finalized bool
}

func (t *pageSumReuse) Step() (rt.TransitionResult[int], error) {
	if t.page == t.pages {
		t.Finalize()
		return rt.Finish(t.sum), nil
	}
	if !t.reading {
		// The previous read has finished (the driver re-entered after
		// it), so the reset succeeds; an error here is a bug.
		if err := t.read.ResetRead(t.buf[:], nil); err != nil {
			return rt.TransitionResult[int]{}, err
		}
		c, err := t.file.ReadAt(&t.read, t.page)
		if err != nil {
			return rt.TransitionResult[int]{}, err
		}
		t.reading = true
		// Re-entrancy: reading is set before the yield, so re-entry
		// consumes this read instead of submitting another.
		return rt.TransitionIO[int](c), nil
	}
	if err := t.read.Err(); err != nil {
		return rt.TransitionResult[int]{}, err
	}
	t.sum, t.page, t.reading = t.sum+int(t.buf[0]), t.page+1, false
	return rt.Continue[int](), nil
}

func (t *pageSumReuse) Finalize()         { t.finalized = true }
func (t *pageSumReuse) IsFinalized() bool { return t.finalized }

// A completion kept by value in an operation's state and re-armed with
// ResetRead for every read: one completion for the whole operation.
func ExampleCompletion_ResetRead() {
	io, f := newDB([]byte{1, 2, 3})
	t := &pageSumReuse{file: f, pages: 3}
	sum, err := rt.Run(context.Background(), io, rt.NewMachine[int](t))
	fmt.Println(sum, err, "generation", t.read.Generation())
	// Output: 6 <nil> generation 3
}
