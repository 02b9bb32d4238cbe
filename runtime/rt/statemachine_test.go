package rt

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransitionResultVariants(t *testing.T) {
	var zero TransitionResult[int]
	assert.True(t, zero.IsContinue(), "the zero value is Continue")
	assert.False(t, zero.IsIO())
	assert.False(t, zero.IsFinished())

	assert.True(t, Continue[int]().IsContinue())

	f := Finish(7)
	assert.True(t, f.IsFinished())
	assert.False(t, f.IsContinue())
	assert.False(t, f.IsIO())
	assert.Equal(t, 7, f.Value())
	assert.Nil(t, f.Completion())

	c := NewWrite(nil)
	io := TransitionIO[int](c)
	assert.True(t, io.IsIO())
	assert.False(t, io.IsContinue())
	assert.False(t, io.IsFinished())
	assert.Same(t, c, io.Completion())

	assert.PanicsWithValue(t,
		"rt.TransitionIO: nil completion (use rt.YieldCompletion() for an explicit yield)",
		func() {
			//reentrycheck:ignore the call panics; there is no result to keep
			TransitionIO[int](nil)
		})
}

// scripted is a Transition that returns a fixed script of results.
type scripted struct {
	script    []func(*scripted) (TransitionResult[string], error)
	pos       int
	finalized int
}

func (s *scripted) Step() (TransitionResult[string], error) {
	f := s.script[s.pos]
	s.pos++ //reentrycheck:ignore a scripted test transition: the script position is its state
	return f(s)
}
func (s *scripted) Finalize()         { s.finalized++ }
func (s *scripted) IsFinalized() bool { return s.finalized > 0 }

func cont(*scripted) (TransitionResult[string], error) { return Continue[string](), nil }

func TestMachineLoopsOnContinueAndReturnsIO(t *testing.T) {
	c := NewRead(make([]byte, 1), nil)
	s := &scripted{script: []func(*scripted) (TransitionResult[string], error){
		cont, cont,
		func(*scripted) (TransitionResult[string], error) { return TransitionIO[string](c), nil },
		cont,
		func(s *scripted) (TransitionResult[string], error) { s.Finalize(); return Finish("ok"), nil },
	}}
	m := NewMachine[string](s)
	r, err := m.Step()
	require.NoError(t, err)
	require.True(t, r.IsIO())
	assert.Same(t, c, r.Completion())
	assert.Equal(t, 3, s.pos, "Continue loops without returning")
	assert.False(t, m.IsFinished())

	r, err = m.Step()
	require.NoError(t, err)
	require.True(t, r.IsDone())
	assert.Equal(t, "ok", r.Value())
	assert.True(t, m.IsFinished())
	assert.True(t, m.IsFinalized())

	r, err = m.Step()
	assert.ErrorIs(t, err, ErrMachineFinished, "a finished machine is never restarted")
	assert.True(t, r.IsDone())
	assert.Equal(t, 5, s.pos, "the transition is not called again")
	m.Finalize()
	assert.Equal(t, 1, s.finalized, "Finalize is idempotent")
}

func TestMachineRequiresFinalizeBeforeFinish(t *testing.T) {
	s := &scripted{script: []func(*scripted) (TransitionResult[string], error){
		func(*scripted) (TransitionResult[string], error) { return Finish("x"), nil },
	}}
	m := NewMachine[string](s)
	r, err := m.Step()
	assert.ErrorIs(t, err, ErrNotFinalized)
	assert.True(t, r.IsDone(), "an error exit is not a yield")
	assert.False(t, m.IsFinished())
}

func TestMachineErrorPropagatesUnfinalized(t *testing.T) {
	boom := errors.New("boom")
	s := &scripted{script: []func(*scripted) (TransitionResult[string], error){
		cont,
		func(*scripted) (TransitionResult[string], error) { return Continue[string](), boom },
	}}
	m := NewMachine[string](s)
	r, err := m.Step()
	assert.Same(t, boom, err)
	assert.True(t, r.IsDone(), "an error exit is not a yield")
	assert.False(t, m.IsFinalized())
	assert.False(t, m.IsFinished())
	m.Abandon()
	assert.True(t, m.IsFinalized())
	r, err = m.Step()
	assert.True(t, r.IsDone())
	assert.ErrorIs(t, err, ErrMachineFinished, "an abandoned machine is not stepped again")
	assert.Equal(t, 2, s.pos)
}

func TestMachineExplicitYield(t *testing.T) {
	s := &scripted{script: []func(*scripted) (TransitionResult[string], error){
		func(*scripted) (TransitionResult[string], error) {
			return TransitionIO[string](YieldCompletion()), nil
		},
	}}
	r, err := NewMachine[string](s).Step()
	require.NoError(t, err)
	assert.True(t, r.Completion().IsExplicitYield())
}
