// Package stdpkg tells whether a package under analysis belongs to the
// standard library. reentrycheck describes the standard library with a
// built-in table instead of analysing it, so that declaring facts does not
// cost an SSA build of every std dependency.
package stdpkg

import (
	"go/build"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

var goroot = func() string {
	r := build.Default.GOROOT
	if r == "" {
		return ""
	}
	if abs, err := filepath.EvalSymlinks(r); err == nil {
		r = abs
	}
	return filepath.Join(r, "src") + string(filepath.Separator)
}()

// Is reports whether pass analyses a standard-library package: its import
// path has no dot in its first element and its files live under GOROOT/src.
// (The path test alone would misclassify analysistest's GOPATH packages.)
func Is(pass *analysis.Pass) bool {
	path := pass.Pkg.Path()
	if path == "unsafe" || path == "C" {
		return true
	}
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") {
		return false
	}
	if len(pass.Files) == 0 || goroot == "" {
		return false
	}
	name := pass.Fset.File(pass.Files[0].Pos()).Name()
	if abs, err := filepath.EvalSymlinks(name); err == nil {
		name = abs
	}
	return strings.HasPrefix(name, goroot)
}
