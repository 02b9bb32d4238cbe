package yields

import (
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/ssabuild"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// report says, at every declared function, in which spelling it yields.
var report = &analysis.Analyzer{
	Name:     "yieldsreport",
	Doc:      "reports each function's yield spelling, for tests",
	Requires: []*analysis.Analyzer{Analyzer, ssabuild.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		y := pass.ResultOf[Analyzer].(*Yields)
		prog := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.SSA)
		for _, fn := range prog.SrcFuncs {
			if fn.Parent() != nil || fn.Synthetic != "" {
				continue
			}
			pass.Reportf(fn.Pos(), "%s: %s", fn.Name(), y.Func(fn))
		}
		return nil, nil
	},
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Sentinels, wrapping, forwarding, guards that narrow either way,
// recursion, and functions without a carrier.
func TestErrorSpelling(t *testing.T) {
	analysistest.Run(t, testdata(t), report, "spell")
}

// Status constants, with the callers deciding: one-shot helpers, chains of
// them, forwarded ones, exported ones and ones whose value is taken.
func TestStatusSpelling(t *testing.T) {
	analysistest.Run(t, testdata(t), report, "status")
}

// The MayYield fact carries the answers into an importing package.
func TestAcrossPackages(t *testing.T) {
	analysistest.Run(t, testdata(t), report, "crossuse")
}

// Error spelling, with the callers deciding: helpers whose callers drop
// the would-block, chains of them, and the callers that drive a yield
// (retry, telling it from other errors, keeping it, forwarding it to an
// exported function), method values, and unexported methods called
// through interfaces.
func TestErrorCallersDecide(t *testing.T) {
	analysistest.Run(t, testdata(t), report, "drivers")
}
