package corpus

import (
	"bytes"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// The options for operations that absorb polls and settle their I/O.
var opts = reentrytest.Options{PollTolerant: true, RequireSettled: true, MaxCalls: 20000}

func pages() [][]byte {
	return [][]byte{bytes.Repeat([]byte{1}, 16), bytes.Repeat([]byte{2}, 16), bytes.Repeat([]byte{3}, 16)}
}

func open(env reentrytest.Env, path string) rt.File {
	f, err := env.IO.Open(path, rt.OpenCreate)
	if err != nil {
		panic(err)
	}
	return f
}

func TestReentryBatch(t *testing.T) {
	reentrytest.CheckWith(t, opts, func(env reentrytest.Env) (reentrytest.Run[int64], error) {
		b := NewBatch(open(env, "log"), 0, []byte("one"), []byte("two"), []byte("three"))
		return reentrytest.Run[int64]{Op: b.Resume, Snapshot: b.State}, nil
	})
}

func TestReentryFlush(t *testing.T) {
	reentrytest.CheckWith(t, opts, func(env reentrytest.Env) (reentrytest.Run[int], error) {
		fl := NewFlush(open(env, "data"), pages()...)
		return reentrytest.Run[int]{Op: fl.Resume, Snapshot: fl.State}, nil
	})
}

func TestReentryScan(t *testing.T) {
	reentrytest.CheckWith(t, opts, func(env reentrytest.Env) (reentrytest.Run[int], error) {
		env.Store.SetBytes("data", bytes.Join(pages(), nil))
		s := NewScan(open(env, "data"), 16, 48)
		return reentrytest.Run[int]{Op: s.Resume, Snapshot: s.State}, nil
	})
}

func TestReentryPipeline(t *testing.T) {
	reentrytest.CheckWith(t, opts, func(env reentrytest.Env) (reentrytest.Run[int], error) {
		p := NewPipeline(open(env, "log"), open(env, "data"), []byte("record"), pages()...)
		return reentrytest.Run[int]{Op: p.Resume, Snapshot: p.State}, nil
	})
}

func TestReentryMirror(t *testing.T) {
	reentrytest.CheckWith(t, opts, func(env reentrytest.Env) (reentrytest.Run[int64], error) {
		m := NewMirror(0, []byte("record"), open(env, "a"), open(env, "b"), open(env, "c"))
		return reentrytest.Run[int64]{Op: m.Resume, Snapshot: m.State}, nil
	})
}
