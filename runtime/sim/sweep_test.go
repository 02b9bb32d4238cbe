package sim

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// lockTable is shared state that an operation holds across its yields.
type lockTable struct{ held int }

type lockedState int

const (
	lockedAcquire lockedState = iota
	lockedWrite
	lockedAwait
	lockedRelease
	lockedDone
)

// lockedWriter takes a lock, writes n one-byte records (one I/O each) and
// releases the lock. With abandonable set it implements the abandonment
// method that a driver calls when it gives the operation up.
type lockedWriter struct {
	f      rt.File
	locks  *lockTable
	n      int
	state  lockedState
	i      int
	holds  bool
	closes int
}

func (w *lockedWriter) Resume() (rt.IOResult[int], error) {
	for {
		switch w.state {
		case lockedAcquire:
			w.locks.held++
			w.holds = true
			w.state = lockedWrite
		case lockedWrite:
			if w.i == w.n {
				w.state = lockedRelease
				continue
			}
			c, err := w.f.WriteAt([]byte{byte('0' + w.i)}, int64(w.i), rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			w.state = lockedAwait
			if !c.Finished() {
				// Re-entrancy: the state says the write is in flight, so
				// re-entry counts it in lockedAwait instead of
				// submitting it again.
				return rt.Wait[int](c), nil
			}
		case lockedAwait:
			w.i++
			w.state = lockedWrite
		case lockedRelease:
			w.release()
			w.state = lockedDone
		default:
			return rt.Done(w.i), nil
		}
	}
}

// release gives the lock back once.
func (w *lockedWriter) release() {
	if w.holds {
		w.holds = false
		w.locks.held--
	}
}

// abandonableWriter adds the idempotent abandonment method.
type abandonableWriter struct{ *lockedWriter }

func (w abandonableWriter) Abandon() {
	w.closes++
	w.release()
}

func lockedCase(abandonable bool, n int) func() (SweepCase[int], error) {
	return func() (SweepCase[int], error) {
		d := memio.NewDeferring()
		f, err := d.Open("log", rt.OpenCreate)
		if err != nil {
			return SweepCase[int]{}, err
		}
		locks := &lockTable{}
		w := &lockedWriter{f: f, locks: locks, n: n}
		var owner any
		if abandonable {
			owner = abandonableWriter{w}
		}
		return SweepCase[int]{
			IO:    d,
			Op:    w.Resume,
			Owner: owner,
			Check: func() error {
				if locks.held != 0 {
					return fmt.Errorf("lock still held (%d)", locks.held)
				}
				if abandonable && w.closes > 1 {
					return errors.New("abandoned twice")
				}
				return nil
			},
		}, nil
	}
}

func TestSweepVisitsEveryBoundary(t *testing.T) {
	res, err := Sweep(context.Background(), lockedCase(true, 4), 100)
	require.NoError(t, err)
	assert.Equal(t, 4, res.Boundaries, "one boundary per write")
	assert.Empty(t, res.Failures)
	assert.NoError(t, res.Err())
}

func TestSweepFindsALockLeakedAtAYield(t *testing.T) {
	res, err := Sweep(context.Background(), lockedCase(false, 3), 100)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Boundaries)
	require.Len(t, res.Failures, 3, "every abandonment point leaks the lock")
	for i, f := range res.Failures {
		assert.Equal(t, i+1, f.N)
		assert.ErrorContains(t, f, "lock still held")
	}
	assert.ErrorContains(t, res.Err(), "abandoned after I/O 2")
}

func TestSweepOperationWithoutIO(t *testing.T) {
	res, err := Sweep(context.Background(), lockedCase(false, 0), 10)
	require.NoError(t, err)
	assert.Zero(t, res.Boundaries)
	assert.Empty(t, res.Failures)
}

func TestSweepHarnessErrors(t *testing.T) {
	_, err := Sweep(context.Background(), lockedCase(true, 5), 2)
	require.ErrorContains(t, err, "did not complete within 2")

	boom := errors.New("boom")
	_, err = Sweep(context.Background(), func() (SweepCase[int], error) { return SweepCase[int]{}, boom }, 5)
	require.ErrorIs(t, err, boom)

	_, err = Sweep(context.Background(), func() (SweepCase[int], error) {
		return SweepCase[int]{
			IO: memio.New(),
			Op: func() (rt.IOResult[int], error) { return rt.IOResult[int]{}, boom },
		}, nil
	}, 5)
	require.ErrorIs(t, err, boom)

	// The awaited I/O fails: reported as a harness error.
	_, err = Sweep(context.Background(), func() (SweepCase[int], error) {
		s := New(Config{Seed: 1, CompletionFaults: 1})
		f, err := s.Open("x", rt.OpenCreate)
		if err != nil {
			return SweepCase[int]{}, err
		}
		return SweepCase[int]{IO: s, Op: (&lockedWriter{f: f, locks: &lockTable{}, n: 1}).Resume}, nil
	}, 5)
	require.ErrorIs(t, err, ErrInjected)
}

func TestSweepCallsCloseAndAbandonWithError(t *testing.T) {
	closed := 0
	closer := closerFunc(func() error { closed++; return errors.New("close failed") })
	res, err := Sweep(context.Background(), func() (SweepCase[int], error) {
		d := memio.NewDeferring()
		f, err := d.Open("x", rt.OpenCreate)
		if err != nil {
			return SweepCase[int]{}, err
		}
		return SweepCase[int]{IO: d, Op: (&lockedWriter{f: f, locks: &lockTable{}, n: 2}).Resume, Owner: closer}, nil
	}, 5)
	require.NoError(t, err)
	assert.Equal(t, 2, closed)
	require.Len(t, res.Failures, 2)
	assert.ErrorContains(t, res.Failures[0], "close failed")
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }
