package memio

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// submitTwice submits the same completion twice through every submit
// method; the second submission must fail with rt.ErrSubmittedTwice and
// leave no effect.
func submitTwice(t *testing.T, io rt.IO) {
	t.Helper()
	f, err := io.Open("twice", rt.OpenCreate)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte("abcdefgh"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, io.Drain(context.Background(), nil))

	var seen []string
	r := rt.NewRead(make([]byte, 4), func(buf []byte, _ int, err error) error {
		seen = append(seen, string(buf))
		return err
	})
	_, err = f.ReadAt(r, 0)
	require.NoError(t, err)
	_, err = f.ReadAt(r, 4)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	require.NoError(t, io.Wait(context.Background(), r))
	assert.Equal(t, []string{"abcd"}, seen)
	assert.Equal(t, "abcd", string(r.Buffer()), "the rejected read did not touch the buffer")

	w := rt.NewWrite(nil)
	_, err = f.WriteAt([]byte("X"), 0, w)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte("Y"), 1, w)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	_, err = f.WriteV([][]byte{[]byte("Z")}, 2, w)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	if pc, ok := io.(rt.PendingCounter); ok {
		assert.LessOrEqual(t, pc.Pending(), 1, "one pending operation at most")
	}
	require.NoError(t, io.Wait(context.Background(), w))
	s := rt.NewSync(nil)
	_, err = f.Sync(s)
	require.NoError(t, err)
	_, err = f.Sync(s)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	tr := rt.NewTruncate(nil)
	_, err = f.Truncate(8, tr)
	require.NoError(t, err)
	_, err = f.Truncate(2, tr)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	require.NoError(t, io.Drain(context.Background(), []*rt.Completion{s, tr}))
	size, err := f.Size()
	require.NoError(t, err)
	assert.EqualValues(t, 8, size, "the rejected truncate had no effect")
	buf := make([]byte, 8)
	rc, err := f.ReadAt(rt.NewRead(buf, nil), 0)
	require.NoError(t, err)
	require.NoError(t, io.Wait(context.Background(), rc))
	assert.Equal(t, "Xbcdefgh", string(buf), "the rejected writes moved no bytes")
}

func TestSubmittedTwiceSync(t *testing.T)      { submitTwice(t, New()) }
func TestSubmittedTwiceDeferring(t *testing.T) { submitTwice(t, NewDeferring()) }

// A submission rejected before the claim (closed handle) leaves the
// completion free to be submitted elsewhere.
func TestRejectedSubmissionDoesNotClaim(t *testing.T) {
	io := New()
	f, err := io.Open("r", rt.OpenCreate)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	w := rt.NewWrite(nil)
	_, err = f.WriteAt([]byte("a"), 0, w)
	require.Error(t, err)
	assert.False(t, w.Submitted())
	g, err := io.Open("r", rt.OpenReadWrite)
	require.NoError(t, err)
	_, err = g.WriteAt([]byte("a"), 0, w)
	require.NoError(t, err)
	assert.True(t, w.Succeeded())
}
