package yields_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/ssa"
	"pgregory.net/rapid"
)

// A body shape of a generated status function. callee is the index of the
// function it calls, if any.
type shape struct {
	kind   int // 0 return More, 1 return End, 2 return f(callee), 3 move on past f(callee), 4 forward f(callee) when n > 0
	callee int
}

// genProgram draws a random call graph of status functions (recursion and
// mutual recursion included) and renders it as Go source.
func genProgram(t *rapid.T) ([]shape, []bool, string) {
	n := rapid.IntRange(1, 8).Draw(t, "n")
	shapes := make([]shape, n)
	exported := make([]bool, n)
	var b strings.Builder
	b.WriteString("package p\n\ntype Ret int\n\nconst (\n\tMore Ret = iota\n\tEnd\n)\n\n")
	for i := range shapes {
		shapes[i] = shape{kind: rapid.IntRange(0, 4).Draw(t, "kind"), callee: rapid.IntRange(0, n-1).Draw(t, "callee")}
		exported[i] = rapid.Bool().Draw(t, "exported")
	}
	for i, s := range shapes {
		fmt.Fprintf(&b, "func %s(n int) Ret {\n", name(i, exported))
		callee := name(s.callee, exported)
		switch s.kind {
		case 0:
			b.WriteString("\treturn More\n")
		case 1:
			b.WriteString("\treturn End\n")
		case 2:
			fmt.Fprintf(&b, "\treturn %s(n)\n", callee)
		case 3:
			fmt.Fprintf(&b, "\tif r := %s(n); r != More {\n\t\treturn r\n\t}\n\treturn End\n", callee)
		case 4:
			fmt.Fprintf(&b, "\tif n > 0 {\n\t\treturn %s(n - 1)\n\t}\n\treturn End\n", callee)
		}
		b.WriteString("}\n\n")
	}
	return shapes, exported, b.String()
}

func name(i int, exported []bool) string {
	if exported[i] {
		return fmt.Sprintf("F%d", i)
	}
	return fmt.Sprintf("f%d", i)
}

// model computes the answers the rules of the package doc give: may is the
// least fixpoint of "returns More, or forwards a callee that may"; a
// function is resumable when it may and it is exported, has no call site,
// or is forwarded by a resumable caller (a greatest fixpoint below may).
func model(shapes []shape, exported []bool) []bool {
	n := len(shapes)
	may := make([]bool, n)
	for changed := true; changed; {
		changed = false
		for i, s := range shapes {
			m := s.kind == 0 || (s.kind == 2 || s.kind == 4) && may[s.callee]
			if m && !may[i] {
				may[i], changed = true, true
			}
		}
	}
	sites := make([]bool, n)
	for _, s := range shapes {
		if s.kind >= 2 {
			sites[s.callee] = true
		}
	}
	res := append([]bool(nil), may...)
	for changed := true; changed; {
		changed = false
		for i := range shapes {
			if !res[i] || exported[i] || !sites[i] {
				continue
			}
			keep := false
			for g, s := range shapes {
				if (s.kind == 2 || s.kind == 4) && s.callee == i && res[g] {
					keep = true
				}
			}
			if !keep {
				res[i], changed = false, true
			}
		}
	}
	return res
}

// On random call graphs the pass terminates, agrees with the model of its
// rules, and answers the same twice.
func TestStatusRulesOnRandomCallGraphs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		shapes, exported, src := genProgram(t)
		p := ssatest.Build(t, src)
		set := directives.NewYieldSet()
		set.Declare(p.Types.Scope().Lookup("More"))
		var funcs []*ssa.Function
		for i := range shapes {
			funcs = append(funcs, p.SSA.Func(name(i, exported)))
		}
		want := model(shapes, exported)
		first := yields.Compute(set, funcs)
		again := yields.Compute(set, funcs)
		for i, fn := range funcs {
			got := first.Func(fn) == yields.Value
			if got != want[i] {
				t.Fatalf("%s: resumable %v, the rules say %v\n%s", fn.Name(), got, want[i], src)
			}
			if again.Func(fn) != first.Func(fn) {
				t.Fatalf("%s: a second run answers differently", fn.Name())
			}
		}
	})
}
