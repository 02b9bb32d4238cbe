package rt

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKindString(t *testing.T) {
	assert.Equal(t, "read", KindRead.String())
	assert.Equal(t, "write", KindWrite.String())
	assert.Equal(t, "sync", KindSync.String())
	assert.Equal(t, "truncate", KindTruncate.String())
	assert.Equal(t, "group", KindGroup.String())
	assert.Equal(t, "yield", KindYield.String())
	assert.Equal(t, "unknown", KindUnknown.String())
	assert.Equal(t, "Kind(200)", Kind(200).String())
}

func TestConstructorsSetKindAndBuffer(t *testing.T) {
	buf := make([]byte, 4)
	r := NewRead(buf, nil)
	assert.Equal(t, KindRead, r.Kind())
	assert.Len(t, r.Buffer(), 4)
	buf[0] = 9
	assert.Equal(t, byte(9), r.Buffer()[0], "the completion owns the caller's buffer, not a copy")
	for _, c := range []*Completion{NewWrite(nil), NewSync(nil), NewTruncate(nil)} {
		assert.Nil(t, c.Buffer())
		assert.False(t, c.Finished())
		assert.False(t, c.Succeeded())
		assert.False(t, c.Failed())
		assert.NoError(t, c.Err())
		assert.Zero(t, c.N())
		assert.False(t, c.IsExplicitYield())
	}
	assert.Equal(t, KindWrite, NewWrite(nil).Kind())
	assert.Equal(t, KindSync, NewSync(nil).Kind())
	assert.Equal(t, KindTruncate, NewTruncate(nil).Kind())
}

func TestCompleteRunsCallbackOnceAndPublishesAfterIt(t *testing.T) {
	var c *Completion
	calls := 0
	c = NewWrite(func(n int, err error) {
		calls++
		assert.Equal(t, 5, n)
		assert.NoError(t, err)
		assert.False(t, c.Finished(), "finished must turn true only after the callback returned")
		select {
		case <-c.Done():
			t.Error("Done closed before the callback returned")
		default:
		}
	})
	done := c.Done()
	c.Complete(5)
	assert.Equal(t, 1, calls)
	assert.True(t, c.Finished())
	assert.True(t, c.Succeeded())
	assert.False(t, c.Failed())
	assert.NoError(t, c.Err())
	assert.Equal(t, 5, c.N())
	select {
	case <-done:
	default:
		t.Fatal("Done channel not closed")
	}
	// Idempotent: later calls change nothing.
	c.Complete(9)
	c.Fail(errors.New("late"))
	c.Abort()
	assert.Equal(t, 1, calls)
	assert.True(t, c.Succeeded())
	assert.Equal(t, 5, c.N())
	assert.Contains(t, c.String(), "ok n=5")
}

func TestErrorRunsCallbackWithTheError(t *testing.T) {
	boom := errors.New("boom")
	for _, mk := range []func(func(int, error)) *Completion{NewWrite, NewSync, NewTruncate} {
		var gotN = -1
		var gotErr error
		c := mk(func(n int, err error) { gotN, gotErr = n, err })
		c.Fail(boom)
		assert.Equal(t, 0, gotN)
		assert.Same(t, boom, gotErr)
		assert.True(t, c.Failed())
		assert.False(t, c.Succeeded())
		assert.Same(t, boom, c.Err())
		assert.Zero(t, c.N())
		c.Complete(3)
		assert.Same(t, boom, c.Err(), "first of Complete/Error/Abort wins")
		assert.Contains(t, c.String(), "failed: boom")
	}
}

func TestAbortIsErrorAborted(t *testing.T) {
	c := NewWrite(nil)
	c.Abort()
	assert.ErrorIs(t, c.Err(), ErrAborted)
	c2 := NewWrite(nil)
	c2.Complete(1)
	c2.Abort()
	assert.True(t, c2.Succeeded(), "abort on a finished completion is a no-op, not a panic")
}

func TestErrorNilIsNeverSuccess(t *testing.T) {
	c := NewWrite(nil)
	c.Fail(nil)
	assert.True(t, c.Failed())
	assert.Error(t, c.Err())
}

func TestReadCallback(t *testing.T) {
	short := &ShortReadError{Page: 3, Expected: 4, Actual: 2}
	t.Run("success passes buffer and n", func(t *testing.T) {
		buf := []byte("abcd")
		c := NewRead(buf, func(b []byte, n int, err error) error {
			assert.Equal(t, "abcd", string(b))
			assert.Equal(t, 4, n)
			assert.NoError(t, err)
			return nil
		})
		c.Complete(4)
		assert.True(t, c.Succeeded())
		assert.Equal(t, 4, c.N())
	})
	t.Run("a returned error replaces success", func(t *testing.T) {
		c := NewRead(make([]byte, 4), func(b []byte, n int, err error) error {
			if err == nil && n < len(b) {
				return short
			}
			return err
		})
		c.Complete(2)
		require.True(t, c.Failed())
		var sr *ShortReadError
		require.ErrorAs(t, c.Err(), &sr)
		assert.Equal(t, int64(3), sr.Page)
		assert.Equal(t, 2, sr.Actual)
		assert.Zero(t, c.N())
	})
	t.Run("failure reaches the callback", func(t *testing.T) {
		var seen error
		c := NewRead(make([]byte, 1), func(_ []byte, n int, err error) error {
			seen = err
			assert.Zero(t, n)
			return nil
		})
		c.Abort()
		assert.ErrorIs(t, seen, ErrAborted)
		assert.ErrorIs(t, c.Err(), ErrAborted, "nil from the callback keeps the incoming error")
	})
	t.Run("a returned error replaces the incoming error", func(t *testing.T) {
		other := errors.New("decrypt")
		c := NewRead(make([]byte, 1), func(_ []byte, _ int, err error) error { return other })
		c.Abort()
		assert.Same(t, other, c.Err())
	})
	t.Run("nil callback", func(t *testing.T) {
		c := NewRead(make([]byte, 1), nil)
		c.Complete(1)
		assert.True(t, c.Succeeded())
	})
}

func TestSentinel(t *testing.T) {
	y := YieldCompletion()
	assert.Same(t, y, YieldCompletion(), "one shared sentinel")
	assert.True(t, y.IsExplicitYield())
	assert.Equal(t, KindYield, y.Kind())
	assert.True(t, y.Finished())
	assert.True(t, y.Succeeded())
	assert.False(t, y.Failed())
	assert.NoError(t, y.Err())
	assert.Nil(t, y.Buffer())
	// Every mutator is a no-op, never a panic.
	y.Complete(3)
	y.Fail(errors.New("x"))
	y.Abort()
	assert.True(t, y.Succeeded())
	assert.Zero(t, y.N())
	select {
	case <-y.Done():
	default:
		t.Fatal("sentinel Done channel must be closed")
	}
	assert.Equal(t, "rt.Completion(yield)", y.String())
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = YieldCompletion() }))
}

func TestDoneChannelAskedAfterFinish(t *testing.T) {
	c := NewSync(nil)
	c.Complete(0)
	select {
	case <-c.Done():
	default:
		t.Fatal("Done of a finished completion must be closed")
	}
}

func TestDoneChannelWakesWaiter(t *testing.T) {
	c := NewWrite(nil)
	woke := make(chan bool)
	go func() {
		<-c.Done()
		woke <- c.Finished()
	}()
	c.Complete(1)
	assert.True(t, <-woke, "a waiter woken by Done observes Finished")
}

func TestConcurrentCompletersCallbackRunsOnce(t *testing.T) {
	for round := 0; round < 50; round++ {
		var calls atomic.Int32
		c := NewWrite(func(int, error) { calls.Add(1) })
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				switch i % 3 {
				case 0:
					c.Complete(i)
				case 1:
					c.Fail(errors.New("e"))
				default:
					// Abort never waits: on a completion another
					// completer is finishing it returns at once.
					c.Abort()
					return
				}
				// A second Complete or Fail returns only after the first
				// completer has finished (sync.Once semantics).
				assert.True(t, c.Finished())
			}(i)
		}
		close(start)
		wg.Wait()
		assert.Equal(t, int32(1), calls.Load())
		assert.True(t, c.Finished())
		assert.NotEqual(t, c.Succeeded(), c.Failed())
	}
}

func TestErrorsAsTypedErrors(t *testing.T) {
	under := errors.New("EIO")
	ioErr := &IOError{Op: "read", Path: "/db", Err: under}
	c := NewWrite(nil)
	c.Fail(ioErr)
	var got *IOError
	require.ErrorAs(t, c.Err(), &got)
	assert.ErrorIs(t, c.Err(), under, "the OS error is wrapped, not flattened")
	assert.Equal(t, "rt: read /db: EIO", ioErr.Error())
	assert.Equal(t, "rt: sync: EIO", (&IOError{Op: "sync", Err: under}).Error())

	assert.Equal(t, "rt: short read of page 2: expected 4 bytes, got 1",
		(&ShortReadError{Page: 2, Expected: 4, Actual: 1}).Error())
	assert.Equal(t, "rt: short read at offset 32: expected 24 bytes, got 0",
		(&ShortReadError{Page: -1, Offset: 32, Expected: 24}).Error())
	assert.Contains(t, (&ShortWriteError{Offset: 8, Expected: 4, Actual: 2}).Error(), "short write at offset 8")
	assert.Contains(t, (&ChecksumError{Page: 1, Expected: 0xa, Actual: 0xb}).Error(), "expected 0xa, got 0xb")
	assert.Contains(t, (&PageMismatchError{Frame: 4, Expected: 1, Actual: 2}).Error(), "frame 4 holds page 2")
	cause := errors.New("bad tag")
	assert.ErrorIs(t, &DecryptionError{Page: 1, Err: cause}, cause)
	assert.Equal(t, "rt: failed to decrypt page 1", (&DecryptionError{Page: 1}).Error())
	assert.ErrorIs(t, &CodecError{Page: 1, Err: cause}, cause)
	assert.Equal(t, "rt: failed to decode page 5: bad tag", (&CodecError{Page: 5, Err: cause}).Error())
	assert.Equal(t, "rt: failed to decode page 5", (&CodecError{Page: 5}).Error())
}

func TestPanickingCallbackStillFinishes(t *testing.T) {
	c := NewWrite(func(int, error) { panic("callback bug") })
	g := NewGroup(nil)
	require.NoError(t, g.Add(c))
	gc := g.Build()
	assert.PanicsWithValue(t, "callback bug", func() { c.Complete(1) }, "the panic goes on")
	require.True(t, c.Finished(), "nobody waits forever on a completion whose callback panicked")
	var pe *CallbackPanicError
	require.ErrorAs(t, c.Err(), &pe)
	assert.Equal(t, KindWrite, pe.Kind)
	assert.Equal(t, "rt: write completion callback panicked", pe.Error())
	assert.True(t, gc.Finished(), "the parent group is notified")
	assert.ErrorAs(t, gc.Err(), &pe)
	c.Complete(1) // one-shot: no second panic
}
