package memio

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// A queued read whose completion is cancelled and recycled for another
// read: the stale outcome does not finish the new read.
func TestDeferringRecycledWhileQueued(t *testing.T) {
	ctx := context.Background()
	d := NewDeferring()
	f, err := d.Open("f", rt.OpenCreate)
	require.NoError(t, err)
	w, err := f.WriteAt([]byte("ab"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, d.Wait(ctx, w))

	var c rt.Completion
	var seen []byte
	cb := func(buf []byte, n int, err error) error {
		if err == nil {
			seen = append(seen, buf[:n]...)
		}
		return nil
	}
	require.NoError(t, c.ResetRead(make([]byte, 1), cb))
	_, err = f.ReadAt(&c, 0)
	require.NoError(t, err)
	d.Cancel([]*rt.Completion{&c})
	require.NoError(t, c.ResetRead(make([]byte, 1), cb))
	_, err = f.ReadAt(&c, 1)
	require.NoError(t, err)
	require.NoError(t, d.Step(ctx))
	assert.True(t, c.Succeeded())
	assert.Equal(t, []byte("b"), seen)

	// Schedule claims by ticket too.
	var ev rt.Completion
	require.NoError(t, ev.ResetEvent(nil))
	require.NoError(t, d.Schedule(&ev, 1, nil))
	ev.Abort()
	require.NoError(t, ev.Reset())
	require.NoError(t, d.Schedule(&ev, 2, nil))
	require.NoError(t, d.Step(ctx))
	assert.Equal(t, 2, ev.N())
}

// The crash model holds syncs by ticket: a sync completion recycled for a
// write is not mistaken for a pending or successful sync.
func TestSyncTrackerRecycledSync(t *testing.T) {
	ctx := context.Background()
	tr := TrackSyncs(New())
	f, err := tr.Open("f", rt.OpenCreate)
	require.NoError(t, err)
	var c rt.Completion
	require.NoError(t, c.ResetWrite(nil))
	_, err = f.WriteAt([]byte("a"), 0, &c)
	require.NoError(t, err)
	require.NoError(t, c.ResetSync(nil))
	_, err = f.Sync(&c)
	require.NoError(t, err)
	require.NoError(t, tr.Wait(ctx, &c))
	require.NoError(t, c.ResetWrite(nil))
	_, err = f.WriteAt([]byte("b"), 1, &c)
	require.NoError(t, err)
	synced, ok := tr.Store().Synced("f")
	require.True(t, ok)
	assert.Equal(t, "a", string(synced), "the synced write is durable, the later one is not")
	assert.Equal(t, 1, tr.Store().Unsynced("f"))
}
