package analyzer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// TestSelfCheck runs the analyzer over the bundled runtime and the
// repository's example programs, their tests included: they are written in
// the model the linter checks, and it must find nothing there. Any diagnostic fails the test.
func TestSelfCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and analyses the whole runtime")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "..", Tests: true}
	pkgs, err := packages.Load(cfg, selfCheckPatterns()...)
	require.NoError(t, err)
	require.NotEmpty(t, pkgs)
	var loadErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
	})
	require.Empty(t, loadErrs)
	graph, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, nil)
	require.NoError(t, err)
	var found []string
	analysed := 0
	for act := range graph.All() {
		if act.Analyzer != Analyzer || !act.IsRoot {
			continue
		}
		require.NoError(t, act.Err, "analysing %s", act.Package.PkgPath)
		for _, d := range act.Diagnostics {
			found = append(found, fmt.Sprintf("%s: [%s] %s", act.Package.Fset.Position(d.Pos), d.Category, d.Message))
		}
		analysed++
	}
	require.NotZero(t, analysed, "the runtime packages were analysed")
	require.Empty(t, found, "the runtime must be clean:\n%s", strings.Join(found, "\n"))
}

// selfCheckPatterns lists the runtime and, once they exist, the examples.
func selfCheckPatterns() []string {
	pats := []string{"./runtime/..."}
	if st, err := os.Stat("../examples"); err == nil && st.IsDir() {
		pats = append(pats, "./examples/...")
	}
	return pats
}
