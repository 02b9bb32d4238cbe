package qtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestYieldComments(t *testing.T) {
	dir := t.TempDir()
	src := `package a

// F yields twice; only the second yield is commented.
//
// quality: ok C1 sample
func F() (rt.IOResult[int], error) {
	if x {
		return rt.Wait[int](c), nil
	}
	// Re-entrancy: nothing was mutated.
	return rt.Yield[int](), nil
}

// G is buggy; a Bug comment is enough.
//
// quality: bug C1 sample
func G() (rt.IOResult[int], error) {
	// Bug: the counter above repeats.
	return rt.Yield[int](), nil
}

// H is unlabelled and not checked.
func H() (rt.IOResult[int], error) {
	return rt.Yield[int](), nil
}
`
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	missing, err := YieldComments(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != 1 || missing[0] != "a.go:8 (F)" {
		t.Fatalf("missing = %q, want the uncommented yield of F only", missing)
	}
}
