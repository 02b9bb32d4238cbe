package analyzer

import (
	"fmt"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/budget"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata is the repository's shared analysistest tree (GOPATH layout).
func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestC1(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "mutation-before-yield")
}

func TestStateMachines(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "statemachine")
}

func TestResetAndRestore(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "reset")
}

func TestFreshObjects(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "fresh")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "crosspkg")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "generics")
}

func TestInterfacesAndClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "ifaces")
}

func TestPrematureTransition(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "premature-transition")
}

func TestDroppedResult(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "dropped-result")
}

func TestIgnoreDirective(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "ignore")
}

func TestMalformedDirectives(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "directives")
}

// The miniature runtime used by the tests is itself correct code.
func TestMiniRuntimeIsClean(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "rt")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// The SuggestedFix moves a mutation below the propagation check when that is
// mechanical, and offers nothing when a statement in between reads the state.
func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), Analyzer, "fix")
}

// A driver that shows no fix sets WithoutFixes: the same findings come
// without their fixes, which the analyzer then does not build.
func TestWithoutFixes(t *testing.T) {
	withFixes := analysistest.Run(t, testdata(t), Analyzer, "fix")
	setFlags(t, nil)
	config.Global.WithoutFixes = true
	without := analysistest.Run(t, testdata(t), Analyzer, "fix")
	require.Len(t, withFixes, 1)
	require.Len(t, without, 1)
	a, b := withFixes[0].Diagnostics, without[0].Diagnostics
	require.Len(t, b, len(a))
	fixed := 0
	for i := range a {
		assert.Equal(t, a[i].Message, b[i].Message)
		assert.Equal(t, a[i].Pos, b[i].Pos)
		assert.Empty(t, b[i].SuggestedFixes)
		fixed += len(a[i].SuggestedFixes)
	}
	assert.Positive(t, fixed, "the package has findings with fixes")
}

// A panic inside the analysis of one function becomes an error that names
// the function and carries the stack; the driver does not crash.
func TestPanicBecomesError(t *testing.T) {
	panicHook = func(fn *ssa.Function) {
		if fn.Name() == "PushBuggy" {
			panic("boom")
		}
	}
	t.Cleanup(func() { panicHook = nil })
	rec := &errT{T: t}
	analysistest.Run(rec, testdata(t), Analyzer, "mutation-before-yield")
	all := strings.Join(rec.errs, "\n")
	require.Contains(t, all, "internal error analysing (*mutation-before-yield.Scan).PushBuggy")
	require.Contains(t, all, "boom")
	require.Contains(t, all, "goroutine", "the error carries a stack")
}

func TestCallbackIgnoresError(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "callback-ignores-error")
}

func TestHeldAcrossYield(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "held-across-yield")
}

func TestLostCopy(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "lost-copy")
}

func TestLocalProgress(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "local-progress")
}

// The safe shapes of docs/model.md §9 stay silent.
func TestSafeShapes(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "safeshapes")
}

func TestRepeatedCall(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "repeated-call")
}

// blind-overwrite is off by default; -rules turns it on.
func TestBlindOverwrite(t *testing.T) {
	setFlags(t, map[string]string{"rules": "default,blind-overwrite"})
	analysistest.Run(t, testdata(t), Analyzer, "blind-overwrite")
}

// Past its work budget, a function is reported as not analyzed, never
// hung on: with the budget scaled to nothing, every resumable function is.
func TestTooLarge(t *testing.T) {
	budget.Scale = 0
	t.Cleanup(func() { budget.Scale = 1 })
	analysistest.Run(t, testdata(t), Analyzer, "too-large")
}

// A diagnostic of a category that is not a registered rule is an error of
// the analysis, naming the category: never silently dropped, never a crash.
func TestUnknownCategoryIsAnError(t *testing.T) {
	r, at, reported := flushReporter(t, "default")
	r.add(diag{rule: "mutation-before-yield", pos: at(1), msg: "known"})
	r.add(diag{rule: "no-such-rule", pos: at(60), msg: "unknown"})
	err := r.flush()
	require.ErrorContains(t, err, `unregistered category "no-such-rule"`)
	require.ErrorContains(t, err, "x.go:2")
	require.Len(t, *reported, 1)
	require.Equal(t, "mutation-before-yield", (*reported)[0].Category)
}

// flushReporter returns a reporter over a fake two-line file x.go with
// the rules given enabled, the position of an offset in the file, and
// what the reporter reports.
func flushReporter(t *testing.T, rules string) (*reporter, func(off int) token.Pos, *[]analysis.Diagnostic) {
	t.Helper()
	fset := token.NewFileSet()
	f := fset.AddFile("x.go", -1, 100)
	f.SetLines([]int{0, 50})
	reported := &[]analysis.Diagnostic{}
	cfg, err := config.Parse(&config.Flags{Rules: rules})
	require.NoError(t, err)
	r := &reporter{pass: &analysis.Pass{Fset: fset, Report: func(d analysis.Diagnostic) { *reported = append(*reported, d) }}, cfg: cfg}
	return r, func(off int) token.Pos { return token.Pos(f.Base() + off) }, reported
}

// A finding reported twice (the same position, rule and message, as from
// two functions that share a body) is reported once; findings that differ
// in any of the three, or that were added out of order, all are, sorted
// by position.
func TestFlushDropsDuplicates(t *testing.T) {
	r, at, reported := flushReporter(t, "all")
	r.add(diag{rule: "mutation-before-yield", pos: at(60), msg: "b"})
	r.add(diag{rule: "mutation-before-yield", pos: at(1), msg: "a"})
	r.add(diag{rule: "repeated-call", pos: at(1), msg: "a"})         // another rule
	r.add(diag{rule: "mutation-before-yield", pos: at(1), msg: "c"}) // another message
	r.add(diag{rule: "mutation-before-yield", pos: at(1), msg: "a"}) // a duplicate
	r.add(diag{rule: "mutation-before-yield", pos: at(60), msg: "b"})
	r.add(diag{rule: "mutation-before-yield", pos: at(2), msg: "a"}) // another position
	require.NoError(t, r.flush())
	var got []string
	for _, d := range *reported {
		got = append(got, fmt.Sprintf("%d %s %s", int(d.Pos-at(0)), d.Category, d.Message))
	}
	require.Equal(t, []string{
		"1 mutation-before-yield a",
		"1 repeated-call a",
		"1 mutation-before-yield c",
		"2 mutation-before-yield a",
		"60 mutation-before-yield b",
	}, got)
}

// Poll futures: the ready! idiom forwards the inner future's yield.
func TestPollFutures(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "futures")
}

// Yields spelled as a sentinel error (//reentrycheck:yielderr).
func TestYieldErr(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "yielderr")
}

// Yields spelled as an error type, returned through a package's own error
// interface.
func TestYieldErrType(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "yielderrtype")
}

// Yields spelled as a status constant (//reentrycheck:yieldvalue), with
// one-shot helpers decided by their callers.
func TestYieldValue(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "yieldvalue")
}

// Yields spelled as an error type of a package's own error space whose
// interface has no Error method (gVisor's tcpip.Error).
func TestYieldErrSpace(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "yielderrspace")
}

// Yields spelled as a sentinel error that some callers take for a drop: a
// function whose callers all stop, or drop the frame and go on, is not
// resumable; the same code whose caller calls again is reported.
func TestYieldErrDrop(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "yielderrdrop")
}
