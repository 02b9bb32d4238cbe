package osio

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

func TestOpenMissingKeepsTheOSError(t *testing.T) {
	o := New()
	path := filepath.Join(t.TempDir(), "missing")
	_, err := o.Open(path, rt.OpenReadOnly)
	require.ErrorIs(t, err, fs.ErrNotExist)
	var ioErr *rt.IOError
	require.ErrorAs(t, err, &ioErr)
	assert.Equal(t, "open", ioErr.Op)
	var pathErr *fs.PathError
	require.ErrorAs(t, err, &pathErr, "the *fs.PathError from package os survives")
	assert.Equal(t, path, pathErr.Path)

	_, err = o.Open(path, rt.OpenFlag(42))
	require.ErrorIs(t, err, fs.ErrInvalid)
	require.ErrorIs(t, o.Remove(path), fs.ErrNotExist)
}

func TestReadWriteSyncTruncateSize(t *testing.T) {
	o := New()
	path := filepath.Join(t.TempDir(), "db")
	f, err := o.Open(path, rt.OpenCreate)
	require.NoError(t, err)
	defer f.Close()

	var wn int
	wc, err := f.WriteAt([]byte("hello"), 2, rt.NewWrite(func(n int, err error) {
		if err == nil {
			wn = n
		}
	}))
	require.NoError(t, err)
	require.True(t, wc.Finished(), "synchronous: finished inside the submit call")
	require.True(t, wc.Succeeded())
	assert.Equal(t, 5, wn)

	vc, err := f.WriteV([][]byte{[]byte("ab"), []byte("cd")}, 7, rt.NewWrite(nil))
	require.NoError(t, err)
	require.True(t, vc.Succeeded())
	assert.Equal(t, 4, vc.N())

	onDisk, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []byte("\x00\x00helloabcd"), onDisk)

	sc, err := f.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	assert.True(t, sc.Succeeded())

	rc, err := f.ReadAt(rt.NewRead(make([]byte, 4), nil), 3)
	require.NoError(t, err)
	require.True(t, rc.Succeeded())
	assert.Equal(t, "ello", string(rc.Buffer()))

	tc, err := f.Truncate(4, rt.NewTruncate(nil))
	require.NoError(t, err)
	require.True(t, tc.Succeeded())
	size, err := f.Size()
	require.NoError(t, err)
	assert.EqualValues(t, 4, size)

	require.NoError(t, o.Step(context.Background()))
	require.NoError(t, o.Wait(context.Background(), rc))
	require.NoError(t, o.Drain(context.Background(), []*rt.Completion{wc, vc, sc, rc, tc}))
	assert.Zero(t, o.Pending())
}

func TestShortReadAtEndOfFile(t *testing.T) {
	o := New()
	path := filepath.Join(t.TempDir(), "short")
	require.NoError(t, os.WriteFile(path, []byte("abc"), 0o644))
	f, err := o.Open(path, rt.OpenReadOnly)
	require.NoError(t, err)
	defer f.Close()

	plain, err := f.ReadAt(rt.NewRead(make([]byte, 8), nil), 1)
	require.NoError(t, err)
	require.True(t, plain.Succeeded(), "end of file is not an error")
	assert.Equal(t, 2, plain.N())

	strict, err := f.ReadAt(rt.NewRead(make([]byte, 8), func(buf []byte, n int, err error) error {
		if err == nil && n < len(buf) {
			return &rt.ShortReadError{Page: -1, Offset: 1, Expected: len(buf), Actual: n}
		}
		return err
	}), 1)
	require.NoError(t, err)
	require.True(t, strict.Failed(), "the callback's error replaces the success")
	var short *rt.ShortReadError
	require.ErrorAs(t, strict.Err(), &short)
	assert.Equal(t, 2, short.Actual)
}

func TestFailingSyscallFinishesTheCompletionWithTheOSError(t *testing.T) {
	o := New()
	path := filepath.Join(t.TempDir(), "ro")
	require.NoError(t, os.WriteFile(path, []byte("data"), 0o644))
	f, err := o.Open(path, rt.OpenReadOnly)
	require.NoError(t, err)
	defer f.Close()

	var cbErr error
	calls := 0
	c, err := f.WriteAt([]byte("x"), 0, rt.NewWrite(func(_ int, err error) { calls++; cbErr = err }))
	require.NoError(t, err, "the OS refuses at completion time, not at submission")
	require.True(t, c.Failed())
	assert.Equal(t, 1, calls, "the callback runs on failure too")
	require.Error(t, cbErr)
	var ioErr *rt.IOError
	require.ErrorAs(t, c.Err(), &ioErr)
	assert.Equal(t, "write", ioErr.Op)
	assert.Equal(t, path, ioErr.Path)
	assert.True(t, errors.Is(c.Err(), syscall.EBADF), "the errno is still there: %v", c.Err())
	assert.Zero(t, c.N())

	tc, err := f.Truncate(0, rt.NewTruncate(nil))
	require.NoError(t, err)
	require.True(t, tc.Failed())
	var pathErr *fs.PathError
	assert.ErrorAs(t, tc.Err(), &pathErr)

	vc, err := f.WriteV([][]byte{[]byte("a"), []byte("b")}, 0, rt.NewWrite(nil))
	require.NoError(t, err)
	require.True(t, vc.Failed())
	assert.Error(t, o.Wait(context.Background(), vc))

	var readCBErr error
	rc, err := f.ReadAt(rt.NewRead(make([]byte, 2), func(_ []byte, _ int, err error) error {
		readCBErr = err
		return nil // returning nil keeps the incoming error
	}), -1)
	require.NoError(t, err)
	require.True(t, rc.Failed(), "negative offset fails in package os")
	require.ErrorAs(t, rc.Err(), &pathErr)
	assert.Same(t, rc.Err(), readCBErr, "the read callback saw the same error")

	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []byte("data"), got)
}

func TestSubmissionErrors(t *testing.T) {
	o := New()
	path := filepath.Join(t.TempDir(), "s")
	f, err := o.Open(path, rt.OpenCreate)
	require.NoError(t, err)

	_, err = f.ReadAt(nil, 0)
	require.ErrorIs(t, err, rt.ErrNilCompletion)
	wrong := rt.NewSync(nil)
	_, err = f.WriteAt([]byte("x"), 0, wrong)
	require.Error(t, err)
	assert.False(t, wrong.Finished(), "a submission error never runs the completion")

	require.NoError(t, f.Close())
	require.ErrorIs(t, f.Close(), fs.ErrClosed)
	called := false
	c := rt.NewSync(func(int, error) { called = true })
	got, err := f.Sync(c)
	require.ErrorIs(t, err, fs.ErrClosed)
	assert.Nil(t, got)
	assert.False(t, c.Finished())
	assert.False(t, called)
	_, err = f.Size()
	require.ErrorIs(t, err, fs.ErrClosed)

	require.NoError(t, o.Remove(path))
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestCancelAbortsUnfinished(t *testing.T) {
	o := New()
	pending := rt.NewWrite(nil)
	o.Cancel([]*rt.Completion{pending, rt.YieldCompletion(), nil})
	require.ErrorIs(t, pending.Err(), rt.ErrAborted)
	require.ErrorIs(t, o.Wait(context.Background(), pending), rt.ErrAborted)
}

func TestBlockDrivesAResumableOperation(t *testing.T) {
	o := New()
	path := filepath.Join(t.TempDir(), "block")
	f, err := o.Open(path, rt.OpenCreate)
	require.NoError(t, err)
	defer f.Close()
	op := &writeThenRead{f: f, data: []byte("payload")}
	got, err := rt.Block(context.Background(), o, op.Resume)
	require.NoError(t, err)
	assert.Equal(t, "payload", string(got))
}

// writeThenRead writes data and reads it back, in the resumable shape.
type writeThenRead struct {
	f     rt.File
	data  []byte
	state int
	read  *rt.Completion
}

func (w *writeThenRead) Resume() (rt.IOResult[[]byte], error) {
	for {
		switch w.state {
		case 0:
			c, err := w.f.WriteAt(w.data, 0, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			w.state = 1
			// Re-entrancy: the state already names the next step; the
			// driver re-enters only after the write succeeded.
			return rt.Wait[[]byte](c), nil
		case 1:
			c, err := w.f.ReadAt(rt.NewRead(make([]byte, len(w.data)), nil), 0)
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			w.read, w.state = c, 2
			// Re-entrancy: as above; the read completion is kept in w.read.
			return rt.Wait[[]byte](c), nil
		default:
			return rt.Done(w.read.Buffer()), nil
		}
	}
}

// The same completion submitted twice: the second call fails with
// rt.ErrSubmittedTwice and performs no system call.
func TestSubmittedTwice(t *testing.T) {
	o := New()
	f, err := o.Open(filepath.Join(t.TempDir(), "twice"), rt.OpenCreate)
	require.NoError(t, err)
	defer f.Close()
	w := rt.NewWrite(nil)
	_, err = f.WriteAt([]byte("abcd"), 0, w)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte("zz"), 0, w)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	_, err = f.WriteV([][]byte{[]byte("zz")}, 0, w)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)

	var seen []string
	r := rt.NewRead(make([]byte, 2), func(buf []byte, _ int, err error) error {
		seen = append(seen, string(buf))
		return err
	})
	_, err = f.ReadAt(r, 0)
	require.NoError(t, err)
	_, err = f.ReadAt(r, 2)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	assert.Equal(t, []string{"ab"}, seen)
	assert.Equal(t, "ab", string(r.Buffer()))

	s := rt.NewSync(nil)
	_, err = f.Sync(s)
	require.NoError(t, err)
	_, err = f.Sync(s)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	tr := rt.NewTruncate(nil)
	_, err = f.Truncate(4, tr)
	require.NoError(t, err)
	_, err = f.Truncate(1, tr)
	require.ErrorIs(t, err, rt.ErrSubmittedTwice)
	size, err := f.Size()
	require.NoError(t, err)
	assert.EqualValues(t, 4, size)
}
