package memio

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

func TestDeferringMovesBytesEagerlyAndDefersCompletion(t *testing.T) {
	d := NewDeferring()
	f, err := d.Open("e", rt.OpenCreate)
	require.NoError(t, err)

	called := false
	wc, err := f.WriteAt([]byte("abc"), 0, rt.NewWrite(func(int, error) { called = true }))
	require.NoError(t, err)
	got, _ := d.Store().Bytes("e")
	assert.Equal(t, []byte("abc"), got, "bytes are in the store when the submit call returns")
	assert.False(t, wc.Finished(), "the completion waits for Step")
	assert.False(t, called)

	rc, err := f.ReadAt(rt.NewRead(make([]byte, 3), nil), 0)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(rc.Buffer()), "a read fills its buffer at submission")
	assert.False(t, rc.Finished())
	assert.Equal(t, 2, d.Pending())

	require.NoError(t, d.Step(context.Background()))
	assert.True(t, wc.Succeeded())
	assert.True(t, called)
	assert.True(t, rc.Succeeded())
	assert.Zero(t, d.Pending())
	assert.Equal(t, 1, d.Steps())

	require.NoError(t, d.Step(context.Background()), "an idle Step returns at once")
	assert.Equal(t, 1, d.Steps())
}

func TestDeferringOrderAndFollowUps(t *testing.T) {
	d := NewDeferring()
	f, err := d.Open("o", rt.OpenCreate)
	require.NoError(t, err)

	var order []string
	var followUp *rt.Completion
	_, err = f.WriteAt([]byte("1"), 0, rt.NewWrite(func(int, error) {
		order = append(order, "w1")
		// A completion submitted by a callback waits for the next Step.
		c, err := f.Sync(rt.NewSync(func(int, error) { order = append(order, "sync") }))
		if err == nil {
			followUp = c
		}
	}))
	require.NoError(t, err)
	_, err = f.Truncate(5, rt.NewTruncate(func(int, error) { order = append(order, "trunc") }))
	require.NoError(t, err)
	_, err = f.ReadAt(rt.NewRead(make([]byte, 1), func(_ []byte, _ int, err error) error {
		order = append(order, "r")
		return err
	}), 0)
	require.NoError(t, err)

	require.NoError(t, d.Step(context.Background()))
	assert.Equal(t, []string{"w1", "trunc", "r"}, order, "submission order")
	require.NotNil(t, followUp)
	assert.False(t, followUp.Finished())
	assert.Equal(t, 1, d.Pending())

	require.NoError(t, d.Step(context.Background()))
	assert.Equal(t, []string{"w1", "trunc", "r", "sync"}, order)
	assert.True(t, followUp.Succeeded())
}

func TestDeferringWaitAndDrain(t *testing.T) {
	d := NewDeferring()
	f, err := d.Open("w", rt.OpenCreate)
	require.NoError(t, err)
	c1, err := f.WriteAt([]byte("a"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	c2, err := f.ReadAt(rt.NewRead(make([]byte, 4), func(buf []byte, n int, err error) error {
		if err == nil && n < len(buf) {
			return &rt.ShortReadError{Page: -1, Expected: len(buf), Actual: n}
		}
		return err
	}), 0)
	require.NoError(t, err)

	require.NoError(t, d.Wait(context.Background(), c1))
	err = d.Drain(context.Background(), []*rt.Completion{c1, nil, c2})
	var short *rt.ShortReadError
	require.ErrorAs(t, err, &short, "Drain returns the first failure")
	require.NoError(t, d.Wait(context.Background(), rt.YieldCompletion()), "the sentinel needs no Step")
}

func TestDeferringCancel(t *testing.T) {
	d := NewDeferring()
	f, err := d.Open("c", rt.OpenCreate)
	require.NoError(t, err)
	var gotErr error
	calls := 0
	c, err := f.WriteAt([]byte("kept"), 0, rt.NewWrite(func(_ int, err error) { calls++; gotErr = err }))
	require.NoError(t, err)
	d.Cancel([]*rt.Completion{c})
	require.True(t, c.Failed())
	require.ErrorIs(t, c.Err(), rt.ErrAborted)
	require.NoError(t, d.Step(context.Background()))
	assert.Equal(t, 1, calls, "the queued delivery after an abort does not run the callback again")
	assert.ErrorIs(t, gotErr, rt.ErrAborted)
	got, _ := d.Store().Bytes("c")
	assert.Equal(t, []byte("kept"), got, "bytes moved at submission stay moved")
}

func TestDeferringStepStopsOnCancelledContext(t *testing.T) {
	d := NewDeferring()
	f, err := d.Open("x", rt.OpenCreate)
	require.NoError(t, err)
	c, err := f.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, d.Step(ctx), context.Canceled)
	assert.False(t, c.Finished())
	assert.Equal(t, 1, d.Pending(), "the batch is put back")
	require.ErrorIs(t, d.Wait(ctx, c), context.Canceled)
	require.NoError(t, d.Wait(context.Background(), c))
}

// TestBackendsAgreeWithModel applies random writes, vectored writes and
// truncates to both backends and to a plain byte-slice model: the stores
// end up equal to the model, and every read returns the model's bytes.
func TestBackendsAgreeWithModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var model []byte
		sync, def := New(), NewDeferring()
		fs, err := sync.Open("p", rt.OpenCreate)
		require.NoError(t, err)
		fd, err := def.Open("p", rt.OpenCreate)
		require.NoError(t, err)
		ops := rapid.IntRange(1, 30).Draw(t, "ops")
		for range ops {
			off := rapid.IntRange(0, 40).Draw(t, "off")
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 0:
				data := rapid.SliceOfN(rapid.Byte(), 0, 16).Draw(t, "data")
				if end := off + len(data); end > len(model) {
					model = append(model, make([]byte, end-len(model))...)
				}
				copy(model[off:], data)
				_, err := fs.WriteAt(data, int64(off), rt.NewWrite(nil))
				require.NoError(t, err)
				_, err = fd.WriteAt(data, int64(off), rt.NewWrite(nil))
				require.NoError(t, err)
			case 1:
				a := rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, "a")
				b := rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, "b")
				data := append(append([]byte(nil), a...), b...)
				if end := off + len(data); end > len(model) {
					model = append(model, make([]byte, end-len(model))...)
				}
				copy(model[off:], data)
				_, err := fs.WriteV([][]byte{a, b}, int64(off), rt.NewWrite(nil))
				require.NoError(t, err)
				_, err = fd.WriteV([][]byte{a, b}, int64(off), rt.NewWrite(nil))
				require.NoError(t, err)
			case 2:
				if off < len(model) {
					model = model[:off]
				} else {
					model = append(model, make([]byte, off-len(model))...)
				}
				_, err := fs.Truncate(int64(off), rt.NewTruncate(nil))
				require.NoError(t, err)
				_, err = fd.Truncate(int64(off), rt.NewTruncate(nil))
				require.NoError(t, err)
			case 3:
				n := rapid.IntRange(0, 16).Draw(t, "n")
				want := make([]byte, n)
				if off < len(model) {
					copy(want, model[off:])
				}
				for _, f := range []rt.File{fs, fd} {
					c, err := f.ReadAt(rt.NewRead(make([]byte, n), nil), int64(off))
					require.NoError(t, err)
					if !bytes.Equal(want, c.Buffer()) {
						t.Fatalf("read %d@%d: got %q, want %q", n, off, c.Buffer(), want)
					}
				}
			}
			if rapid.Bool().Draw(t, "step") {
				require.NoError(t, def.Step(context.Background()))
			}
		}
		require.NoError(t, def.Step(context.Background()))
		assert.Zero(t, def.Pending())
		a, _ := sync.Store().Bytes("p")
		b, _ := def.Store().Bytes("p")
		if !bytes.Equal(model, a) || !bytes.Equal(model, b) {
			t.Fatalf("stores diverge from the model:\nmodel %q\nsync  %q\ndefer %q", model, a, b)
		}
	})
}

// TestDeferringConcurrentSubmitters: submitters on several goroutines and
// a stepper on another; run under -race. Every completion finishes once
// and every byte lands.
func TestDeferringConcurrentSubmitters(t *testing.T) {
	d := NewDeferring()
	const writers, perWriter = 4, 50
	f, err := d.Open("c", rt.OpenCreate)
	require.NoError(t, err)
	done := make(chan []*rt.Completion, writers)
	for w := range writers {
		go func() {
			var cs []*rt.Completion
			for i := range perWriter {
				off := int64(w*perWriter + i)
				c, err := f.WriteAt([]byte{byte(w + 1)}, off, rt.NewWrite(nil))
				if err != nil {
					panic(err)
				}
				cs = append(cs, c)
			}
			done <- cs
		}()
	}
	var all []*rt.Completion
	for range writers {
		for {
			select {
			case cs := <-done:
				all = append(all, cs...)
			default:
				require.NoError(t, d.Step(context.Background()))
				continue
			}
			break
		}
	}
	require.NoError(t, d.Drain(context.Background(), all))
	require.Len(t, all, writers*perWriter)
	got, _ := d.Store().Bytes("c")
	for i, b := range got {
		require.Equal(t, byte(i/perWriter+1), b, "byte %d", i)
	}
}
