package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// A queued write whose completion is cancelled and recycled for another
// write: the stale queue entry is skipped (its bytes never land) and the
// new write alone finishes the completion.
func TestRecycledWhileQueued(t *testing.T) {
	s := New(Config{Seed: 9, Latency: 1, MaxDelay: 3})
	f, err := s.Open("f", rt.OpenCreate)
	require.NoError(t, err)
	var c rt.Completion
	calls := 0
	cb := func(int, error) { calls++ }
	require.NoError(t, c.ResetWrite(cb))
	_, err = f.WriteAt([]byte("old"), 0, &c)
	require.NoError(t, err)
	s.Cancel([]*rt.Completion{&c})
	require.ErrorIs(t, c.Err(), rt.ErrAborted)
	require.NoError(t, c.ResetWrite(cb))
	_, err = f.WriteAt([]byte("new"), 3, &c)
	require.NoError(t, err)
	require.NoError(t, s.Wait(bg, &c))
	require.NoError(t, s.Drain(bg, nil))
	for s.Pending() > 0 {
		require.NoError(t, s.Step(bg))
	}
	assert.True(t, c.Succeeded())
	assert.Equal(t, 3, c.N())
	assert.Equal(t, 2, calls, "one callback per operation")
	got, _ := s.Store().Bytes("f")
	assert.Equal(t, "\x00\x00\x00new", string(got), "the cancelled write moved no bytes")

	// A timer that is cancelled and recycled fires once, for the new arm.
	var ev rt.Completion
	fired := 0
	require.NoError(t, ev.ResetEvent(func(int, error) { fired++ }))
	require.NoError(t, s.After(1, &ev))
	ev.Abort()
	require.NoError(t, ev.Reset())
	require.NoError(t, s.After(2, &ev))
	require.NoError(t, s.Wait(bg, &ev))
	for s.Pending() > 0 {
		require.NoError(t, s.Step(bg))
	}
	assert.True(t, ev.Succeeded())
	assert.Equal(t, 2, fired, "the abort and the new timer")
}
