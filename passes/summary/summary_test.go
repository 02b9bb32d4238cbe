package summary_test

import (
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/summary"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks the exported mutation summaries, including induction
// through a callee and the idempotent exemption.
func TestFacts(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, dir, summary.Analyzer, "helpers")
}

// TestShapeFacts checks the facts of the call-graph shapes through the
// ordinary driver.
func TestShapeFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), summary.Analyzer, "shapes")
}
