package memio

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// backends returns both backends over fresh stores, with a function that
// makes pending completions finish (a no-op for the synchronous one).
func backends() map[string]struct {
	io     rt.IO
	store  *Store
	settle func(t *testing.T)
} {
	sync := New()
	def := NewDeferring()
	return map[string]struct {
		io     rt.IO
		store  *Store
		settle func(t *testing.T)
	}{
		"sync":      {sync, sync.Store(), func(*testing.T) {}},
		"deferring": {def, def.Store(), func(t *testing.T) { require.NoError(t, def.Step(context.Background())) }},
	}
}

func TestOpenModes(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			_, err := b.io.Open("missing", rt.OpenReadOnly)
			require.ErrorIs(t, err, fs.ErrNotExist)
			var ioErr *rt.IOError
			require.ErrorAs(t, err, &ioErr)
			assert.Equal(t, "open", ioErr.Op)
			assert.Equal(t, "missing", ioErr.Path)

			_, err = b.io.Open("missing", rt.OpenReadWrite)
			require.ErrorIs(t, err, fs.ErrNotExist)

			f, err := b.io.Open("a", rt.OpenCreate)
			require.NoError(t, err)
			size, err := f.Size()
			require.NoError(t, err)
			assert.Zero(t, size)
			got, ok := b.store.Bytes("a")
			assert.True(t, ok)
			assert.Empty(t, got)

			_, err = b.io.Open("a", rt.OpenFlag(99))
			require.ErrorIs(t, err, fs.ErrInvalid)
		})
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			f, err := b.io.Open("f", rt.OpenCreate)
			require.NoError(t, err)

			var wrote int
			var werr error
			wc, err := f.WriteAt([]byte("hello world"), 3, rt.NewWrite(func(n int, err error) { wrote, werr = n, err }))
			require.NoError(t, err)
			b.settle(t)
			require.True(t, wc.Succeeded())
			assert.Equal(t, 11, wc.N())
			assert.Equal(t, 11, wrote)
			assert.NoError(t, werr)

			got, _ := b.store.Bytes("f")
			assert.Equal(t, append([]byte{0, 0, 0}, "hello world"...), got, "a write past the end zero-fills the gap")
			size, err := f.Size()
			require.NoError(t, err)
			assert.EqualValues(t, 14, size)

			var cbBuf []byte
			var cbN int
			rc, err := f.ReadAt(rt.NewRead(make([]byte, 5), func(buf []byte, n int, err error) error {
				cbBuf, cbN = append([]byte(nil), buf...), n
				return err
			}), 9)
			require.NoError(t, err)
			b.settle(t)
			require.True(t, rc.Succeeded())
			assert.Equal(t, "world", string(rc.Buffer()))
			assert.Equal(t, "world", string(cbBuf))
			assert.Equal(t, 5, cbN)
		})
	}
}

func TestWriteV(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			f, err := b.io.Open("v", rt.OpenCreate)
			require.NoError(t, err)
			c, err := f.WriteV([][]byte{[]byte("ab"), nil, []byte("cde")}, 1, rt.NewWrite(nil))
			require.NoError(t, err)
			b.settle(t)
			require.True(t, c.Succeeded())
			assert.Equal(t, 5, c.N())
			got, _ := b.store.Bytes("v")
			assert.Equal(t, []byte("\x00abcde"), got)
		})
	}
}

func TestSyncAndTruncate(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			f, err := b.io.Open("t", rt.OpenCreate)
			require.NoError(t, err)
			_, err = f.WriteAt([]byte("0123456789"), 0, rt.NewWrite(nil))
			require.NoError(t, err)

			synced := false
			sc, err := f.Sync(rt.NewSync(func(n int, err error) { synced = err == nil }))
			require.NoError(t, err)
			shrink, err := f.Truncate(4, rt.NewTruncate(nil))
			require.NoError(t, err)
			b.settle(t)
			assert.True(t, sc.Succeeded())
			assert.True(t, synced)
			assert.True(t, shrink.Succeeded())
			got, _ := b.store.Bytes("t")
			assert.Equal(t, []byte("0123"), got)

			grow, err := f.Truncate(6, rt.NewTruncate(nil))
			require.NoError(t, err)
			b.settle(t)
			assert.True(t, grow.Succeeded())
			got, _ = b.store.Bytes("t")
			assert.Equal(t, []byte("0123\x00\x00"), got, "growing zero-fills")
			size, err := f.Size()
			require.NoError(t, err)
			assert.EqualValues(t, 6, size)
		})
	}
}

func TestShortReadIsDecidedByTheCallback(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			b.store.SetBytes("s", []byte("abc"))
			f, err := b.io.Open("s", rt.OpenReadOnly)
			require.NoError(t, err)

			// No callback: the completion reports the bytes it got.
			plain, err := f.ReadAt(rt.NewRead(make([]byte, 8), nil), 1)
			require.NoError(t, err)

			// A callback that insists on a full buffer turns it into
			// a ShortReadError, which replaces the success.
			var sawN int
			strict, err := f.ReadAt(rt.NewRead(make([]byte, 8), func(buf []byte, n int, err error) error {
				sawN = n
				if err == nil && n < len(buf) {
					return &rt.ShortReadError{Page: -1, Offset: 1, Expected: len(buf), Actual: n}
				}
				return err
			}), 1)
			require.NoError(t, err)

			// Past the end: zero bytes.
			past, err := f.ReadAt(rt.NewRead(make([]byte, 2), nil), 10)
			require.NoError(t, err)
			b.settle(t)

			require.True(t, plain.Succeeded())
			assert.Equal(t, 2, plain.N())
			assert.Equal(t, "bc", string(plain.Buffer()[:2]))

			require.True(t, strict.Failed())
			assert.Equal(t, 2, sawN)
			var short *rt.ShortReadError
			require.ErrorAs(t, strict.Err(), &short)
			assert.Equal(t, 8, short.Expected)
			assert.Equal(t, 2, short.Actual)
			assert.Zero(t, strict.N())

			require.True(t, past.Succeeded())
			assert.Zero(t, past.N())
		})
	}
}

func TestCallbackErrorReplacesSuccess(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			b.store.SetBytes("c", []byte("xxxx"))
			f, err := b.io.Open("c", rt.OpenReadOnly)
			require.NoError(t, err)
			bad := errors.New("checksum mismatch")
			c, err := f.ReadAt(rt.NewRead(make([]byte, 4), func([]byte, int, error) error { return bad }), 0)
			require.NoError(t, err)
			b.settle(t)
			require.True(t, c.Failed())
			assert.ErrorIs(t, c.Err(), bad)
		})
	}
}

func TestSubmissionErrors(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			b.store.SetBytes("r", []byte("data"))
			ro, err := b.io.Open("r", rt.OpenReadOnly)
			require.NoError(t, err)

			called := false
			wc := rt.NewWrite(func(int, error) { called = true })
			got, err := ro.WriteAt([]byte("z"), 0, wc)
			require.ErrorIs(t, err, fs.ErrPermission)
			assert.Nil(t, got)
			_, err = ro.Truncate(0, rt.NewTruncate(nil))
			require.ErrorIs(t, err, fs.ErrPermission)
			_, err = ro.ReadAt(nil, 0)
			require.ErrorIs(t, err, rt.ErrNilCompletion)
			_, err = ro.ReadAt(rt.NewWrite(nil), 0)
			require.Error(t, err, "a write completion is not a read")
			_, err = ro.ReadAt(rt.NewRead(make([]byte, 1), nil), -1)
			require.ErrorIs(t, err, fs.ErrInvalid)

			require.NoError(t, ro.Close())
			require.ErrorIs(t, ro.Close(), fs.ErrClosed)
			_, err = ro.ReadAt(rt.NewRead(make([]byte, 1), nil), 0)
			require.ErrorIs(t, err, fs.ErrClosed)
			_, err = ro.Size()
			require.ErrorIs(t, err, fs.ErrClosed)

			b.settle(t)
			assert.False(t, wc.Finished(), "a submission error never runs the completion")
			assert.False(t, called)
			data, _ := b.store.Bytes("r")
			assert.Equal(t, []byte("data"), data)
		})
	}
}

func TestRemoveKeepsOpenHandles(t *testing.T) {
	for name, b := range backends() {
		t.Run(name, func(t *testing.T) {
			b.store.SetBytes("gone", []byte("old"))
			f, err := b.io.Open("gone", rt.OpenReadWrite)
			require.NoError(t, err)
			require.NoError(t, b.io.Remove("gone"))
			require.ErrorIs(t, b.io.Remove("gone"), fs.ErrNotExist)
			_, ok := b.store.Bytes("gone")
			assert.False(t, ok)

			c, err := f.ReadAt(rt.NewRead(make([]byte, 3), nil), 0)
			require.NoError(t, err)
			b.settle(t)
			assert.Equal(t, "old", string(c.Buffer()), "an unlinked file stays readable through its handle")

			g, err := b.io.Open("gone", rt.OpenCreate)
			require.NoError(t, err)
			size, err := g.Size()
			require.NoError(t, err)
			assert.Zero(t, size, "a new file at the same path starts empty")
		})
	}
}

func TestSynchronousFinishesInline(t *testing.T) {
	m := New()
	f, err := m.Open("i", rt.OpenCreate)
	require.NoError(t, err)
	c, err := f.WriteAt([]byte("x"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	assert.True(t, c.Finished(), "the synchronous backend finishes inside the submit call")
	assert.Zero(t, m.Pending())
	require.NoError(t, m.Wait(context.Background(), c))
	require.NoError(t, m.Step(context.Background()))
}

func TestStoreSnapshot(t *testing.T) {
	s := NewStore()
	s.SetBytes("b", []byte("2"))
	s.SetBytes("a", nil)
	assert.Equal(t, []string{"a", "b"}, s.Paths())
	snap := s.Snapshot()
	assert.Equal(t, map[string][]byte{"a": {}, "b": []byte("2")}, snap)
	snap["b"][0] = 'X'
	got, _ := s.Bytes("b")
	assert.Equal(t, []byte("2"), got, "a snapshot is a copy")
}
