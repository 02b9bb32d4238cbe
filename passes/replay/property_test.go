package replay_test

import (
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/replay"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
	"pgregory.net/rapid"
)

// genBody draws the statements of a random resumable method of *S: state
// writes and tests, mutations, propagated and constructed yields, loops.
func genBody(depth int) *rapid.Generator[[]string] {
	return rapid.Custom(func(t *rapid.T) []string {
		n := rapid.IntRange(0, 5).Draw(t, "n")
		var out []string
		for i := 0; i < n; i++ {
			kinds := 8
			if depth == 0 {
				kinds = 6 // no nesting below this depth
			}
			switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
			case 0:
				out = append(out, rapid.SampledFrom([]string{"s.n++", "s.out = append(s.out, k)", "s.n = k", "s.buf = s.buf[:0]"}).Draw(t, "write"))
			case 1:
				out = append(out, fmt.Sprintf("s.state = %d", rapid.IntRange(0, 2).Draw(t, "to")))
			case 2:
				call := rapid.SampledFrom([]string{"Next()", "Seek(k)", "Insert(s.row)"}).Draw(t, "call")
				out = append(out, "if r, err := s.cur."+call+"; err != nil || r.IsIO() {", "\treturn Forward(r, err)", "}")
			case 3:
				out = append(out, "if k > "+fmt.Sprint(rapid.IntRange(0, 3).Draw(t, "k"))+" {", "\treturn Wait(s.c), nil", "}")
			case 4:
				out = append(out, "if c, err := s.file.ReadAt(s.buf); err == nil {", "\ts.c = c", "}")
			case 5:
				out = append(out, "if k > 9 {", "\treturn Result{}, errBad", "}")
			case 6:
				out = append(out, fmt.Sprintf("if s.state == %d {", rapid.IntRange(0, 2).Draw(t, "test")))
				out = append(out, indent(genBody(depth-1).Draw(t, "then"))...)
				out = append(out, "}")
			case 7:
				out = append(out, "for i := 0; i < k; i++ {")
				out = append(out, indent(genBody(depth-1).Draw(t, "loop"))...)
				out = append(out, "}")
			}
		}
		return out
	})
}

func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "\t" + l
	}
	return out
}

// genMachine draws a method switching on s.state with random arms.
func genMachine() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		var b strings.Builder
		b.WriteString("\nfunc (s *S) F(k int) (Result, error) {\n\tswitch s.state {\n")
		arms := rapid.IntRange(1, 3).Draw(t, "arms")
		for arm := 0; arm < arms; arm++ {
			fmt.Fprintf(&b, "\tcase %d:\n", arm)
			for _, l := range genBody(2).Draw(t, fmt.Sprintf("arm%d", arm)) {
				b.WriteString("\t\t" + l + "\n")
			}
			if arm < arms-1 && rapid.Bool().Draw(t, "fallthrough") {
				b.WriteString("\t\tfallthrough\n")
			}
		}
		b.WriteString("\t}\n")
		for _, l := range genBody(1).Draw(t, "tail") {
			b.WriteString("\t" + l + "\n")
		}
		b.WriteString("\treturn Done(s.n), nil\n}\n")
		return b.String()
	})
}

// On random state machines the analysis terminates, is deterministic, names
// instructions and yield points of the function, and reports each fact once:
// no two findings share a rule, an instruction and (for premature
// transitions) a call.
func TestAnalyzeProperties(t *testing.T) {
	known := map[string]bool{}
	for _, r := range []*rules.Rule{rules.MutationBeforeYield, rules.RepeatedCall, rules.PrematureTransition, rules.BlindOverwrite,
		rules.DroppedResult, rules.HeldAcrossYield, rules.LostCopy, rules.LocalProgress} {
		known[r.Name] = true
	}
	rapid.Check(t, func(t *rapid.T) {
		body := genMachine().Draw(t, "F")
		spell := func() ([]string, []replay.Finding, *ssa.Function) {
			p := ssatest.Build(t, runtime+body)
			fn := p.Func(t, "S.F")
			fs := replay.Analyze(fn, ssatest.NewOracle(p))
			var out []string
			for _, f := range fs {
				out = append(out, fmt.Sprintf("%s %s %s", f.Rule.Name, p.Fset.Position(f.Effect.Instr.Pos()), p.Fset.Position(f.Yield)))
			}
			return out, fs, fn
		}
		first, fs, fn := spell()
		type key struct {
			rule        string
			instr, call ssa.Instruction
		}
		seen := map[key]bool{}
		for _, f := range fs {
			if f.Rule.Name == rules.TooLarge.Name {
				t.Fatalf("too large:\n%s", body)
			}
			if !known[f.Rule.Name] {
				t.Fatalf("unknown rule %q", f.Rule.Name)
			}
			if !isReturnOf(fn, f.Yield) {
				t.Fatalf("%s: yield %v is not a return of F", f.Rule.Name, f.Yield)
			}
			if f.Effect.Instr == nil || f.Effect.Instr.Parent() != fn {
				t.Fatalf("%s: instruction %v is not in F", f.Rule.Name, f.Effect.Instr)
			}
			k := key{f.Rule.Name, f.Effect.Instr, f.Call}
			if f.Rule.Name == rules.LocalProgress.Name {
				k.rule += fmt.Sprint(f.InLoop)
			}
			if seen[k] {
				t.Fatalf("%s of %s reported twice:\n%s", f.Rule.Name, f.Effect.What(), body)
			}
			seen[k] = true
		}
		again, _, _ := spell()
		if strings.Join(first, "\n") != strings.Join(again, "\n") {
			t.Fatalf("not deterministic:\n%v\n%v", first, again)
		}
	})
}

// isReturnOf reports whether pos is the position of one of fn's returns.
func isReturnOf(fn *ssa.Function, pos token.Pos) bool {
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && ret.Pos() == pos {
			return true
		}
	}
	return false
}
