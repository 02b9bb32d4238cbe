package rt

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageSum is a resumable operation that reads n one-byte pages and sums
// them, keeping all progress in its fields.
type pageSum struct {
	file    File
	n       int
	next    int
	state   int // psSubmit or psConsume
	pending *Completion
	buf     []byte
	sum     int
	calls   int
	abandon int
}

const (
	psSubmit = iota
	psConsume
)

func (p *pageSum) Step() (IOResult[int], error) {
	//reentrycheck:ignore test instrumentation: counts re-entries on purpose
	p.calls++
	for p.next < p.n {
		switch p.state {
		case psSubmit:
			buf := make([]byte, 1)
			c, err := p.file.ReadAt(NewRead(buf, nil), int64(p.next))
			if err != nil {
				return IOResult[int]{}, err
			}
			p.pending, p.buf, p.state = c, buf, psConsume
			if !c.Finished() {
				// Re-entrancy: the submitted read is stored and the
				// state moved to psConsume before the yield, so
				// re-entry consumes it instead of submitting again.
				return Wait[int](c), nil
			}
		default:
			if err := p.pending.Err(); err != nil {
				return IOResult[int]{}, err
			}
			p.sum += int(p.buf[0])
			p.pending, p.next, p.state = nil, p.next+1, psSubmit
		}
	}
	return Done(p.sum), nil
}

func (p *pageSum) Abandon() { p.abandon++ }

func newPages(t *testing.T, io *fakeIO, data []byte) File {
	f, err := io.Open("db", OpenCreate)
	require.NoError(t, err)
	_, err = f.WriteAt(data, 0, NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, io.Step(context.Background()))
	return f
}

func TestBlockDeferredIO(t *testing.T) {
	io := newFakeIO(true)
	op := &pageSum{file: newPages(t, io, []byte{1, 2, 3, 4}), n: 4}
	v, err := BlockWith(context.Background(), io, op.Step, op)
	require.NoError(t, err)
	assert.Equal(t, 10, v)
	assert.Equal(t, 5, op.calls, "one call per yield plus the final one")
	assert.Zero(t, op.abandon, "a finished operation is not abandoned")
}

func TestBlockSynchronousIO(t *testing.T) {
	io := newFakeIO(false)
	op := &pageSum{file: newPages(t, io, []byte{5, 6}), n: 2}
	v, err := Block(context.Background(), io, op.Step)
	require.NoError(t, err)
	assert.Equal(t, 11, v)
	assert.Equal(t, 1, op.calls, "finished completions never yield here")
}

func TestBlockCompletionErrorEndsTheOperation(t *testing.T) {
	io := newFakeIO(true)
	op := &pageSum{file: newPages(t, io, []byte{1, 2}), n: 2}
	io.failComplete = &IOError{Op: "read", Err: errors.New("EIO")}
	_, err := BlockWith(context.Background(), io, op.Step, op)
	var ioErr *IOError
	require.ErrorAs(t, err, &ioErr)
	assert.Equal(t, 1, op.calls, "op is not re-entered after its completion failed")
	assert.Equal(t, 1, op.abandon)
}

func TestBlockOpErrorAbandons(t *testing.T) {
	io := newFakeIO(true)
	op := &pageSum{file: newPages(t, io, []byte{1, 2}), n: 2}
	io.failSubmit = errors.New("submit failed")
	_, err := BlockWith(context.Background(), io, op.Step, op)
	assert.EqualError(t, err, "submit failed")
	assert.Equal(t, 1, op.abandon)
}

func TestBlockCancellationAbandonsWithoutAbortingIO(t *testing.T) {
	io := newFakeIO(true)
	c := NewRead(make([]byte, 8), nil) // never submitted: nothing will finish it
	calls := 0
	var abandoned atomic.Int32
	op := func() (IOResult[int], error) {
		calls++ //reentrycheck:ignore test instrumentation: counts calls on purpose
		return Wait[int](c), nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := BlockWith(ctx, io, op, abandonFunc(func() { abandoned.Add(1) }))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, calls, "op is never called again after cancellation")
	assert.False(t, c.Finished(), "the in-flight completion is not aborted")
	assert.Equal(t, int32(1), abandoned.Load())
}

func TestBlockAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	_, err := Block(ctx, newFakeIO(true), func() (IOResult[int], error) {
		called = true
		return Done(1), nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, called)
}

type abandonFunc func()

func (f abandonFunc) Abandon() { f() }

// TestBlockExplicitYieldLetsTheHolderRun pins B25: the lock holder releases
// only when the backend is stepped, so a driver that re-executes a yield
// without stepping spins forever.
func TestBlockExplicitYieldLetsTheHolderRun(t *testing.T) {
	io := newFakeIO(true)
	var locked atomic.Bool
	locked.Store(true)
	f, err := io.Open("lock", OpenCreate)
	require.NoError(t, err)
	_, err = f.Sync(NewSync(func(_ int, err error) {
		if err == nil {
			locked.Store(false)
		}
	}))
	require.NoError(t, err)

	calls := 0
	op := func() (IOResult[string], error) {
		calls++ //reentrycheck:ignore test instrumentation: counts re-entries on purpose
		if locked.Load() {
			// Re-entrancy: nothing was mutated; the lock is tried
			// again from the top.
			return Yield[string](), nil
		}
		return Done("acquired"), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := Block(ctx, io, op)
	require.NoError(t, err)
	assert.Equal(t, "acquired", v)
	assert.Equal(t, 2, calls)
}

func TestRunMachine(t *testing.T) {
	io := newFakeIO(true)
	f := newPages(t, io, []byte{1, 2, 3})
	tr := &readMachine{file: f, pages: 3}
	v, err := Run(context.Background(), io, NewMachine[int](tr))
	require.NoError(t, err)
	assert.Equal(t, 6, v)
	assert.True(t, tr.IsFinalized())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr2 := &readMachine{file: f, pages: 3}
	_, err = Run(ctx, io, NewMachine[int](tr2))
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, tr2.IsFinalized(), "Run abandons (finalizes) a machine it gives up")
}

// readMachine is a Transition reading pages one by one.
type readMachine struct {
	file      File
	pages     int
	page      int
	state     int // 0: submit, 1: consume
	read      *Completion
	sum       int
	finalized bool
}

func (m *readMachine) Step() (TransitionResult[int], error) {
	switch m.state {
	case 0:
		if m.page == m.pages {
			m.Finalize()
			return Finish(m.sum), nil
		}
		c, err := m.file.ReadAt(NewRead(make([]byte, 1), nil), int64(m.page))
		if err != nil {
			return TransitionResult[int]{}, err
		}
		m.read, m.state = c, 1
		// Re-entrancy: the state moved to 1 with the read stored, so
		// re-entry consumes the read instead of submitting it again.
		return TransitionIO[int](c), nil
	default:
		if err := m.read.Err(); err != nil {
			return TransitionResult[int]{}, err
		}
		m.sum += int(m.read.Buffer()[0])
		m.read, m.page, m.state = nil, m.page+1, 0
		return Continue[int](), nil
	}
}
func (m *readMachine) Finalize()         { m.finalized = true }
func (m *readMachine) IsFinalized() bool { return m.finalized }

func TestStepOutcomeString(t *testing.T) {
	assert.Equal(t, "done", StepDone.String())
	assert.Equal(t, "io", StepIO.String())
	assert.Equal(t, "yield", StepYield.String())
	assert.Equal(t, "error", StepError.String())
	assert.Equal(t, "StepOutcome(invalid)", StepOutcome(9).String())
}

func TestStepperThreeWayDistinction(t *testing.T) {
	pending := NewWrite(nil)
	finished := NewWrite(nil)
	finished.Complete(1)
	script := []func() (IOResult[int], error){
		func() (IOResult[int], error) { return Yield[int](), nil },
		func() (IOResult[int], error) { return Wait[int](pending), nil },
		func() (IOResult[int], error) { return Wait[int](finished), nil },
		func() (IOResult[int], error) { return Done(42), nil },
	}
	calls := 0
	s := NewStepper(func() (IOResult[int], error) {
		f := script[calls]
		calls++ //reentrycheck:ignore test instrumentation: the script position
		return f()
	})

	out, err := s.Step()
	require.NoError(t, err)
	assert.Equal(t, StepYield, out, "explicit yield returns to the scheduler")
	assert.Nil(t, s.Pending(), "an explicit yield is not stored")
	assert.Equal(t, 1, calls)

	out, err = s.Step()
	require.NoError(t, err)
	assert.Equal(t, StepIO, out)
	assert.Same(t, pending, s.Pending())

	out, err = s.Step()
	require.NoError(t, err)
	assert.Equal(t, StepIO, out, "still pending: op is not called")
	assert.Equal(t, 2, calls)

	pending.Complete(1)
	out, err = s.Step()
	require.NoError(t, err)
	assert.Equal(t, StepDone, out, "finished I/O re-executes at once, in the same Step")
	assert.Equal(t, 4, calls)
	assert.Equal(t, 42, s.Result())
	assert.Nil(t, s.Pending())

	out, err = s.Step()
	require.NoError(t, err)
	assert.Equal(t, StepDone, out)
	assert.Equal(t, 4, calls, "a finished operation is not re-executed")
}

func TestStepperChecksStoredErrorBeforeReexecuting(t *testing.T) {
	c := NewWrite(nil)
	calls := 0
	s := NewStepper(func() (IOResult[int], error) {
		calls++ //reentrycheck:ignore test instrumentation: counts calls on purpose
		return Wait[int](c), nil
	})
	out, err := s.Step()
	require.NoError(t, err)
	require.Equal(t, StepIO, out)
	boom := errors.New("boom")
	c.Fail(boom)
	out, err = s.Step()
	assert.Equal(t, StepError, out)
	assert.Same(t, boom, err)
	assert.Equal(t, 1, calls, "op is not re-executed after its completion failed")
	assert.Same(t, boom, s.Err())
	out, err = s.Step()
	assert.Equal(t, StepError, out)
	assert.Same(t, boom, err)
	assert.Equal(t, 1, calls)
}

func TestStepperFinishedFailedCompletion(t *testing.T) {
	c := NewWrite(nil)
	c.Abort()
	calls := 0
	s := NewStepper(func() (IOResult[int], error) {
		calls++ //reentrycheck:ignore test instrumentation: counts calls on purpose
		return Wait[int](c), nil
	})
	out, err := s.Step()
	assert.Equal(t, StepError, out)
	assert.ErrorIs(t, err, ErrAborted)
	assert.Equal(t, 1, calls)
}

func TestStepperOpError(t *testing.T) {
	boom := errors.New("boom")
	s := NewStepper(func() (IOResult[int], error) { return IOResult[int]{}, boom })
	out, err := s.Step()
	assert.Equal(t, StepError, out)
	assert.Same(t, boom, err)
}

func TestStepperExplicitYieldDoesNotAllocate(t *testing.T) {
	s := NewStepper(func() (IOResult[int], error) { return Yield[int](), nil })
	allocs := testing.AllocsPerRun(1000, func() {
		if out, _ := s.Step(); out != StepYield {
			t.Fatal("not a yield")
		}
	})
	assert.Zero(t, allocs)
}

// earlyWait is a buggy backend whose Wait returns before the completion
// has finished.
type earlyWait struct{ *fakeIO }

func (earlyWait) Wait(context.Context, *Completion) error { return nil }

func TestBlockRefusesToReenterBeforeTheCompletionFinished(t *testing.T) {
	c := NewRead(make([]byte, 1), nil)
	calls := 0
	_, err := Block(context.Background(), earlyWait{newFakeIO(true)}, func() (IOResult[int], error) {
		calls++ //reentrycheck:ignore test instrumentation: counts calls on purpose
		return Wait[int](c), nil
	})
	assert.ErrorIs(t, err, errWaitReturnedEarly)
	assert.Equal(t, 1, calls, "op is not re-entered while its completion is pending")
}
