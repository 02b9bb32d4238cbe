package rt

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIOResultZeroValueIsDone(t *testing.T) {
	var r IOResult[int]
	assert.True(t, r.IsDone())
	assert.False(t, r.IsIO())
	assert.Nil(t, r.Completion())
	assert.Equal(t, 0, r.Value())
}

func TestDone(t *testing.T) {
	r := Done("x")
	assert.True(t, r.IsDone())
	assert.False(t, r.IsIO())
	assert.Equal(t, "x", r.Value())
	assert.Nil(t, r.Completion())
	assert.Equal(t, "rt.Done", r.String())
}

func TestWaitCarriesTheCompletion(t *testing.T) {
	c := NewWrite(nil)
	r := Wait[int](c)
	assert.True(t, r.IsIO())
	assert.False(t, r.IsDone())
	assert.Same(t, c, r.Completion())
	assert.Equal(t, 0, r.Value())
	assert.Contains(t, r.String(), "pending")
}

func TestWaitNilPanicsWithClearMessage(t *testing.T) {
	assert.PanicsWithValue(t,
		"rt.Wait: nil completion (use rt.Yield for an explicit yield without pending I/O)",
		func() {
			//reentrycheck:ignore the call panics; there is no result to keep
			Wait[int](nil)
		})
}

func TestYieldIsTheSentinelAndDoesNotAllocate(t *testing.T) {
	r := Yield[string]()
	require.True(t, r.IsIO())
	assert.Same(t, YieldCompletion(), r.Completion())
	assert.True(t, r.Completion().IsExplicitYield())
	allocs := testing.AllocsPerRun(100, func() {
		r := Yield[[]byte]()
		if !r.IsIO() {
			t.Fatal("not IO")
		}
	})
	assert.Zero(t, allocs)
}

func TestForward(t *testing.T) {
	boom := errors.New("boom")
	c := NewRead(make([]byte, 1), nil)

	r, err := Forward[string](Wait[int](c), nil)
	require.NoError(t, err)
	assert.True(t, r.IsIO())
	assert.Same(t, c, r.Completion(), "propagation keeps the same completion")

	r, err = Forward[string](Wait[int](c), boom)
	assert.Same(t, boom, err)
	assert.True(t, r.IsDone(), "an error exit is never a yield")

	r, err = Forward[string](Done(7), boom)
	assert.Same(t, boom, err)
	assert.True(t, r.IsDone())

	r, err = Forward[string](Done(7), nil)
	require.NoError(t, err)
	assert.True(t, r.IsDone())
	assert.Equal(t, "", r.Value(), "Forward of Done is Done(zero)")

	y, err := Forward[bool](Yield[int](), nil)
	require.NoError(t, err)
	assert.True(t, y.Completion().IsExplicitYield())
}

func TestMap(t *testing.T) {
	called := 0
	f := func(v int) string { called++; return strconv.Itoa(v * 2) }
	m := Map(Done(21), f)
	assert.True(t, m.IsDone())
	assert.Equal(t, "42", m.Value())
	assert.Equal(t, 1, called)

	c := NewSync(nil)
	m = Map(Wait[int](c), f)
	assert.True(t, m.IsIO())
	assert.Same(t, c, m.Completion())
	assert.Equal(t, 1, called, "f is not called for IO")
}

type restoreState struct {
	phase int
	count int
}

func TestReturnAndRestore(t *testing.T) {
	boom := errors.New("boom")
	c := NewWrite(nil)

	t.Run("IO writes the advanced copy back", func(t *testing.T) {
		slot := restoreState{phase: 1}
		var seen restoreState
		r, err := ReturnAndRestore(&slot, func(st *restoreState) (IOResult[int], error) {
			seen = *st //reentrycheck:ignore test instrumentation: records what the step saw
			st.count = 5
			return Wait[int](c), nil
		})
		require.NoError(t, err)
		assert.Equal(t, restoreState{phase: 1}, seen)
		assert.True(t, r.IsIO())
		assert.Equal(t, restoreState{phase: 1, count: 5}, slot)
	})
	t.Run("error writes the copy back", func(t *testing.T) {
		slot := restoreState{phase: 1}
		r, err := ReturnAndRestore(&slot, func(st *restoreState) (IOResult[int], error) {
			st.count = 3
			return IOResult[int]{}, boom
		})
		assert.Same(t, boom, err)
		assert.True(t, r.IsDone())
		assert.Equal(t, restoreState{phase: 1, count: 3}, slot)
	})
	t.Run("Done writes nothing back", func(t *testing.T) {
		slot := restoreState{phase: 1}
		r, err := ReturnAndRestore(&slot, func(st *restoreState) (IOResult[int], error) {
			st.count = 9
			return Done(st.count), nil
		})
		require.NoError(t, err)
		assert.Equal(t, 9, r.Value())
		assert.Equal(t, restoreState{phase: 1}, slot, "the caller sets the successor state")
	})
	t.Run("the step works on a copy", func(t *testing.T) {
		slot := restoreState{phase: 2}
		var during int
		r, err := ReturnAndRestore(&slot, func(st *restoreState) (IOResult[int], error) {
			st.phase = 3
			during = slot.phase //reentrycheck:ignore test instrumentation: observes the slot mid-step
			return Yield[int](), nil
		})
		require.NoError(t, err)
		assert.True(t, r.IsIO())
		assert.Equal(t, 2, during, "the slot is untouched while the step runs")
		assert.Equal(t, 3, slot.phase)
	})
}
