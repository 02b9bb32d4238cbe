package probe_test

import (
	"crypto/sha256"
	"fmt"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/bench/probe"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// bugDenseOutputDigest is the SHA-256 of render's output on the bug-dense
// probe of 1,000 statements: every diagnostic's range, category, message,
// related location and suggested fix. The counts of
// TestBugDenseShapeHasTheExpectedFindings pin what is found; this pins, byte
// for byte, what is printed, so that a change made only to run faster
// (issue #7) cannot alter a message, a position or a fix unnoticed. A
// change meant to alter the output updates it: the failure prints the new
// digest.
const bugDenseOutputDigest = "0aca1a765f20c2d2cd12671fef1cc25a0507ee540213b82cda893187a8e5831f"

func TestBugDenseOutputIsUnchanged(t *testing.T) {
	dir := t.TempDir()
	info, err := probe.Write(dir, probe.BugDense, 1000)
	require.NoError(t, err)
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir}, "./...")
	require.NoError(t, err)
	require.Zero(t, packages.PrintErrors(pkgs))
	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	require.NoError(t, err)
	out, n := render(t, dir, g)
	require.Equal(t, info.Expected, n)
	require.Equal(t, bugDenseOutputDigest, fmt.Sprintf("%x", sha256.Sum256([]byte(out))), "the rendered findings changed")
}

// render prints the root diagnostics in the order the analyzer reported
// them, file names relative to dir (the temporary directory differs from
// run to run), and returns the text and the number of diagnostics.
func render(t *testing.T, dir string, g *checker.Graph) (string, int) {
	t.Helper()
	var b strings.Builder
	n := 0
	for _, act := range g.Roots {
		require.NoError(t, act.Err)
		fset := act.Package.Fset
		pos := func(p token.Pos) string {
			if !p.IsValid() {
				return "-"
			}
			q := fset.Position(p)
			rel, err := filepath.Rel(dir, q.Filename)
			require.NoError(t, err)
			return fmt.Sprintf("%s:%d:%d@%d", rel, q.Line, q.Column, q.Offset)
		}
		for _, d := range act.Diagnostics {
			n++
			fmt.Fprintf(&b, "%s-%s %s %q\n", pos(d.Pos), pos(d.End), d.Category, d.Message)
			for _, r := range d.Related {
				fmt.Fprintf(&b, "\trelated %s-%s %q\n", pos(r.Pos), pos(r.End), r.Message)
			}
			for _, f := range d.SuggestedFixes {
				fmt.Fprintf(&b, "\tfix %q\n", f.Message)
				for _, e := range f.TextEdits {
					fmt.Fprintf(&b, "\t\tedit %s-%s %q\n", pos(e.Pos), pos(e.End), e.NewText)
				}
			}
		}
	}
	return b.String(), n
}
