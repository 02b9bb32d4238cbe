package replay

import (
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

var universe = []string{"0", "1", "2", "3", "nil", "true", "false"}

func genSet() *rapid.Generator[vset] {
	return rapid.Custom(func(t *rapid.T) vset {
		if rapid.IntRange(0, 9).Draw(t, "top") == 0 {
			return topSet
		}
		keys := rapid.SliceOfDistinct(rapid.SampledFrom(universe), func(s string) string { return s }).Draw(t, "keys")
		return newSet(rapid.Bool().Draw(t, "neg"), keys...)
	})
}

// join and meet are set union and intersection, whatever the encoding
// (finite, complement or top).
func TestSetAlgebra(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genSet().Draw(t, "a"), genSet().Draw(t, "b")
		j, m := a.join(b), a.meet(b)
		for _, k := range append(universe, "other") {
			if j.has(k) != (a.has(k) || b.has(k)) {
				t.Fatalf("join(%v,%v).has(%s) = %v", a, b, k, j.has(k))
			}
			if m.has(k) != (a.has(k) && b.has(k)) {
				t.Fatalf("meet(%v,%v).has(%s) = %v", a, b, k, m.has(k))
			}
		}
		if !a.join(a).equal(a) && !a.top {
			t.Fatalf("join is not idempotent on %v", a)
		}
	})
}

// An exact written value selects an arm exactly when the arm admits it; a
// value that is unknown always may.
func TestCanSelect(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSet().Draw(t, "arm")
		k := rapid.SampledFrom(universe).Draw(t, "k")
		if canSelect(wval{kind: wExact, key: k}, s) != s.has(k) {
			t.Fatalf("exact %s on %v", k, s)
		}
		if !canSelect(wval{kind: wUnknown}, s) {
			t.Fatalf("unknown must select %v", s)
		}
	})
}

func TestCanSelectShapes(t *testing.T) {
	nilArm := newSet(false, "nil")
	assert.False(t, canSelect(wval{kind: wNonNil}, nilArm), "a memo write leaves the nil arm")
	assert.True(t, canSelect(wval{kind: wNonNil}, newSet(true, "nil")))
	arm := newSet(false, "2")
	assert.False(t, canSelect(wval{kind: wOffset, offset: 1}, arm), "s.state++ leaves case 2")
	assert.True(t, canSelect(wval{kind: wOffset, offset: 1}, newSet(false, "2", "3")), "... but may land in case 3")
	assert.False(t, canSelect(wval{kind: wChoice, key: "0\x001"}, arm))
	assert.True(t, canSelect(wval{kind: wChoice, key: "0\x002"}, arm))
	assert.False(t, canSelect(wval{kind: wTyp, key: "type:*b"}, newSet(false, "type:*a")))
}

// The sorted-merge set operations agree with a map model.
func TestKeyListOperations(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.SliceOfDistinct(rapid.SampledFrom([]string{"a", "b", "c", "d", "e", "nil", "0", "1"}), rapid.ID[string])
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		sort.Strings(a)
		sort.Strings(b)
		in := func(xs []string) map[string]bool {
			m := map[string]bool{}
			for _, x := range xs {
				m[x] = true
			}
			return m
		}
		ma, mb := in(a), in(b)
		check := func(name string, got []string, want func(k string) bool) {
			if !sort.StringsAreSorted(got) {
				t.Fatalf("%s(%v, %v) = %v: not sorted", name, a, b, got)
			}
			seen := map[string]bool{}
			for _, k := range got {
				if seen[k] || !want(k) {
					t.Fatalf("%s(%v, %v) = %v: %q", name, a, b, got, k)
				}
				seen[k] = true
			}
			for k := range in(append(append([]string{}, a...), b...)) {
				if want(k) && !seen[k] {
					t.Fatalf("%s(%v, %v) = %v: missing %q", name, a, b, got, k)
				}
			}
		}
		check("union", union(a, b), func(k string) bool { return ma[k] || mb[k] })
		check("inter", inter(a, b), func(k string) bool { return ma[k] && mb[k] })
		check("minus", minus(a, b), func(k string) bool { return ma[k] && !mb[k] })
	})
}

// union shares an operand that already contains the other (key lists are
// never modified), and copies only when both bring a value of their own.
func TestUnionSharesAContainingOperand(t *testing.T) {
	a, b := []string{"1", "2", "3"}, []string{"2"}
	for _, got := range [][]string{union(a, b), union(b, a), union(a, nil), union(a, a)} {
		if len(got) != len(a) || &got[0] != &a[0] {
			t.Errorf("union = %v, want a itself", got)
		}
	}
	c := []string{"0", "2"}
	got := union(a, c)
	if want := []string{"0", "1", "2", "3"}; !slices.Equal(got, want) {
		t.Errorf("union(a, c) = %v, want %v", got, want)
	}
	if len(union(nil, nil)) != 0 {
		t.Error("union of two empty lists is not empty")
	}
}
