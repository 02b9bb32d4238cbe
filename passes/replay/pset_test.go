package replay

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// psetMembers lists a pset's members through each.
func psetMembers(s *pset) []int {
	var out []int
	s.each(func(i int) { out = append(out, i) })
	return out
}

// checkPset compares a pset with its dense model: the same members, by
// has and by each, the same count, and the canonical form that equal
// relies on (word indices strictly increasing, no zero word).
func checkPset(t *rapid.T, what string, s *pset, m bitset, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if s.has(i) != m.has(i) {
			t.Fatalf("%s: has(%d) = %v, model %v", what, i, s.has(i), m.has(i))
		}
	}
	if got, want := psetMembers(s), members(m); !slices.Equal(got, want) {
		t.Fatalf("%s: each visits %v, model %v", what, got, want)
	}
	if s.len() != len(members(m)) {
		t.Fatalf("%s: len %d, model %d", what, s.len(), len(members(m)))
	}
	for k, w := range s.ws {
		if w.w == 0 || k > 0 && s.ws[k-1].i >= w.i {
			t.Fatalf("%s: not canonical: %v", what, s.ws)
		}
	}
}

// drawPset draws a set over [0, n) as a pset and its dense model. The
// members come clustered or spread, in any order, so that insertion in
// the middle, at the front and at the end are all exercised.
func drawPset(t *rapid.T, n int, label string) (*pset, bitset) {
	s, m := &pset{}, newBitset(n)
	for _, i := range genMembers(n).Draw(t, label) {
		s.add(i)
		m.add(i)
	}
	return s, m
}

// drawArmMask draws a mask of arms over facts [0, n): each fact in one of
// a few groups or in none (an unconstrained block), each group admitted or
// not; and the dense set of the facts it admits.
func drawArmMask(t *rapid.T, n int) (*armMask, bitset) {
	groups := rapid.IntRange(0, 4).Draw(t, "groups")
	m := &armMask{of: make([]int32, n), keep: make([]bool, groups)}
	for g := range m.keep {
		m.keep[g] = rapid.Bool().Draw(t, "admitted")
	}
	model := newBitset(n)
	for id := range m.of {
		m.of[id] = int32(rapid.IntRange(-1, groups-1).Draw(t, "group"))
		if m.of[id] < 0 || m.keep[m.of[id]] {
			model.add(id)
		}
	}
	return m, model
}

// Every pset operation agrees with the dense bitset, which the dataflow
// used before: applied in any sequence, to sets of any density, across
// word boundaries, on storage reused from earlier operations.
func TestPsetMatchesBitset(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 400).Draw(t, "n")
		s, m := drawPset(t, n, "s")
		checkPset(t, "drawn", s, m, n)
		steps := rapid.IntRange(1, 30).Draw(t, "steps")
		for step := 0; step < steps; step++ {
			switch op := rapid.IntRange(0, 11).Draw(t, "op"); op {
			case 0:
				i := rapid.IntRange(0, n-1).Draw(t, "add")
				s.add(i)
				m.add(i)
				checkPset(t, "add", s, m, n)
			case 1:
				i := rapid.IntRange(0, n-1).Draw(t, "del")
				s.del(i)
				m.del(i)
				checkPset(t, "del", s, m, n)
			case 2:
				o, om := drawPset(t, n, "or")
				s.or(o)
				m.or(om)
				checkPset(t, "or", s, m, n)
				checkPset(t, "or leaves its operand", o, om, n)
			case 3:
				tm, _ := drawSet(t, n, "andNot")
				s.andNot(tm)
				m.andNot(tm)
				checkPset(t, "andNot", s, m, n)
			case 4:
				s.andNot(nil)
				checkPset(t, "andNot(nil)", s, m, n)
			case 5:
				am, amodel := drawArmMask(t, n)
				um, _ := drawSet(t, n, "keep immune")
				s.keepOnly(am, um)
				m.keepOnly(amodel, um)
				checkPset(t, "keepOnly", s, m, n)
			case 6:
				tm, _ := drawSet(t, n, "intersects")
				if got, want := s.intersects(tm), m.intersects(tm); got != want {
					t.Fatalf("intersects = %v, model %v", got, want)
				}
			case 7:
				tm, _ := drawSet(t, n, "each")
				var and, andNot, wantAnd, wantAndNot []int
				s.eachAnd(tm, func(i int) { and = append(and, i) })
				s.eachAndNot(tm, func(i int) { andNot = append(andNot, i) })
				m.eachAnd(tm, func(i int) { wantAnd = append(wantAnd, i) })
				m.eachAndNot(tm, func(i int) { wantAndNot = append(wantAndNot, i) })
				if !slices.Equal(and, wantAnd) || !slices.Equal(andNot, wantAndNot) {
					t.Fatalf("eachAnd %v (want %v), eachAndNot %v (want %v)", and, wantAnd, andNot, wantAndNot)
				}
			case 8:
				// A copy is equal, independent of its source, and equal
				// again only when the members are.
				c := &pset{}
				if rapid.Bool().Draw(t, "reuse") {
					c, _ = drawPset(t, n, "stale")
				}
				c.copyFrom(s)
				if !c.equal(s) || !s.equal(c) {
					t.Fatalf("a copy differs: %v, %v", c.ws, s.ws)
				}
				i := rapid.IntRange(0, n-1).Draw(t, "toggle")
				if c.has(i) {
					c.del(i)
				} else {
					c.add(i)
				}
				if c.equal(s) {
					t.Fatalf("equal after toggling %d in the copy", i)
				}
				checkPset(t, "source of a copy", s, m, n)
			case 9:
				o, om := drawPset(t, n, "equal")
				if got, want := s.equal(o), m.equal(om); got != want {
					t.Fatalf("equal = %v, model %v (%v, %v)", got, want, s.ws, o.ws)
				}
			case 10:
				// A loop's mask is sparse: the same removal as the dense
				// mask's, the mask untouched.
				o, om := drawPset(t, n, "andNotSet")
				s.andNotSet(o)
				m.andNot(om)
				checkPset(t, "andNotSet", s, m, n)
				checkPset(t, "andNotSet leaves its operand", o, om, n)
			case 11:
				o, om := drawPset(t, n, "intersectsSet")
				if got, want := s.intersectsSet(o), m.intersects(om); got != want {
					t.Fatalf("intersectsSet = %v, model %v (%v, %v)", got, want, s.ws, o.ws)
				}
			}
		}
		s.clear()
		checkPset(t, "clear", s, newBitset(n), n)
	})
}

// The judgement at a yield adds each member it reports to the set it
// iterates against (a.judged): eachAndNot must read each word of it
// before calling back, as the dense bitset did, so that the members of
// the word it is in are all visited.
func TestPsetEachAndNotWhileTheMaskGrows(t *testing.T) {
	s, judged := &pset{}, newBitset(200)
	for _, i := range []int{1, 2, 3, 64, 65, 190} {
		s.add(i)
	}
	judged.add(2)
	var seen []int
	s.eachAndNot(judged, func(i int) {
		seen = append(seen, i)
		judged.add(i)
		judged.add(i + 1) // a member not visited yet
	})
	if want := []int{1, 3, 64, 65, 190}; !slices.Equal(seen, want) {
		t.Fatalf("visited %v, want %v", seen, want)
	}
}

// A union into a set with spare capacity merges in place: words of both
// operands before, between and after each other's.
func TestPsetOrInPlace(t *testing.T) {
	s := &pset{ws: make([]pword, 0, 16)}
	for _, i := range []int{64 * 3, 64*5 + 1, 64 * 9} {
		s.add(i)
	}
	o := &pset{}
	for _, i := range []int{0, 64*5 + 2, 64 * 7, 64 * 12} {
		o.add(i)
	}
	s.or(o)
	want := []int{0, 64 * 3, 64*5 + 1, 64*5 + 2, 64 * 7, 64 * 9, 64 * 12}
	if got := psetMembers(s); !slices.Equal(got, want) {
		t.Fatalf("union %v, want %v", got, want)
	}
	if len(s.ws) != 6 {
		t.Fatalf("%d words, want 6 (one shared)", len(s.ws))
	}
}

// The point of the type: a set of a few adjacent facts is a word or two,
// whatever the number of facts of the function.
func TestPsetSizeIsItsWords(t *testing.T) {
	s := &pset{}
	for i := 100_000; i < 100_040; i++ {
		s.add(i)
	}
	if len(s.ws) > 2 {
		t.Fatalf("40 adjacent ids take %d words", len(s.ws))
	}
}
