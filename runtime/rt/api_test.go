package rt

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestFailAndDeprecatedError(t *testing.T) {
	boom := errors.New("boom")
	var got error
	c := NewWrite(func(_ int, err error) { got = err })
	c.Fail(boom)
	assert.Same(t, boom, c.Err())
	assert.Same(t, boom, got)

	old := NewSync(nil)
	old.Error(boom) // the deprecated alias keeps working
	assert.Same(t, boom, old.Err(), "Error is Fail")
}

func TestMarkSubmitted(t *testing.T) {
	c := NewRead(make([]byte, 1), nil)
	assert.False(t, c.Submitted())
	require.NoError(t, c.MarkSubmitted())
	assert.True(t, c.Submitted())
	assert.ErrorIs(t, c.MarkSubmitted(), ErrSubmittedTwice)

	assert.Error(t, YieldCompletion().MarkSubmitted(), "the sentinel is never submitted")
	assert.Error(t, NewGroup(nil).Build().MarkSubmitted(), "nor is a group")
	ev := NewEvent(nil)
	require.NoError(t, ev.MarkSubmitted(), "an event is claimed by the backend that finishes it")
	assert.ErrorIs(t, ev.MarkSubmitted(), ErrSubmittedTwice)
}

// Concurrent submissions of one completion: exactly one claim wins.
func TestMarkSubmittedConcurrent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 8).Draw(t, "goroutines")
		c := NewWrite(nil)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if c.MarkSubmitted() == nil {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d claims won", wins.Load())
		}
	})
}

// Submitting twice through the package's own test backend, and WriteV
// twice through WriteVFanIn.
func TestSubmittedTwiceFakeIO(t *testing.T) {
	for _, deferred := range []bool{false, true} {
		fio := newFakeIO(deferred)
		f, err := fio.Open("f", OpenCreate)
		require.NoError(t, err)
		w := NewWrite(nil)
		_, err = f.WriteAt([]byte("a"), 0, w)
		require.NoError(t, err)
		_, err = f.WriteAt([]byte("b"), 0, w)
		require.ErrorIs(t, err, ErrSubmittedTwice)
		v := NewWrite(nil)
		_, err = f.WriteV([][]byte{[]byte("a")}, 0, v)
		require.NoError(t, err)
		_, err = f.WriteV([][]byte{[]byte("b")}, 0, v)
		require.ErrorIs(t, err, ErrSubmittedTwice)
		require.NoError(t, fio.Drain(context.Background(), []*Completion{w, v}))
		assert.LessOrEqual(t, fio.Pending(), 0)
	}
}

func TestEventCompletion(t *testing.T) {
	var got int
	ev := NewEvent(func(n int, err error) {
		if err == nil {
			got = n
		}
	})
	assert.Equal(t, KindEvent, ev.Kind())
	assert.Equal(t, "event", KindEvent.String())
	assert.Equal(t, "rt.Completion(event, pending)", ev.String())
	assert.Nil(t, ev.Buffer())
	ev.Complete(5)
	assert.True(t, ev.Succeeded())
	assert.Equal(t, 5, got)
}

func TestGetAndMustValue(t *testing.T) {
	v, ok := Done(3).Get()
	assert.True(t, ok)
	assert.Equal(t, 3, v)
	v, ok = Wait[int](NewSync(nil)).Get()
	assert.False(t, ok, "IO is not Done")
	assert.Zero(t, v)
	_, ok = Yield[int]().Get()
	assert.False(t, ok)

	assert.Equal(t, 4, Done(4).MustValue())
	assert.PanicsWithValue(t, "rt: MustValue of an IO result (rt.Completion(yield)); check IsIO or use Get",
		func() { Yield[int]().MustValue() })
}

func TestForwardTransition(t *testing.T) {
	boom := errors.New("boom")
	c := NewWrite(nil)
	r, err := ForwardTransition[string](Wait[int](c), nil)
	require.NoError(t, err)
	assert.True(t, r.IsIO())
	assert.Same(t, c, r.Completion(), "the same completion")

	r, err = ForwardTransition[string](Done(1), boom)
	assert.Same(t, boom, err)
	assert.True(t, r.IsContinue(), "an error exit carries the zero result")
	r, err = ForwardTransition[string](Wait[int](c), boom)
	assert.Same(t, boom, err)
	assert.False(t, r.IsIO(), "an error exit is never a yield")

	//reentrycheck:ignore the discarded result is the point: the call must panic first
	assert.Panics(t, func() { _, _ = ForwardTransition[string](Done(1), nil) },
		"a forgotten IsIO check is loud")
}

// A Transition that calls a resumable callee and forwards its IO with
// ForwardTransition: driven on the deferring test backend, the callee's
// completion reaches the driver and the machine finishes.
type forwardingTransition struct {
	callee    *readOnce
	got       byte
	finalized bool
}

type readOnce struct {
	f    File
	read *Completion
}

func (r *readOnce) Resume() (IOResult[byte], error) {
	if r.read == nil {
		c, err := r.f.ReadAt(NewRead(make([]byte, 1), nil), 0)
		if err != nil {
			return IOResult[byte]{}, err
		}
		r.read = c
	}
	if !r.read.Finished() {
		// Re-entrancy: the read is stored in r.read, so re-entry waits on
		// it instead of submitting another.
		return Wait[byte](r.read), nil
	}
	if err := r.read.Err(); err != nil {
		return IOResult[byte]{}, err
	}
	return Done(r.read.Buffer()[0]), nil
}

func (t *forwardingTransition) Step() (TransitionResult[byte], error) {
	r, err := t.callee.Resume()
	v, ok := r.Get()
	if err != nil || !ok {
		// Re-entrancy: nothing was mutated above; re-entry resumes the
		// callee, which keeps its progress in its own fields.
		return ForwardTransition[byte](r, err)
	}
	t.got = v
	t.Finalize()
	return Finish(v), nil
}
func (t *forwardingTransition) Finalize()         { t.finalized = true }
func (t *forwardingTransition) IsFinalized() bool { return t.finalized }

func TestForwardTransitionInAMachine(t *testing.T) {
	fio := newFakeIO(true)
	f, err := fio.Open("m", OpenCreate)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte{9}, 0, NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, fio.Step(context.Background()))
	tr := &forwardingTransition{callee: &readOnce{f: f}}
	got, err := Run(context.Background(), fio, NewMachine[byte](tr))
	require.NoError(t, err)
	assert.Equal(t, byte(9), got)
}

func TestGroupOnce(t *testing.T) {
	var o GroupOnce
	assert.False(t, o.Built())
	assert.Nil(t, o.Completion())
	var p groupProbe
	a, b := NewWrite(nil), NewWrite(nil)
	gc, err := o.Build(p.cb, a, b)
	require.NoError(t, err)
	again, err := o.Build(p.cb, a, b)
	require.NoError(t, err)
	assert.Same(t, gc, again, "re-entry gets the memoized group")
	assert.Same(t, gc, o.Completion())
	a.Complete(1)
	b.Complete(1)
	calls, _ := p.get()
	assert.Equal(t, 1, calls)
	_, err = o.Build(p.cb, a, b)
	require.NoError(t, err)
	calls, _ = p.get()
	assert.Equal(t, 1, calls, "the callback ran once, not once per Build")

	o.Reset()
	assert.False(t, o.Built())
	fresh, err := o.Build(p.cb) // every child finished (none): the callback runs inside Build
	require.NoError(t, err)
	assert.NotSame(t, gc, fresh)
	assert.True(t, fresh.Succeeded())
	calls, _ = p.get()
	assert.Equal(t, 2, calls, "a group whose children all finished runs its callback inside Build")

	// An Add error memoizes nothing and claims nothing.
	var o2 GroupOnce
	c := NewWrite(nil)
	_, err = o2.Build(nil, c, nil)
	require.ErrorIs(t, err, ErrNilCompletion)
	assert.False(t, o2.Built())
	gc2, err := o2.Build(nil, c)
	require.NoError(t, err, "c was left free")
	c.Complete(1)
	assert.True(t, gc2.Succeeded())
}

// The callback of a group built inside Build (all children finished) runs
// again for every rebuilt group: bookkeeping in it repeats on each
// rebuild. GroupOnce runs it once however often the operation re-enters.
func TestGroupCallbackRunsInsideBuildPerGroup(t *testing.T) {
	done := NewWrite(nil)
	done.Complete(1)
	var rebuilt, memo atomic.Int32
	var o GroupOnce
	for range 3 { // three re-entries
		g := NewGroup(func(error) { rebuilt.Add(1) })
		require.NoError(t, g.Add(done))
		require.True(t, g.Build().Finished(), "finished inside Build")
		_, err := o.Build(func(error) { memo.Add(1) }, done)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 3, rebuilt.Load())
	assert.EqualValues(t, 1, memo.Load())
}

// abandonCounter counts Abandon calls.
type abandonCounter struct{ n int }

func (a *abandonCounter) Abandon() { a.n++ }

func TestStepperContextAndAbandon(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pending := NewWrite(nil)
	calls := 0
	var a abandonCounter
	s := NewStepperWith(func() (IOResult[int], error) {
		//reentrycheck:ignore counts calls on purpose: the test asserts how often the stepper calls
		calls++
		// Re-entrancy: the op only counts its calls (test bookkeeping).
		return Wait[int](pending), nil
	}, &a)
	out, err := s.StepContext(ctx)
	require.NoError(t, err)
	assert.Equal(t, StepIO, out)
	cancel()
	out, err = s.StepContext(ctx)
	assert.Equal(t, StepError, out)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, a.n, "the abandoner ran")
	assert.Same(t, pending, s.Pending(), "the pending completion is kept, for draining")
	assert.False(t, pending.Finished(), "and never aborted")
	pending.Complete(1)
	out, err = s.Step()
	assert.Equal(t, StepError, out)
	assert.ErrorIs(t, err, context.Canceled, "sticky")
	s.Abandon()
	assert.Equal(t, 1, calls, "op is not called after it was given up")
	assert.Equal(t, 1, a.n, "abandoned once")

	var b abandonCounter
	s2 := NewStepperWith(func() (IOResult[int], error) { return Yield[int](), nil }, &b)
	out, _ = s2.Step()
	assert.Equal(t, StepYield, out)
	s2.Abandon()
	s2.Abandon()
	out, err = s2.Step()
	assert.Equal(t, StepError, out)
	assert.ErrorIs(t, err, ErrAbandoned)
	assert.Equal(t, 1, b.n)

	var d abandonCounter
	s3 := NewStepperWith(func() (IOResult[int], error) { return Done(1), nil }, &d)
	out, _ = s3.Step()
	assert.Equal(t, StepDone, out)
	s3.Abandon()
	assert.Zero(t, d.n, "nothing to give up after Done")
	out, _ = s3.Step()
	assert.Equal(t, StepDone, out)

	var e abandonCounter
	boom := errors.New("boom")
	s4 := NewStepperWith(func() (IOResult[int], error) { return IOResult[int]{}, boom }, &e)
	_, err = s4.Step()
	assert.Same(t, boom, err)
	assert.Equal(t, 1, e.n, "a failure gives the operation up too, as BlockWith does")
}

func TestMachineStepperFinalizesOnAbandon(t *testing.T) {
	tr := &forwardingTransition{callee: &readOnce{f: blockingFile{}}}
	s := NewMachineStepper(NewMachine[byte](tr))
	out, err := s.Step()
	require.NoError(t, err)
	assert.Equal(t, StepIO, out)
	s.Abandon()
	assert.True(t, tr.finalized)
}

// blockingFile accepts reads and never finishes them.
type blockingFile struct{ File }

func (blockingFile) ReadAt(c *Completion, _ int64) (*Completion, error) { return c, nil }

// Property: whatever the order of Step, cancelled StepContext and Abandon
// calls, the abandoner runs exactly once if and only if the operation ended
// without Done, and op is never called after it ended.
func TestPropStepperGivesUpOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var a abandonCounter
		script := rapid.SliceOfN(rapid.IntRange(0, 3), 1, 12).Draw(t, "op results") // 0 yield, 1 pending, 2 finished, 3 done
		i, ended := 0, false
		var last *Completion
		s := NewStepperWith(func() (IOResult[int], error) {
			if ended {
				//reentrycheck:ignore a test guard: reaching it fails the test
				t.Fatal("op called after the operation ended")
			}
			k := 3 // the script has run out: Done
			if i < len(script) {
				k = script[i]
			}
			//reentrycheck:ignore the script index advances per call on purpose: each call plays the next scripted result
			i++
			switch k {
			case 0:
				return Yield[int](), nil
			case 1:
				last = NewWrite(nil)
				// Re-entrancy: the op is a test script; its cursor is
				// test bookkeeping.
				return Wait[int](last), nil
			case 2:
				c := NewWrite(nil)
				c.Complete(1)
				return Wait[int](c), nil
			}
			return Done(i), nil
		}, &a)
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		for range rapid.IntRange(1, 20).Draw(t, "actions") {
			switch rapid.IntRange(0, 4).Draw(t, "action") {
			case 0, 1:
				out, _ := s.Step()
				ended = out == StepDone || out == StepError
			case 2:
				if last != nil {
					last.Complete(1)
				}
			case 3:
				_, _ = s.StepContext(cancelled)
				ended = true
			default:
				s.Abandon()
				ended = true
			}
		}
		gaveUp := s.Err() != nil
		want := 0
		if gaveUp {
			want = 1
		}
		if a.n != want {
			t.Fatalf("abandoned %d times; err %v", a.n, s.Err())
		}
	})
}
