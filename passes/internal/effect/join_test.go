package effect_test

import (
	"slices"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"pgregory.net/rapid"
)

// genSet draws a recorded write from a small universe, so that random
// summaries share writes and their unions overflow now and then.
func genSet() *rapid.Generator[effect.Set] {
	return rapid.Custom(func(t *rapid.T) effect.Set {
		s := effect.Set{
			Param:  rapid.IntRange(0, 2).Draw(t, "param"),
			Suffix: rapid.SampledFrom([]string{".a", ".b", ".a.b", ".c[]", ".a.c.d"}).Draw(t, "suffix"),
			Arg:    rapid.IntRange(-1, 1).Draw(t, "arg"),
		}
		if s.Arg < 0 {
			s.Const = rapid.SampledFrom([]string{"0", "1", "nil"}).Draw(t, "const")
		}
		return s
	})
}

func genBits(t *rapid.T, label string) effect.Bits {
	return effect.Bits(rapid.Uint64Range(0, 1<<6-1).Draw(t, label))
}

// genSummary draws a summary as the engine builds them: sets kept by AddSet,
// and none once overflowed.
func genSummary() *rapid.Generator[*effect.Summary] {
	return rapid.Custom(func(t *rapid.T) *effect.Summary {
		s := &effect.Summary{
			Clobber: genBits(t, "clobber"), Blind: genBits(t, "blind"),
			FreeClobber: genBits(t, "freeclobber"), FreeBlind: genBits(t, "freeblind"),
			Globals: rapid.Bool().Draw(t, "globals"), Submits: rapid.Bool().Draw(t, "submits"),
			SubmitStyle: rapid.Bool().Draw(t, "submitstyle"),
			What:        rapid.SampledFrom([]string{"", "appends to s.x", "increments s.n"}).Draw(t, "what"),
		}
		for _, x := range rapid.SliceOfN(genSet(), 0, effect.MaxSets+2).Draw(t, "sets") {
			var over bool
			if s.Sets, over = effect.AddSet(s.Sets, x); over {
				s.Sets, s.SetsOverflow = nil, true
				break
			}
		}
		return s
	})
}

// leq is the lattice order the fixpoint relies on: every bit and flag of a
// is in b, and a's recorded writes are among b's unless b overflowed.
func leq(a, b *effect.Summary) bool {
	sub := func(x, y effect.Bits) bool { return x&^y == 0 }
	imp := func(x, y bool) bool { return !x || y }
	if !sub(a.Clobber, b.Clobber) || !sub(a.Blind, b.Blind) || !sub(a.FreeClobber, b.FreeClobber) ||
		!sub(a.FreeBlind, b.FreeBlind) || !imp(a.Globals, b.Globals) || !imp(a.Submits, b.Submits) ||
		!imp(a.SubmitStyle, b.SubmitStyle) || !imp(a.SetsOverflow, b.SetsOverflow) {
		return false
	}
	if b.SetsOverflow {
		return true
	}
	for _, x := range a.Sets {
		if !slices.Contains(b.Sets, x) {
			return false
		}
	}
	return true
}

func clone(s *effect.Summary) *effect.Summary {
	c := *s
	c.Sets = slices.Clone(s.Sets)
	return &c
}

func TestJoinLattice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := genSummary().Draw(t, "a"), genSummary().Draw(t, "b"), genSummary().Draw(t, "c")
		a0, b0 := clone(a), clone(b)
		ab := a.Join(b)
		if !a.Same(a0) || !b.Same(b0) || a.What != a0.What {
			t.Fatalf("Join modified its operands")
		}
		if !ab.Same(b.Join(a)) {
			t.Fatalf("not commutative:\n%+v\n%+v", ab, b.Join(a))
		}
		if !ab.Join(c).Same(a.Join(b.Join(c))) {
			t.Fatalf("not associative:\n%+v\n%+v", ab.Join(c), a.Join(b.Join(c)))
		}
		if !a.Join(a).Same(a) {
			t.Fatalf("not idempotent: %+v", a.Join(a))
		}
		if !leq(a, ab) || !leq(b, ab) {
			t.Fatalf("not an upper bound: %+v ⊔ %+v = %+v", a, b, ab)
		}
		if !leq(ab, ab.Join(c)) {
			t.Fatalf("joining lost something: %+v", ab.Join(c))
		}
		// Least: the join of two summaries below an upper bound stays below it.
		if u := ab.Join(c); !leq(a.Join(c), u) || !leq(b.Join(c), u) {
			t.Fatalf("not least")
		}
		if len(ab.Sets) > effect.MaxSets || (ab.SetsOverflow && ab.Sets != nil) {
			t.Fatalf("sets out of bounds: %d, overflow %v", len(ab.Sets), ab.SetsOverflow)
		}
		if !slices.IsSortedFunc(ab.Sets, cmpSet) || len(slices.CompactFunc(slices.Clone(ab.Sets), func(x, y effect.Set) bool { return x == y })) != len(ab.Sets) {
			t.Fatalf("sets not sorted and unique: %v", ab.Sets)
		}
		want := a.What
		if want == "" {
			want = b.What
		}
		if ab.What != want {
			t.Fatalf("What = %q, want %q", ab.What, want)
		}
		if a.Empty() != (a.Clobber|a.Blind|a.FreeClobber|a.FreeBlind == 0 && !a.Globals && !a.Submits && !a.SubmitStyle) {
			t.Fatalf("Empty(%+v) = %v", a, a.Empty())
		}
	})
}

func cmpSet(x, y effect.Set) int {
	switch {
	case x.Param != y.Param:
		return x.Param - y.Param
	case x.Suffix != y.Suffix:
		if x.Suffix < y.Suffix {
			return -1
		}
		return 1
	case x.Arg != y.Arg:
		return x.Arg - y.Arg
	case x.Const < y.Const:
		return -1
	case x.Const > y.Const:
		return 1
	}
	return 0
}

// The union of the recorded writes overflows exactly when it holds more
// than MaxSets distinct writes.
func TestJoinOverflow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genSummary().Draw(t, "a"), genSummary().Draw(t, "b")
		if a.SetsOverflow || b.SetsOverflow {
			return
		}
		union := map[effect.Set]bool{}
		for _, x := range append(slices.Clone(a.Sets), b.Sets...) {
			union[x] = true
		}
		ab := a.Join(b)
		if ab.SetsOverflow != (len(union) > effect.MaxSets) {
			t.Fatalf("overflow %v with %d distinct writes", ab.SetsOverflow, len(union))
		}
		if !ab.SetsOverflow && len(ab.Sets) != len(union) {
			t.Fatalf("%d sets, want %d", len(ab.Sets), len(union))
		}
	})
}

func TestBits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var b effect.Bits
		model := map[int]bool{}
		for _, i := range rapid.SliceOf(rapid.IntRange(0, 70)).Draw(t, "adds") {
			b = b.With(i)
			if i < 64 {
				model[i] = true
			}
		}
		for i := 0; i < 72; i++ {
			if b.Has(i) != model[i] {
				t.Fatalf("Has(%d) = %v", i, b.Has(i))
			}
		}
	})
}
