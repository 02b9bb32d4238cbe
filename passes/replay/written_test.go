package replay

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A location written on one path only, or differently on two, is unknown
// after the join; an unknown write excludes no arm.
func TestWrittenJoin(t *testing.T) {
	// w builds a written from a map.
	w := func(m map[string]wval) written {
		var v locVals
		for loc, x := range m {
			v.set(loc, x)
		}
		return written(v.es)
	}
	one := wval{kind: wExact, key: "1"}
	two := wval{kind: wExact, key: "2"}
	unknown := wval{kind: wUnknown}
	j := w(map[string]wval{"s.state": one, "s.flag": one}).join(w(map[string]wval{"s.state": one, "s.n": two}))
	assert.Equal(t, w(map[string]wval{"s.state": one, "s.flag": unknown, "s.n": unknown}), j)
	assert.True(t, j.equal(w(map[string]wval{"s.state": one, "s.flag": unknown, "s.n": unknown})))
	assert.False(t, j.equal(w(map[string]wval{"s.state": one})))
	same := w(map[string]wval{"s.state": one})
	assert.Equal(t, same, same.join(w(map[string]wval{"s.state": one})), "equal sides join to themselves")

	arm0 := map[string]vset{"s.state": newSet(false, "0")}
	assert.True(t, w(map[string]wval{"s.state": one}).excludes(arm0))
	assert.False(t, w(map[string]wval{"s.state": {kind: wExact, key: "0"}}).excludes(arm0))
	assert.False(t, w(map[string]wval{"s.state": unknown}).excludes(arm0))
	assert.False(t, w(map[string]wval{"s.n": one}).excludes(arm0), "a location the arm does not test")
	assert.False(t, w(map[string]wval{"s.state": one}).excludes(map[string]vset{"s.state": newSet(true, "0")}))
}

// Only an arm admitting nil alone is a memo's "not produced yet" arm.
func TestNilOnly(t *testing.T) {
	assert.True(t, nilOnly(newSet(false, "nil")))
	assert.False(t, nilOnly(newSet(true, "nil")), "the non-nil arm")
	assert.False(t, nilOnly(newSet(false, "nil", "0")))
	assert.False(t, nilOnly(topSet))
}
