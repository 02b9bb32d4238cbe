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

// Src is the GOROOT/src prefix of standard-library files, with a trailing
// separator ("" when GOROOT is unknown). It is the toolchain this binary
// was built with; packages of another one are not recognised as std.
var Src = func() string {
	r := build.Default.GOROOT
	if r == "" {
		return ""
	}
	if abs, err := filepath.EvalSymlinks(r); err == nil {
		r = abs
	}
	return filepath.Join(r, "src") + string(filepath.Separator)
}()

// Is reports whether pass analyses a standard-library package.
func Is(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 {
		return IsFile(pass.Pkg.Path(), "")
	}
	return IsFile(pass.Pkg.Path(), pass.Fset.File(pass.Files[0].Pos()).Name())
}

// IsFile reports whether the package of import path path, one of whose Go
// files is file, belongs to the standard library: the path has no dot in
// its first element and the file lives under GOROOT/src. (The path test
// alone would misclassify GOPATH packages such as analysistest's.) A
// package's Go files share one directory, so any one of them tells.
func IsFile(path, file string) bool {
	if path == "unsafe" || path == "C" {
		return true
	}
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") || file == "" || Src == "" {
		return false
	}
	dir := filepath.Dir(file)
	if abs, err := filepath.EvalSymlinks(dir); err == nil {
		dir = abs
	}
	return strings.HasPrefix(dir+string(filepath.Separator), Src)
}
