package replay

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A flow state records a reset only where a clobber may rebuild what it
// emptied, and at most maxResets of them: the record only excuses such
// clobbers, so what it leaves out costs a report, never a miss.
func TestAddReset(t *testing.T) {
	a := &analysis{m: &masks{rebuilt: map[string]bool{"s.buf": true, "s": true}}}
	st := newFlow()
	a.addReset(st, "s.x")
	assert.False(t, st.reset.has("s.x"), "nothing is clobbered at or below s.x")
	a.addReset(st, "s.buf")
	assert.True(t, st.reset.has("s.buf"))
	a.addReset(st, "s")
	assert.True(t, st.reset.has("s"), "a clobber below s")

	for i := 0; i < 2*maxResets; i++ {
		a.m.rebuilt[fmt.Sprintf("s.f%d", i)] = true
	}
	for i := 0; i < 2*maxResets; i++ {
		a.addReset(st, fmt.Sprintf("s.f%d", i))
	}
	assert.Equal(t, maxResets, st.reset.len(), "bounded")
	assert.True(t, st.reset.has("s.f0"), "the first are kept")
	assert.False(t, st.reset.has(fmt.Sprintf("s.f%d", 2*maxResets-1)), "past the bound, not recorded")
	a.addReset(st, "s.buf")
	assert.Equal(t, maxResets, st.reset.len(), "one already recorded is no new entry")
}
