package replay

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// model is a bitset as a map from member to presence.
type model map[int]bool

func (m model) members() []int {
	var out []int
	for i, in := range m {
		if in {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

func genMembers(n int) *rapid.Generator[[]int] {
	return rapid.SliceOf(rapid.IntRange(0, n-1))
}

// drawSet draws a set over [0, n) as a bitset and its model.
func drawSet(t *rapid.T, n int, label string) (bitset, model) {
	s, m := newBitset(n), model{}
	for _, i := range genMembers(n).Draw(t, label) {
		s.add(i)
		m[i] = true
	}
	return s, m
}

func members(s bitset) []int {
	var out []int
	s.each(func(i int) { out = append(out, i) })
	return out
}

func check(t *rapid.T, what string, s bitset, m model, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if s.has(i) != m[i] {
			t.Fatalf("%s: has(%d) = %v, model %v", what, i, s.has(i), m[i])
		}
	}
	if got, want := members(s), m.members(); !slices.Equal(got, want) {
		t.Fatalf("%s: each visits %v, model %v", what, got, want)
	}
}

// Every bitset operation agrees with a map model, across word boundaries.
func TestBitsetModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 200).Draw(t, "n")
		if len(newBitset(n))*64 < n {
			t.Fatalf("newBitset(%d) too small", n)
		}
		a, ma := drawSet(t, n, "a")
		b, mb := drawSet(t, n, "b")
		c, mc := drawSet(t, n, "c")
		check(t, "a", a, ma, n)

		for _, i := range genMembers(n).Draw(t, "dels") {
			a.del(i)
			ma[i] = false
		}
		check(t, "del", a, ma, n)

		a0 := a.clone()
		union := a.clone()
		union.or(b)
		mu := model{}
		for i := 0; i < n; i++ {
			mu[i] = ma[i] || mb[i]
		}
		check(t, "or", union, mu, n)
		check(t, "clone is independent", a, ma, n)

		diff := a.clone()
		diff.andNot(b)
		md := model{}
		for i := 0; i < n; i++ {
			md[i] = ma[i] && !mb[i]
		}
		check(t, "andNot", diff, md, n)
		nilDiff := a.clone()
		nilDiff.andNot(nil)
		check(t, "andNot(nil)", nilDiff, ma, n)

		kept := a.clone()
		kept.keepOnly(b, c)
		mk := model{}
		for i := 0; i < n; i++ {
			mk[i] = ma[i] && (mb[i] || mc[i])
		}
		check(t, "keepOnly", kept, mk, n)

		inter := false
		for i := 0; i < n; i++ {
			inter = inter || (ma[i] && mb[i])
		}
		if a.intersects(b) != inter {
			t.Fatalf("intersects = %v, model %v", a.intersects(b), inter)
		}

		var and, andNot []int
		a.eachAnd(b, func(i int) { and = append(and, i) })
		a.eachAndNot(b, func(i int) { andNot = append(andNot, i) })
		var wantAnd, wantAndNot []int
		for i := 0; i < n; i++ {
			if ma[i] && mb[i] {
				wantAnd = append(wantAnd, i)
			}
			if ma[i] && !mb[i] {
				wantAndNot = append(wantAndNot, i)
			}
		}
		if !slices.Equal(and, wantAnd) || !slices.Equal(andNot, wantAndNot) {
			t.Fatalf("eachAnd %v (want %v), eachAndNot %v (want %v)", and, wantAnd, andNot, wantAndNot)
		}

		same := true
		for i := 0; i < n; i++ {
			same = same && ma[i] == mb[i]
		}
		if a.equal(b) != same {
			t.Fatalf("equal = %v, model %v", a.equal(b), same)
		}
		if !a.equal(a0) || !a0.equal(a) {
			t.Fatalf("a set differs from its clone")
		}
	})
}
