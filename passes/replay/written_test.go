package replay

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A location written on one path only, or differently on two, is unknown
// after the join; an unknown write excludes no arm.
func TestWrittenJoin(t *testing.T) {
	one := wval{kind: wExact, key: "1"}
	two := wval{kind: wExact, key: "2"}
	j := written{"s.state": one, "s.flag": one}.join(written{"s.state": one, "s.n": two})
	assert.Equal(t, written{"s.state": one, "s.flag": {kind: wUnknown}, "s.n": {kind: wUnknown}}, j)
	assert.True(t, j.equal(written{"s.state": one, "s.flag": {kind: wUnknown}, "s.n": {kind: wUnknown}}))
	assert.False(t, j.equal(written{"s.state": one}))

	arm0 := map[string]vset{"s.state": newSet(false, "0")}
	assert.True(t, written{"s.state": one}.excludes(arm0))
	assert.False(t, written{"s.state": {kind: wExact, key: "0"}}.excludes(arm0))
	assert.False(t, written{"s.state": {kind: wUnknown}}.excludes(arm0))
	assert.False(t, written{"s.n": one}.excludes(arm0), "a location the arm does not test")
	assert.False(t, written{"s.state": one}.excludes(map[string]vset{"s.state": newSet(true, "0")}))
}

// Only an arm admitting nil alone is a memo's "not produced yet" arm.
func TestNilOnly(t *testing.T) {
	assert.True(t, nilOnly(newSet(false, "nil")))
	assert.False(t, nilOnly(newSet(true, "nil")), "the non-nil arm")
	assert.False(t, nilOnly(newSet(false, "nil", "0")))
	assert.False(t, nilOnly(topSet))
}
