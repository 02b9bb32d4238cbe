package rt

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenFlag(t *testing.T) {
	assert.Equal(t, "read-only", OpenReadOnly.String())
	assert.Equal(t, "read-write", OpenReadWrite.String())
	assert.Equal(t, "create", OpenCreate.String())
	assert.Equal(t, "OpenFlag(invalid)", OpenFlag(7).String())
	assert.False(t, OpenReadOnly.Writable())
	assert.True(t, OpenReadWrite.Writable())
	assert.True(t, OpenCreate.Writable())
}

func TestFakeIOOpenRemove(t *testing.T) {
	io := newFakeIO(false)
	_, err := io.Open("x", OpenReadWrite)
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = io.Open("x", OpenCreate)
	require.NoError(t, err)
	require.NoError(t, io.Remove("x"))
	assert.ErrorIs(t, io.Remove("x"), os.ErrNotExist)
}

func TestWaitFor(t *testing.T) {
	ctx := context.Background()
	io := newFakeIO(true)
	assert.NoError(t, WaitFor(ctx, io, YieldCompletion()))
	assert.ErrorIs(t, WaitFor(ctx, io, nil), ErrNilCompletion)

	f, err := io.Open("f", OpenCreate)
	require.NoError(t, err)
	c, err := f.WriteAt([]byte("abc"), 0, NewWrite(nil))
	require.NoError(t, err)
	require.False(t, c.Finished(), "deferred backend")
	require.NoError(t, io.Wait(ctx, c))
	assert.Equal(t, 3, c.N())

	io.failComplete = ErrAborted
	c, err = f.Sync(NewSync(nil))
	require.NoError(t, err)
	assert.ErrorIs(t, io.Wait(ctx, c), ErrAborted, "Wait returns the completion's error")
}

func TestWaitForBlocksOnForeignCompletion(t *testing.T) {
	io := newFakeIO(true)
	c := NewWrite(nil)
	time.AfterFunc(10*time.Millisecond, func() { c.Complete(4) })
	require.NoError(t, WaitFor(context.Background(), io, c))
	assert.Equal(t, 4, c.N())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, WaitFor(ctx, io, NewWrite(nil)), context.DeadlineExceeded)
}

func TestWaitForWithoutPendingCounter(t *testing.T) {
	var io IO = struct{ IO }{newFakeIO(true)}
	_, isCounter := io.(PendingCounter)
	require.False(t, isCounter)
	c := NewWrite(nil)
	time.AfterFunc(10*time.Millisecond, func() { c.Complete(1) })
	require.NoError(t, WaitFor(context.Background(), io, c))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, WaitFor(ctx, io, NewWrite(nil)), context.Canceled)
}

func TestDrainAndCancel(t *testing.T) {
	ctx := context.Background()
	io := newFakeIO(true)
	f, err := io.Open("f", OpenCreate)
	require.NoError(t, err)
	a, _ := f.WriteAt([]byte("a"), 0, NewWrite(nil))
	io.failComplete = errors.New("second failed")
	b, _ := f.WriteAt([]byte("b"), 1, NewWrite(nil))
	io.failComplete = errors.New("third failed")
	c, _ := f.WriteAt([]byte("c"), 2, NewWrite(nil))
	err = io.Drain(ctx, []*Completion{a, nil, b, c})
	assert.EqualError(t, err, "second failed", "first error in list order")
	for _, x := range []*Completion{a, b, c} {
		assert.True(t, x.Finished())
	}

	p, q := NewWrite(nil), NewWrite(nil)
	q.Complete(1)
	io.Cancel([]*Completion{p, nil, q, YieldCompletion()})
	assert.ErrorIs(t, p.Err(), ErrAborted)
	assert.True(t, q.Succeeded())

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, DrainAll(cctx, io, []*Completion{NewWrite(nil)}), context.Canceled)
}

func TestWriteVFanIn(t *testing.T) {
	ctx := context.Background()
	t.Run("success", func(t *testing.T) {
		io := newFakeIO(true)
		f, _ := io.Open("f", OpenCreate)
		var gotN int
		c, err := f.WriteV([][]byte{[]byte("ab"), []byte("cde"), nil, []byte("f")}, 1,
			NewWrite(func(n int, err error) {
				if err == nil {
					gotN = n
				}
			}))
		require.NoError(t, err)
		require.NoError(t, io.Wait(ctx, c))
		assert.Equal(t, 6, gotN)
		assert.Equal(t, 6, c.N())
		size, _ := f.Size()
		assert.EqualValues(t, 7, size)
		buf := make([]byte, 6)
		r, _ := f.ReadAt(NewRead(buf, nil), 1)
		require.NoError(t, io.Wait(ctx, r))
		assert.Equal(t, "abcdef", string(buf))
	})
	t.Run("empty finishes at once", func(t *testing.T) {
		io := newFakeIO(true)
		f, _ := io.Open("f", OpenCreate)
		c, err := f.WriteV(nil, 0, NewWrite(nil))
		require.NoError(t, err)
		assert.True(t, c.Succeeded())
	})
	t.Run("a failing child still finishes the parent", func(t *testing.T) {
		io := newFakeIO(true)
		f, _ := io.Open("f", OpenCreate)
		io.failComplete = &IOError{Op: "write", Err: errors.New("ENOSPC")}
		c, err := f.WriteV([][]byte{[]byte("a"), []byte("b")}, 0, NewWrite(nil))
		require.NoError(t, err)
		var ioErr *IOError
		require.ErrorAs(t, io.Wait(ctx, c), &ioErr)
		assert.True(t, c.Failed())
	})
	t.Run("short child write", func(t *testing.T) {
		c := NewWrite(nil)
		_, err := WriteVFanIn(shortFile{}, [][]byte{[]byte("abcd"), []byte("ef")}, 8, c)
		require.NoError(t, err)
		var sw *ShortWriteError
		require.ErrorAs(t, c.Err(), &sw)
		assert.Equal(t, ShortWriteError{Offset: 8, Expected: 6, Actual: 3}, *sw)
	})
	t.Run("nil completion", func(t *testing.T) {
		_, err := WriteVFanIn(shortFile{}, nil, 0, nil)
		assert.ErrorIs(t, err, ErrNilCompletion)
	})
}

// shortFile completes every write synchronously with half its length.
type shortFile struct{ File }

func (shortFile) WriteAt(buf []byte, _ int64, c *Completion) (*Completion, error) {
	c.Complete(len(buf) / 2)
	return c, nil
}
