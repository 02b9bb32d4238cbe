package memio

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// With DeferNth exactly the listed submissions wait for a Step; every
// other one has finished when its submit call returns.
func TestDeferNthProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 20).Draw(t, "n")
		ks := rapid.SliceOfDistinct(rapid.IntRange(1, n), rapid.ID[int]).Draw(t, "ks")
		d := NewDeferringWith(nil, DeferNth(ks...))
		f, err := d.Open("p", rt.OpenCreate)
		require.NoError(t, err)
		var cs []*rt.Completion
		for i := range n {
			c, err := f.WriteAt([]byte{byte(i)}, int64(i), rt.NewWrite(nil))
			require.NoError(t, err)
			cs = append(cs, c)
		}
		for i, c := range cs {
			if deferred := slices.Contains(ks, i+1); c.Finished() == deferred {
				t.Fatalf("submission %d: finished=%v, deferred=%v", i+1, c.Finished(), deferred)
			}
		}
		if d.Pending() != len(ks) {
			t.Fatalf("pending %d, want %d", d.Pending(), len(ks))
		}
		require.NoError(t, d.Step(context.Background()))
		for i, c := range cs {
			if !c.Succeeded() {
				t.Fatalf("submission %d not finished after Step", i+1)
			}
		}
		assert.Equal(t, n, d.Submissions())
	})
}

func TestDeferKindsPathsAndSetPolicy(t *testing.T) {
	d := NewDeferringWith(nil, DeferKinds(rt.KindRead))
	f, err := d.Open("a", rt.OpenCreate)
	require.NoError(t, err)
	w, err := f.WriteAt([]byte("x"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	assert.True(t, w.Succeeded(), "writes finish inline")
	r, err := f.ReadAt(rt.NewRead(make([]byte, 1), nil), 0)
	require.NoError(t, err)
	assert.False(t, r.Finished(), "reads wait for a Step")
	assert.Equal(t, "x", string(r.Buffer()), "bytes moved at submission all the same")

	d.SetPolicy(DeferPaths("b"))
	g, err := d.Open("b", rt.OpenCreate)
	require.NoError(t, err)
	ra, err := f.ReadAt(rt.NewRead(make([]byte, 1), nil), 0)
	require.NoError(t, err)
	assert.True(t, ra.Finished(), "a is no longer deferred")
	sb, err := g.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	assert.False(t, sb.Finished(), "b is")
	require.NoError(t, d.Drain(context.Background(), []*rt.Completion{r, sb}))

	d.SetPolicy(DeferFrom(6))
	s5, err := g.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	s6, err := g.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	assert.True(t, s5.Finished())
	assert.False(t, s6.Finished())
	d.SetPolicy(nil)
	s7, err := g.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	assert.False(t, s7.Finished(), "nil is DeferAll")
}

// An inline completion submitted from a deferred callback finishes inside
// that callback; the backend's lock is not held while callbacks run.
func TestInlineSubmissionFromCallback(t *testing.T) {
	d := NewDeferringWith(nil, DeferNth(1))
	f, err := d.Open("cb", rt.OpenCreate)
	require.NoError(t, err)
	var inner *rt.Completion
	_, err = f.WriteAt([]byte("a"), 0, rt.NewWrite(func(int, error) {
		inner, _ = f.Sync(rt.NewSync(nil))
	}))
	require.NoError(t, err)
	require.NoError(t, d.Step(context.Background()))
	require.NotNil(t, inner)
	assert.True(t, inner.Succeeded())
}

// waitEvent is a resumable operation that waits on an event completion,
// then reports its outcome.
type waitEvent struct {
	ev      *rt.Completion
	entries int
}

func (w *waitEvent) Resume() (rt.IOResult[int], error) {
	//reentrycheck:ignore counts re-entries on purpose: the test asserts how often the driver calls
	w.entries++
	if !w.ev.Finished() {
		// Re-entrancy: nothing but the entry counter (test bookkeeping)
		// changes before this yield; re-entry checks the event again.
		return rt.Wait[int](w.ev), nil
	}
	if err := w.ev.Err(); err != nil {
		return rt.IOResult[int]{}, err
	}
	return rt.Done(w.ev.N()), nil
}

// An event completion handed to the deferring backend finishes at the
// next Step, so rt.Block on it returns instead of waiting forever.
func TestScheduleEvent(t *testing.T) {
	d := NewDeferring()
	ev := rt.NewEvent(nil)
	require.NoError(t, d.Schedule(ev, 42, nil))
	assert.Equal(t, 1, d.Pending())
	require.Error(t, d.Schedule(ev, 1, nil), "scheduled twice")
	require.Error(t, d.Schedule(rt.NewWrite(nil), 1, nil), "only events")
	require.Error(t, d.Schedule(nil, 1, nil))
	w := &waitEvent{ev: ev}
	got, err := rt.Block(context.Background(), d, w.Resume)
	require.NoError(t, err)
	assert.Equal(t, 42, got)
	assert.Equal(t, 2, w.entries)

	boom := errors.New("reset by peer")
	ev2 := rt.NewEvent(nil)
	require.NoError(t, d.Schedule(ev2, 0, boom))
	_, err = rt.Block(context.Background(), d, (&waitEvent{ev: ev2}).Resume)
	require.ErrorIs(t, err, boom)

	f, err := d.Open("e", rt.OpenCreate)
	require.NoError(t, err)
	_, err = f.Sync(rt.NewEvent(nil))
	require.Error(t, err, "no file method submits an event")
}

// An event finished on another goroutine wakes rt.Block on the
// synchronous backend, which has nothing to step.
func TestEventFromAnotherGoroutine(t *testing.T) {
	ev := rt.NewEvent(nil)
	timer := time.AfterFunc(5*time.Millisecond, func() { ev.Complete(7) })
	defer timer.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := rt.Block(ctx, New(), (&waitEvent{ev: ev}).Resume)
	require.NoError(t, err)
	assert.Equal(t, 7, got)

	// Nobody finishes this one: the wait lasts until the context ends.
	short, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	_, err = rt.Block(short, New(), (&waitEvent{ev: rt.NewEvent(nil)}).Resume)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}
