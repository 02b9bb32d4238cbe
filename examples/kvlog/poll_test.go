package kvlog

import (
	"context"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

// Two Gets on an unrecovered log poll the same recovery: the second finds
// it waiting on the first one's read and waits on the same completion, and
// each completion is consumed once.
func TestTwoGetsShareTheRecovery(t *testing.T) {
	ctx := context.Background()
	store := memio.NewStore()
	store.SetBytes(logPath, encodeAll("a", "1", "b", "2"))
	io := memio.NewDeferringOn(store)
	l := openLog(t, io, nil)
	g1, g2 := l.Get([]byte("a")), l.Get([]byte("b"))
	r1, err := g1.Resume()
	require.NoError(t, err)
	r2, err := g2.Resume()
	require.NoError(t, err)
	require.Same(t, r1.Completion(), r2.Completion(), "the second poll waits on the first read")

	v1, err := rt.Block(ctx, io, g1.Resume)
	require.NoError(t, err)
	v2, err := rt.Block(ctx, io, g2.Resume)
	require.NoError(t, err)
	require.Equal(t, "1", string(v1))
	require.Equal(t, "2", string(v2))
	n, err := recoverLog(t, io, l)
	require.NoError(t, err)
	require.Equal(t, 2, n, "every record was counted once")

	// Done is sticky.
	r1, err = g1.Resume()
	require.NoError(t, err)
	require.Equal(t, "1", string(r1.Value()))
}

// A failed completion is reported by the driver that waited on it; the
// next call of the same operation rewinds and retries (Get, Recovery) or
// reports the failure for good (Put, which released the log).
func TestFailedCompletionsAndLaterPolls(t *testing.T) {
	ctx := context.Background()
	s := sim.New(sim.Config{Seed: 1, CompletionFaults: 1})
	s.SetFaults(false)
	l := openLog(t, s, nil)
	_, err := put(t, s, l, "k", "v")
	require.NoError(t, err)

	// Get: fails once, then the same Get succeeds.
	s.SetFaults(true)
	g := l.Get([]byte("k"))
	_, err = rt.Block(ctx, s, g.Resume)
	require.ErrorIs(t, err, sim.ErrInjected)
	s.SetFaults(false)
	v, err := rt.Block(ctx, s, g.Resume)
	require.NoError(t, err)
	require.Equal(t, "v", string(v))

	// Recovery: fails on its first read, then resumes to the end.
	s.SetFaults(true)
	l2 := openLog(t, s, nil)
	_, err = recoverLog(t, s, l2)
	require.ErrorIs(t, err, sim.ErrInjected)
	s.SetFaults(false)
	n, err := recoverLog(t, s, l2)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, l.state(), l2.state())

	// Put polled by hand: before its write lands, then after it failed.
	s.SetFaults(true)
	p := l.Put([]byte("k"), []byte("lost"))
	r, err := p.Resume()
	require.NoError(t, err)
	c := r.Completion()
	require.False(t, c.Finished())
	again, err := p.Resume()
	require.NoError(t, err)
	require.Same(t, c, again.Completion(), "a poll before the write landed waits on it again")
	require.NoError(t, s.Step(ctx))
	require.True(t, c.Failed())
	r, err = p.Resume()
	require.ErrorIs(t, err, sim.ErrInjected)
	require.False(t, r.IsIO())
	require.ErrorIs(t, p.Err(), sim.ErrInjected)
	require.Nil(t, l.writer)
	r, err = p.Resume()
	require.ErrorIs(t, err, sim.ErrInjected, "a failed Put stays failed")
	require.False(t, r.IsIO())
	p.Abandon() // no effect after failure
	require.Equal(t, putFailed, p.state)

	s.SetFaults(false)
	v, err = rt.Block(ctx, s, l.Get([]byte("k")).Resume)
	require.NoError(t, err)
	require.Equal(t, "v", string(v), "the failed Put published nothing")
}

// A Put called again after Done returns the same offset and does nothing.
func TestPutDoneIsSticky(t *testing.T) {
	io := memio.New()
	l := openLog(t, io, nil)
	p := l.Put([]byte("k"), []byte("v"))
	off, err := rt.BlockWith(context.Background(), io, p.Resume, p)
	require.NoError(t, err)
	r, err := p.Resume()
	require.NoError(t, err)
	require.False(t, r.IsIO())
	require.Equal(t, off, r.Value())
	require.Equal(t, int64(headerSize+2), l.Tail())
}
