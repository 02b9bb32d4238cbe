package summary_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/summary"
	"pgregory.net/rapid"
)

// A random program: functions over a struct with two pointer fields, whose
// bodies write fields at random depths and call one another (recursion
// included).
type prog struct {
	funcs [][]stmt // the body of f0, f1, ...
}

type stmt struct {
	call   int    // the callee's index, or -1 for a write
	lhs    string // a write's target expression ("x.next.a"), or a call's first argument
	rhs    string // a write's value ("1", "k", "x.a + 1"), or a call's second argument
	append bool   // a write that appends to .items
}

func (s stmt) String() string {
	switch {
	case s.call >= 0:
		return fmt.Sprintf("f%d(%s, %s, k)", s.call, s.lhs, s.rhs)
	case s.append:
		return fmt.Sprintf("%s.items = append(%s.items, k)", s.lhs, s.lhs)
	}
	return fmt.Sprintf("%s = %s", s.lhs, s.rhs)
}

func (p prog) source() string {
	var b strings.Builder
	b.WriteString("package p\n\ntype N struct {\n\tnext, child *N\n\ta, b        int\n\titems       []int\n}\n")
	for i, body := range p.funcs {
		fmt.Fprintf(&b, "\nfunc f%d(x, y *N, k int) {\n", i)
		for _, s := range body {
			fmt.Fprintf(&b, "\t%s\n", s)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// genChain draws x or y followed by up to max pointer fields.
func genChain(t *rapid.T, max int, label string) string {
	root := rapid.SampledFrom([]string{"x", "y"}).Draw(t, label+"root")
	steps := rapid.SliceOfN(rapid.SampledFrom([]string{".next", ".child"}), 0, max).Draw(t, label+"steps")
	return root + strings.Join(steps, "")
}

func genStmt(n int) *rapid.Generator[stmt] {
	return rapid.Custom(func(t *rapid.T) stmt {
		if rapid.Bool().Draw(t, "isCall") {
			return stmt{call: rapid.IntRange(0, n-1).Draw(t, "callee"), lhs: genChain(t, 3, "a1"), rhs: genChain(t, 3, "a2")}
		}
		s := stmt{call: -1, lhs: genChain(t, persist.MaxSteps+2, "w")}
		switch rapid.IntRange(0, 3).Draw(t, "kind") {
		case 0:
			s.append = true
		case 1:
			s.lhs += ".a"
			s.rhs = s.lhs + " + 1"
		default:
			s.lhs += rapid.SampledFrom([]string{".a", ".b"}).Draw(t, "field")
			s.rhs = rapid.SampledFrom([]string{"0", "1", "2", "k"}).Draw(t, "value")
		}
		return s
	})
}

func genProg() *rapid.Generator[prog] {
	return rapid.Custom(func(t *rapid.T) prog {
		n := rapid.IntRange(1, 5).Draw(t, "n")
		p := prog{funcs: make([][]stmt, n)}
		for i := range p.funcs {
			p.funcs[i] = rapid.SliceOfN(genStmt(n), 0, 5).Draw(t, fmt.Sprintf("f%d", i))
		}
		return p
	})
}

// checkBounds checks the k-limits of every fact.
func checkBounds(t interface{ Fatalf(string, ...any) }, fs map[string]*summary.Mutates) {
	for name, m := range fs {
		if len(m.Sets) > effect.MaxSets {
			t.Fatalf("%s: %d sets", name, len(m.Sets))
		}
		if m.SetsOverflow && len(m.Sets) > 0 {
			t.Fatalf("%s: overflow with %d sets", name, len(m.Sets))
		}
		for _, s := range m.Sets {
			l := (persist.Loc{}).Below(s.Suffix)
			if l.Steps > persist.MaxSteps || l.Collapsed || l.Path != s.Suffix {
				t.Fatalf("%s: suffix %q beyond the path bound", name, s.Suffix)
			}
		}
	}
}

// below reports whether fact a is below fact b in the summary lattice (nil
// is the empty summary); it names the first difference otherwise.
func below(a, b *summary.Mutates, withSets bool) string {
	if a == nil {
		return ""
	}
	if b == nil {
		return "summary lost"
	}
	for _, i := range a.Clobber {
		if !slices.Contains(b.Clobber, i) {
			return fmt.Sprintf("clobber of %d lost", i)
		}
	}
	for _, i := range a.Blind {
		if !slices.Contains(b.Blind, i) && !slices.Contains(b.Clobber, i) {
			return fmt.Sprintf("write of %d lost", i)
		}
	}
	if (a.Globals && !b.Globals) || (a.Submits && !b.Submits) || (a.SubmitStyle && !b.SubmitStyle) || (withSets && a.SetsOverflow && !b.SetsOverflow) {
		return "flag lost"
	}
	if !withSets || b.SetsOverflow {
		return ""
	}
	for _, s := range a.Sets {
		if !slices.Contains(b.Sets, s) {
			return fmt.Sprintf("set %+v lost", s)
		}
	}
	return ""
}

// The summary pass terminates within its budget on random call graphs,
// keeps every recorded write within the bounds, is deterministic, and is
// monotone: adding a statement (a write or a call) to the program never
// removes a parameter bit or a flag from any function's summary, nor a
// recorded write while no summary overflows. TestSetsMonotone checks the
// recorded writes in every case.
func TestSummaryProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkProperties(t, false) })
}

// Monotonicity of the recorded writes: a function's Sets only grow, or
// overflow, when the program grows.
func TestSetsMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkProperties(t, true) })
}

// checkProperties checks one random program and a one-statement extension
// of it; allSets asks for the recorded writes to grow even when some
// summary overflows.
func checkProperties(t *rapid.T, allSets bool) {
	p := genProg().Draw(t, "prog")
	src := p.source()
	fs, tooLarge := facts(t, src)
	if tooLarge {
		t.Fatalf("budget exhausted on\n%s", src)
	}
	checkBounds(t, fs)
	again, _ := facts(t, src)
	for name := range fs {
		if below(fs[name], again[name], true) != "" || below(again[name], fs[name], true) != "" {
			t.Fatalf("%s: not deterministic: %v then %v\n%s", name, fs[name], again[name], src)
		}
	}

	q := prog{funcs: slices.Clone(p.funcs)}
	i := rapid.IntRange(0, len(q.funcs)-1).Draw(t, "into")
	at := rapid.IntRange(0, len(q.funcs[i])).Draw(t, "at")
	q.funcs[i] = slices.Insert(slices.Clone(q.funcs[i]), at, genStmt(len(q.funcs)).Draw(t, "extra"))
	bigger, tooLarge := facts(t, q.source())
	if tooLarge {
		t.Fatalf("budget exhausted on\n%s", q.source())
	}
	checkBounds(t, bigger)
	withSets := true
	if !allSets {
		for _, m := range bigger {
			if m.SetsOverflow {
				withSets = false
			}
		}
	}
	for name, m := range fs {
		if d := below(m, bigger[name], withSets); d != "" {
			t.Fatalf("%s: %s after adding %s to f%d:\n%+v\n%+v\n%s", name, d, q.funcs[i][at], i, m, bigger[name], q.source())
		}
	}
}

// A dense call graph with cycles through two pointer fields converges well
// within the budget, with every fact within the bounds.
func TestDenseGraph(t *testing.T) {
	const n = 40
	p := prog{funcs: make([][]stmt, n)}
	for i := range p.funcs {
		p.funcs[i] = []stmt{
			{call: -1, lhs: "x.a", rhs: fmt.Sprint(i % 3)},
			{call: (i + 1) % n, lhs: "x.next", rhs: "y.child"},
			{call: (i * 7) % n, lhs: "y.child.next", rhs: "x"},
			{call: -1, lhs: "y.next.next.b", rhs: "y.next.next.b + 1"},
			{call: i, lhs: "x.child", rhs: "y"},
		}
	}
	fs, tooLarge := facts(t, p.source())
	if tooLarge {
		t.Fatal("budget exhausted")
	}
	if len(fs) != n {
		t.Fatalf("%d facts, want %d", len(fs), n)
	}
	checkBounds(t, fs)
	// Every function clobbers y itself, and x through its call of f(7i).
	for name, m := range fs {
		if m.String() != "clobbers(0,1)" {
			t.Errorf("%s: %s", name, m)
		}
	}
}
