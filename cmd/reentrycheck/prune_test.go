package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/internal/stdpkg"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/packages"
)

func TestRelevanceSeed(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		assert.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	directive := write("d.go", "package d\n\n//reentrycheck:ioresult\ntype R struct{}\n")
	misplaced := write("m.go", "package m\n\nfunc F() {\n\t//reentrycheck:bogus\n}\n")
	plain := write("p.go", "package p\n\n// reentrycheck: prose, not a directive\nfunc F() {}\n")
	seed := relevanceSeed([]config.Declaration{
		{Flag: "ioresult", Entries: []string{"example.com/ext/io.Result"}},
		{Flag: "yieldvalue", Entries: []string{"gopkg.in/yaml.v3.Again"}},
		{Flag: "ioresult", Entries: []string{"go/types.Type"}},
	})
	pkg := func(path string, files ...string) *packages.Package {
		return &packages.Package{ID: path, PkgPath: path, GoFiles: files}
	}
	assert.True(t, seed(pkg("example.com/d", directive)), "a directive")
	assert.True(t, seed(pkg("example.com/m", plain, misplaced)), "any //reentrycheck: text, even an unknown directive inside a body")
	assert.False(t, seed(pkg("example.com/p", plain)), "prose mentioning the name")
	assert.True(t, seed(pkg("example.com/ext/io", plain)), "named by -ioresult, though it has no directive")
	assert.True(t, seed(pkg("gopkg.in/yaml.v3", plain)), "named by -yieldvalue, a dot in the path")
	assert.False(t, seed(pkg("example.com/ext", plain)), "a prefix of a named path is not it")
	assert.True(t, seed(pkg("example.com/gone", filepath.Join(dir, "missing.go"))), "a file that cannot be read counts")
	std := filepath.Join(stdpkg.Src, "go", "types", "api.go")
	assert.True(t, seed(pkg("go/types", std)), "a std package named by a flag")
	assert.False(t, seed(pkg("go/ast", filepath.Join(stdpkg.Src, "go", "ast", "no-such-file.go"))), "std is not read (an unreadable file would count)")
	cgo := &packages.Package{ID: "example.com/c", PkgPath: "example.com/c", GoFiles: []string{plain}, CompiledGoFiles: []string{directive}}
	assert.True(t, seed(cgo), "compiled files are read too")
}

func TestIsStd(t *testing.T) {
	fmtDir := filepath.Join(stdpkg.Src, "fmt")
	assert.True(t, isStd(&packages.Package{PkgPath: "fmt", GoFiles: []string{filepath.Join(fmtDir, "print.go")}}))
	assert.False(t, isStd(&packages.Package{PkgPath: "fmt", GoFiles: []string{filepath.Join(t.TempDir(), "print.go")}}), "a GOPATH package with a std-like path")
	assert.False(t, isStd(&packages.Package{PkgPath: "example.com/fmt", GoFiles: []string{filepath.Join(fmtDir, "print.go")}}))
	assert.False(t, isStd(&packages.Package{PkgPath: "fmt"}), "no files: read, not assumed")
}
