package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// The same completion submitted twice: the second call fails with
// rt.ErrSubmittedTwice, draws no dice and queues nothing, whether the
// first is queued or finished inline.
func TestSubmittedTwice(t *testing.T) {
	for _, latency := range []float64{0, 1} {
		s := New(Config{Seed: 3, Latency: latency})
		f, err := s.Open("t", rt.OpenCreate)
		require.NoError(t, err)
		var seen []string
		r := rt.NewRead(make([]byte, 2), func(buf []byte, _ int, err error) error {
			seen = append(seen, string(buf))
			return err
		})
		w := rt.NewWrite(nil)
		_, err = f.WriteAt([]byte("abcd"), 0, w)
		require.NoError(t, err)
		_, err = f.WriteAt([]byte("zz"), 0, w)
		require.ErrorIs(t, err, rt.ErrSubmittedTwice)
		require.NoError(t, s.Wait(bg, w))
		_, err = f.ReadAt(r, 0)
		require.NoError(t, err)
		queued := s.Pending()
		traced := len(s.Trace())
		_, err = f.ReadAt(r, 2)
		require.ErrorIs(t, err, rt.ErrSubmittedTwice)
		assert.Equal(t, queued, s.Pending(), "nothing queued")
		assert.Equal(t, traced, len(s.Trace()), "nothing traced")
		require.NoError(t, s.Wait(bg, r))
		assert.Equal(t, []string{"ab"}, seen, "latency %v", latency)
		got, _ := s.Store().Bytes("t")
		assert.Equal(t, "abcd", string(got))

		v := rt.NewWrite(nil)
		_, err = f.WriteV([][]byte{[]byte("1"), []byte("2")}, 0, v)
		require.NoError(t, err)
		_, err = f.WriteV([][]byte{[]byte("3")}, 0, v)
		require.ErrorIs(t, err, rt.ErrSubmittedTwice)
		require.NoError(t, s.Wait(bg, v))
	}
}

// A completion whose submission failed by injection was never submitted:
// it may be submitted again.
func TestSubmitFaultDoesNotClaim(t *testing.T) {
	s := New(Config{Seed: 1, SubmitFaults: 1})
	f, err := s.Open("f", rt.OpenCreate)
	require.NoError(t, err)
	w := rt.NewWrite(nil)
	_, err = f.WriteAt([]byte("a"), 0, w)
	require.ErrorIs(t, err, ErrInjected)
	assert.False(t, w.Submitted())
	s.SetFaults(false)
	_, err = f.WriteAt([]byte("a"), 0, w)
	require.NoError(t, err)
	assert.True(t, w.Succeeded())
}

// After is a timer on the simulated clock: the event finishes at the Step
// that reaches its tick, and rt.Block on it returns.
func TestAfterTimer(t *testing.T) {
	s := New(Config{Seed: 5})
	ev := rt.NewEvent(nil)
	require.NoError(t, s.After(3, ev))
	require.Error(t, s.After(1, ev), "a timer is armed once")
	require.Error(t, s.After(1, rt.NewSync(nil)), "only event completions")
	require.Error(t, s.After(1, nil))
	assert.Equal(t, 1, s.Pending())
	require.NoError(t, s.Step(bg))
	assert.Equal(t, 3, s.Now(), "nothing else due: the clock jumps to the timer")
	assert.True(t, ev.Succeeded())

	late := rt.NewEvent(nil)
	require.NoError(t, s.After(2, late))
	entries := 0
	got, err := rt.Block(bg, s, func() (rt.IOResult[int], error) {
		//reentrycheck:ignore counts re-entries on purpose: the test asserts how often the driver calls
		entries++
		if !late.Finished() {
			// Re-entrancy: only the test's entry counter changes before
			// this yield; re-entry checks the timer again.
			return rt.Wait[int](late), nil
		}
		return rt.Done(s.Now()), nil
	})
	require.NoError(t, err)
	assert.Equal(t, 5, got)
	assert.Equal(t, 2, entries)

	cancelled := rt.NewEvent(nil)
	require.NoError(t, s.After(1, cancelled))
	cancelled.Abort()
	require.NoError(t, s.Step(bg))
	assert.ErrorIs(t, cancelled.Err(), rt.ErrAborted)
	tr := s.Trace()
	assert.Equal(t, "skipped", tr[len(tr)-1].What)
}

// WriteV under submission faults: a fault on the first child is a plain
// submission error (c never runs, nothing was written); a fault on a later
// child finishes c with that fault once the submitted children have
// finished, and the bytes before it are written.
func TestWriteVSubmitFaultProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := New(Config{
			Seed:         rapid.Uint64().Draw(t, "seed"),
			SubmitFaults: 0.4,
			Latency:      rapid.Float64Range(0, 1).Draw(t, "latency"),
		})
		f, err := s.Open("v", rt.OpenCreate)
		require.NoError(t, err)
		bufs := [][]byte{[]byte("ab"), []byte("cd"), []byte("ef")}
		c := rt.NewWrite(nil)
		got, err := f.WriteV(bufs, 0, c)
		if err != nil {
			require.ErrorIs(t, err, ErrInjected)
			require.Nil(t, got)
			require.False(t, c.Submitted(), "c stays unclaimed")
			require.Zero(t, s.Pending())
			return
		}

	})
}
