package directives_test

import (
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/directives"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks that each declaration directive becomes a Declared fact.
func TestFacts(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, dir, directives.Analyzer, "declfacts")
}
