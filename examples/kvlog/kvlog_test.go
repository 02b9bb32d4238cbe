package kvlog

import (
	"context"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// backend is an rt.IO over a memio.Store, inline or deferring.
type backend interface {
	rt.IO
	Store() *memio.Store
}

var backends = []struct {
	name string
	new  func(*memio.Store) backend
}{
	{"inline", func(s *memio.Store) backend { return memio.NewOn(s) }},
	{"deferring", func(s *memio.Store) backend { return memio.NewDeferringOn(s) }},
}

func TestPutGetRecover(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			store := memio.NewStore()
			io := b.new(store)
			l := openLog(t, io, nil)

			want := map[string]string{}
			var offs []int64
			for _, kv := range [][2]string{{"a", "1"}, {"b", "two"}, {"c", ""}, {"a", "one again"}} {
				off, err := put(t, io, l, kv[0], kv[1])
				require.NoError(t, err)
				offs = append(offs, off)
				want[kv[0]] = kv[1]
			}
			// Records are laid end to end from offset 0.
			require.Equal(t, []int64{0, 18, 38, 55}, offs)
			require.Equal(t, int64(55+headerSize+1+9), l.Tail())
			require.True(t, l.Recovered(), "the first Put recovered the empty log")
			requireContents(t, io, l, want)

			_, err := get(t, io, l, "missing")
			require.ErrorIs(t, err, ErrNotFound)

			// The file holds exactly the four records.
			file, ok := store.Bytes(logPath)
			require.True(t, ok)
			require.Equal(t, encodeAll("a", "1", "b", "two", "c", "", "a", "one again"), file)

			// A restart recovers the same index.
			io2 := b.new(store)
			l2 := openLog(t, io2, nil)
			n, err := recoverLog(t, io2, l2)
			require.NoError(t, err)
			require.Equal(t, 4, n)
			require.Equal(t, l.state(), l2.state())
			requireContents(t, io2, l2, want)

			// Recover is one operation per log: Done again, nothing re-read.
			n, err = recoverLog(t, io2, l2)
			require.NoError(t, err)
			require.Equal(t, 4, n)
		})
	}
}

func TestGetRecoversFirst(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			store := memio.NewStore()
			store.SetBytes(logPath, encodeAll("x", "10", "y", "20"))
			io := b.new(store)
			l := openLog(t, io, nil)
			require.False(t, l.Recovered())
			v, err := get(t, io, l, "y")
			require.NoError(t, err)
			require.Equal(t, "20", v)
			require.True(t, l.Recovered())
			require.Equal(t, []string{"x", "y"}, l.Keys())
		})
	}
}

func TestRecoverTruncatesTornTail(t *testing.T) {
	good := encodeAll("k1", "v1", "k2", "v2")
	next := encodeRecord([]byte("k3"), []byte("value three"), int64(len(good)))
	corrupt := append([]byte(nil), next...)
	corrupt[len(corrupt)-1] ^= 1
	cases := map[string][]byte{
		"torn header":  next[:5],
		"torn body":    next[:len(next)-3],
		"bad checksum": corrupt,
		"garbage":      {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1},
	}
	for _, b := range backends {
		for name, tail := range cases {
			t.Run(b.name+"/"+name, func(t *testing.T) {
				store := memio.NewStore()
				store.SetBytes(logPath, append(append([]byte(nil), good...), tail...))
				io := b.new(store)
				l := openLog(t, io, nil)
				n, err := recoverLog(t, io, l)
				require.NoError(t, err)
				require.Equal(t, 2, n)
				require.Equal(t, int64(len(good)), l.Tail())
				file, _ := store.Bytes(logPath)
				require.Equal(t, good, file, "the tail was cut")

				// The next Put goes where the torn record was.
				off, err := put(t, io, l, "k3", "3")
				require.NoError(t, err)
				require.Equal(t, int64(len(good)), off)
				requireContents(t, io, l, map[string]string{"k1": "v1", "k2": "v2", "k3": "3"})
			})
		}
	}
}

func TestGetChecksTheRecord(t *testing.T) {
	store := memio.NewStore()
	io := memio.NewOn(store)
	l := openLog(t, io, nil)
	_, err := put(t, io, l, "k", "value")
	require.NoError(t, err)

	// A flipped bit under the index: the read callback rejects it.
	file, _ := store.Bytes(logPath)
	file[len(file)-1] ^= 1
	store.SetBytes(logPath, file)
	_, err = get(t, io, l, "k")
	require.ErrorIs(t, err, ErrCorrupt)

	// A file cut under the index: a short read.
	store.SetBytes(logPath, file[:len(file)-2])
	_, err = get(t, io, l, "k")
	var short *rt.ShortReadError
	require.ErrorAs(t, err, &short)
	assert.Equal(t, len(file), short.Expected)
	assert.Equal(t, len(file)-2, short.Actual)
}

func TestPutRejectsBadInput(t *testing.T) {
	io := memio.New()
	l := openLog(t, io, nil)
	_, err := put(t, io, l, "", "v")
	require.ErrorIs(t, err, ErrBadKey)
	p := l.Put([]byte("k"), make([]byte, MaxValueLen+1))
	_, err = rt.BlockWith(context.Background(), io, p.Resume, p)
	require.ErrorIs(t, err, ErrValueTooLong)
	require.ErrorIs(t, p.Err(), ErrValueTooLong)
	require.Nil(t, l.writer, "a failed Put releases the log")
	require.Zero(t, l.Tail())
}

// Two Puts interleaved by Steppers on the deferring backend: the second
// yields while the first holds the log, and both commit, one after the
// other.
func TestConcurrentPutsSerialize(t *testing.T) {
	ctx := context.Background()
	io := memio.NewDeferring()
	l := openLog(t, io, nil)
	p1, p2 := l.Put([]byte("a"), []byte("1")), l.Put([]byte("b"), []byte("2"))
	s1, s2 := rt.NewStepper(p1.Resume), rt.NewStepper(p2.Resume)
	yields := 0
	for steps := 0; steps < 100; steps++ {
		o1, err := s1.Step()
		require.NoError(t, err)
		o2, err := s2.Step()
		require.NoError(t, err)
		if o2 == rt.StepYield {
			yields++
			require.Equal(t, p1, l.writer, "p2 yields only while p1 holds the log")
		}
		if o1 == rt.StepDone && o2 == rt.StepDone {
			break
		}
		require.NoError(t, io.Step(ctx))
	}
	require.Positive(t, yields)
	require.Equal(t, int64(0), s1.Result())
	require.Equal(t, int64(headerSize+2), s2.Result())
	requireContents(t, io, l, map[string]string{"a": "1", "b": "2"})
}

// A Put abandoned with its write in flight releases the log, and the next
// Put waits for that write to land before writing over the same offset.
func TestAbandonedPutFencesTheNextOne(t *testing.T) {
	ctx := context.Background()
	io := memio.NewDeferring()
	l := openLog(t, io, nil)
	_, err := recoverLog(t, io, l)
	require.NoError(t, err)

	p1 := l.Put([]byte("lost"), []byte("xxxxxxxxxxxxxxxx"))
	for p1.state != putWritten {
		r, err := p1.Resume()
		require.NoError(t, err)
		require.True(t, r.IsIO())
	}
	require.False(t, p1.write.Finished())
	p1.Abandon()
	p1.Abandon() // idempotent
	require.Nil(t, l.writer)
	r, err := p1.Resume()
	require.ErrorIs(t, err, ErrAbandoned)
	require.False(t, r.IsIO())

	p2 := l.Put([]byte("kept"), []byte("1"))
	r, err = p2.Resume()
	require.NoError(t, err)
	require.True(t, r.Completion().IsExplicitYield(), "the fence holds p2 back")
	require.Equal(t, putLock, p2.state)

	require.NoError(t, io.Step(ctx)) // the abandoned write lands
	off, err := rt.BlockWith(ctx, io, p2.Resume, p2)
	require.NoError(t, err)
	require.Equal(t, int64(0), off, "the abandoned record was never published")
	requireContents(t, io, l, map[string]string{"kept": "1"})
	_, err = get(t, io, l, "lost")
	require.ErrorIs(t, err, ErrNotFound)
}
