package rt

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// finishesWithin runs f on a goroutine and reports whether it returned
// within d: the deadlock tests below would otherwise hang the package.
func finishesWithin(d time.Duration, f func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// Two siblings whose callbacks abort each other on failure: finishing one
// must not deadlock in a nested once on the first.
func TestSiblingCallbacksAbortEachOther(t *testing.T) {
	var a, b *Completion
	a = NewWrite(func(_ int, err error) {
		if err != nil {
			b.Abort()
		}
	})
	b = NewWrite(func(_ int, err error) {
		if err != nil {
			a.Abort()
		}
	})
	boom := errors.New("boom")
	require.True(t, finishesWithin(2*time.Second, func() { a.Fail(boom) }), "a.Fail deadlocked")
	assert.Same(t, boom, a.Err(), "a keeps its own failure: the abort from b's callback loses")
	assert.ErrorIs(t, b.Err(), ErrAborted)
}

// The same cycle through three completions and a group callback.
func TestAbortCycleThroughGroup(t *testing.T) {
	var a, b *Completion
	g := NewGroup(func(err error) {
		if err != nil {
			a.Abort()
		}
	})
	a = NewWrite(func(_ int, err error) {
		if err != nil {
			b.Abort()
		}
	})
	b = NewWrite(nil)
	require.NoError(t, g.Add(b))
	gc := g.Build()
	require.True(t, finishesWithin(2*time.Second, func() { a.Fail(errors.New("x")) }), "deadlock")
	assert.True(t, gc.Failed())
	assert.True(t, a.Failed())
}

// ErrNotFinalized is sticky: the transition is not stepped again.
func TestNotFinalizedIsSticky(t *testing.T) {
	tr := &forgetfulTransition{}
	m := NewMachine[int](tr)
	//reentrycheck:ignore only the error matters: the test checks the misuse is reported
	_, err := m.Step()
	require.ErrorIs(t, err, ErrNotFinalized)
	//reentrycheck:ignore only the error matters: the test checks the misuse is reported again
	_, err = m.Step()
	require.ErrorIs(t, err, ErrNotFinalized, "the second Step reports the same misuse")
	assert.Equal(t, 1, tr.steps, "the transition ran once")
	assert.False(t, m.IsFinished())
	m.Finalize()
	assert.True(t, tr.finalized, "Finalize still releases the transition")
}

type forgetfulTransition struct {
	steps     int
	finalized bool
}

func (f *forgetfulTransition) Step() (TransitionResult[int], error) {
	f.steps++
	return Finish(f.steps), nil // without finalizing: a misuse
}
func (f *forgetfulTransition) Finalize()         { f.finalized = true }
func (f *forgetfulTransition) IsFinalized() bool { return f.finalized }

// A group that is dropped before Build claims nothing: its children can
// join another group (Turso links at build).
func TestDroppedUnbuiltGroupDoesNotClaim(t *testing.T) {
	c := NewWrite(nil)
	dropped := NewGroup(nil)
	require.NoError(t, dropped.Add(c))

	var p groupProbe
	g := NewGroup(p.cb)
	require.NoError(t, g.Add(c), "an unbuilt group does not own its children")
	gc := g.Build()
	assert.False(t, gc.Finished())
	c.Complete(3)
	assert.True(t, gc.Succeeded())
	calls, err := p.get()
	assert.Equal(t, 1, calls)
	assert.NoError(t, err)
}

// subFailFile fails the submission of its k-th WriteAt (0-based) and
// records the completions it accepted.
type subFailFile struct {
	File
	k, n      int
	err       error
	submitted []*Completion
}

func (f *subFailFile) WriteAt(buf []byte, off int64, c *Completion) (*Completion, error) {
	defer func() { f.n++ }()
	if f.n == f.k {
		return nil, f.err
	}
	got, err := f.File.WriteAt(buf, off, c)
	if err == nil {
		f.submitted = append(f.submitted, got)
	}
	return got, err
}

// A submission error after earlier children were submitted leaves those
// children running (never aborted under the backend) and finishes c with
// the error once they have finished: the caller waits on c alone.
func TestWriteVFanInPartialSubmission(t *testing.T) {
	fio := newFakeIO(true)
	raw, err := fio.Open("f", OpenCreate)
	require.NoError(t, err)
	subErr := errors.New("queue full")
	f := &subFailFile{File: raw, k: 1, err: subErr}
	var cbErr error
	c := NewWrite(func(_ int, err error) { cbErr = err })
	got, err := WriteVFanIn(f, [][]byte{[]byte("ab"), []byte("cd"), []byte("ef")}, 0, c)
	require.NoError(t, err, "part of the write is in flight: the error comes through c")
	require.Same(t, c, got)
	require.Len(t, f.submitted, 1)
	assert.False(t, f.submitted[0].Finished(), "the submitted child is not aborted under the backend")
	assert.False(t, c.Finished(), "c waits for the submitted child")
	require.NoError(t, fio.Step(context.Background()))
	assert.True(t, f.submitted[0].Succeeded())
	require.True(t, c.Failed())
	assert.ErrorIs(t, c.Err(), subErr)
	assert.ErrorIs(t, cbErr, subErr)
}

// When the very first child fails to submit nothing is in flight: a plain
// submission error, and c never runs.
func TestWriteVFanInFirstSubmissionFails(t *testing.T) {
	fio := newFakeIO(true)
	raw, err := fio.Open("f", OpenCreate)
	require.NoError(t, err)
	subErr := errors.New("queue full")
	f := &subFailFile{File: raw, k: 0, err: subErr}
	c := NewWrite(nil)
	got, err := WriteVFanIn(f, [][]byte{[]byte("ab"), []byte("cd")}, 0, c)
	require.ErrorIs(t, err, subErr)
	assert.Nil(t, got)
	assert.False(t, c.Finished())
	assert.Zero(t, fio.Pending())
}
