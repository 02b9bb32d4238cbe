package probe_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/bench/probe"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// findings generates the probe, checks that it type-checks, runs
// reentrycheck on it in-process and returns the findings per rule.
func findings(t *testing.T, shape probe.Shape, n int) (probe.Info, map[string]int) {
	t.Helper()
	dir := t.TempDir()
	info, err := probe.Write(dir, shape, n)
	require.NoError(t, err)
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir}
	pkgs, err := packages.Load(cfg, "./...")
	require.NoError(t, err)
	require.Zero(t, packages.PrintErrors(pkgs), "the generated module type-checks")
	require.Len(t, pkgs, 2)

	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	require.NoError(t, err)
	byRule := map[string]int{}
	for _, act := range g.Roots {
		require.NoError(t, act.Err)
		for _, d := range act.Diagnostics {
			byRule[d.Category]++
			if shape != probe.BugDense {
				t.Errorf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
			}
		}
	}
	return info, byRule
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// 163 statements: three full arms and a short last one.
func TestCorrectShapeHasNoFinding(t *testing.T) {
	info, got := findings(t, probe.Correct, 163)
	require.Equal(t, probe.Info{Shape: probe.Correct, Statements: 163, Arms: 4, Calls: 29}, info)
	require.Empty(t, got)
}

// The straight shape at two sizes: with and without room for a call at
// the end of the body.
func TestStraightShapeHasNoFinding(t *testing.T) {
	info, got := findings(t, probe.Straight, 163)
	require.Equal(t, probe.Info{Shape: probe.Straight, Statements: 163, Arms: 1, Calls: 32}, info)
	require.Empty(t, got)
	info, got = findings(t, probe.Straight, 13)
	require.Equal(t, probe.Info{Shape: probe.Straight, Statements: 13, Arms: 1, Calls: 2}, info)
	require.Empty(t, got)
}

func TestBugDenseShapeHasTheExpectedFindings(t *testing.T) {
	info, got := findings(t, probe.BugDense, 163)
	require.Equal(t, 163, info.Statements)
	require.Equal(t, 4, info.Arms)
	require.Equal(t, 29, info.Calls)
	// Per full arm: 27 mutations before its last call (9 groups of an
	// increment, an update in a branch and an append; the progress loops
	// are silent), 8 repeated calls of Next; the short arm (13
	// statements, calls at 4 and 9): 6 and 1.
	require.Equal(t, 3*35+7, info.Expected)
	require.Equal(t, map[string]int{"mutation-before-yield": 3*27 + 6, "repeated-call": 3*8 + 1}, got)
	require.Equal(t, info.Expected, total(got))
}

// countStatements counts Step's statements in the generated source the way
// the package doc does: a propagated call and its check are one statement,
// fallthrough is none. It also returns the number of arms and calls.
func countStatements(t *testing.T, dir string) (stmts, arms, calls int) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "machine", "step.go"), nil, 0)
	require.NoError(t, err)
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "Step" {
			continue
		}
		// The state machine's arms, or the straight shape's one body
		// (without its closing return).
		var bodies [][]ast.Stmt
		if sw, ok := fn.Body.List[0].(*ast.SwitchStmt); ok {
			for _, c := range sw.Body.List {
				bodies = append(bodies, c.(*ast.CaseClause).Body)
			}
		} else {
			bodies = append(bodies, fn.Body.List[:len(fn.Body.List)-1])
		}
		for _, body := range bodies {
			arms++
			for _, s := range body {
				switch s := s.(type) {
				case *ast.BranchStmt: // fallthrough
				case *ast.AssignStmt:
					if len(s.Lhs) == 2 {
						calls++ // counted with its check
					} else {
						stmts++
					}
				default:
					stmts++
				}
			}
		}
	}
	return stmts, arms, calls
}

func TestStatementCountIsExact(t *testing.T) {
	for _, n := range []int{5, 49, 50, 51, 1000} {
		for _, shape := range probe.Shapes {
			dir := t.TempDir()
			info, err := probe.Write(dir, shape, n)
			require.NoError(t, err)
			stmts, arms, calls := countStatements(t, dir)
			require.Equal(t, n, info.Statements, "%s %d", shape, n)
			require.Equal(t, n, stmts, "%s %d: statements in the source", shape, n)
			if shape == probe.Straight {
				require.Equal(t, 1, info.Arms, "%s %d: one state", shape, n)
			} else {
				require.Equal(t, (n+probe.ArmSize-1)/probe.ArmSize, info.Arms, "%s %d", shape, n)
			}
			require.Equal(t, info.Arms, arms, "%s %d", shape, n)
			require.Equal(t, info.Calls, calls, "%s %d", shape, n)
		}
	}
	_, err := probe.Write(t.TempDir(), "other", 100)
	require.ErrorContains(t, err, "unknown shape")
}
