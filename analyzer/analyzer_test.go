package analyzer

import (
	"path/filepath"
	"testing"

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
	analysistest.Run(t, testdata(t), Analyzer, "c1")
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
	analysistest.Run(t, testdata(t), Analyzer, "premature")
}

func TestDroppedResult(t *testing.T) {
	analysistest.Run(t, testdata(t), Analyzer, "dropped")
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
