package ssabuild

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/analysis"
)

// noReturn's table, function by function: the functions and methods that
// never return, and near misses (a name in the wrong package, a method
// name that only a method has).
func TestNoReturnTable(t *testing.T) {
	fn := func(path, name string, method bool) *types.Func {
		pkg := types.NewPackage(path, filepath.Base(path))
		var recv *types.Var
		if method {
			recv = types.NewParam(token.NoPos, pkg, "x", types.NewPointer(types.NewStruct(nil, nil)))
		}
		return types.NewFunc(token.NoPos, pkg, name, types.NewSignatureType(recv, nil, nil, nil, nil, false))
	}
	for _, c := range []struct {
		path, name string
		method     bool
		want       bool
	}{
		{"os", "Exit", false, true},
		{"syscall", "Exit", false, true},
		{"runtime", "Goexit", false, true},
		{"log", "Fatalf", false, true},
		{"log", "Panicln", false, true},
		{"log", "Panic", true, true}, // (*log.Logger).Panic
		{"log", "Skipf", true, true},
		{"testing", "FailNow", true, true},
		{"testing", "Fatal", true, true},
		{"testing", "Fatal", false, false}, // only the method
		{"testing", "SkipNow", false, false},
		{"os", "Getpid", false, false},
		{"example.com/os", "Exit", false, false},
		{"runtime", "Exit", false, false},
		{"log", "Print", true, false},
	} {
		assert.Equal(t, c.want, noReturn(fn(c.path, c.name, c.method)), "%s.%s method=%v", c.path, c.name, c.method)
	}
	assert.False(t, noReturn(types.NewFunc(token.NoPos, nil, "Exit", types.NewSignatureType(nil, nil, nil, nil, nil, false))), "no package")
}

// importerOf imports the packages it holds, by path.
type importerOf map[string]*types.Package

func (m importerOf) Import(path string) (*types.Package, error) { return m[path], nil }

// namedImports lists the imports whose package-level functions or
// variables the syntax names, and no import named only by a type or a
// method; the walk over the uses stops early only once every import is
// named.
func TestNamedImports(t *testing.T) {
	fset := token.NewFileSet()
	check := func(path, src string, imp types.Importer) (*types.Package, *types.Info, *ast.File) {
		f, err := parser.ParseFile(fset, path+".go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
		pkg, err := (&types.Config{Importer: imp}).Check(path, fset, []*ast.File{f}, info)
		if err != nil {
			t.Fatal(err)
		}
		return pkg, info, f
	}
	imp := importerOf{}
	imp["fns"], _, _ = check("fns", "package fns\n\nfunc F() int { return 1 }\n", nil)
	imp["vars"], _, _ = check("vars", "package vars\n\nvar V int\n", nil)
	imp["typs"], _, _ = check("typs", "package typs\n\ntype T struct{}\n\nfunc (T) M() {}\n", nil)

	named := func(src string) []string {
		pkg, info, _ := check("p", src, imp)
		var out []string
		for p := range namedImports(&analysis.Pass{Pkg: pkg, TypesInfo: info}) {
			out = append(out, p.Path())
		}
		slices.Sort(out)
		return out
	}
	assert.Equal(t, []string{"fns", "vars"}, named(`package p

import (
	"fns"
	"typs"
	"vars"
)

func G(t typs.T) int {
	t.M()
	return fns.F() + vars.V
}
`))
	assert.Equal(t, []string{"fns"}, named(`package p

import (
	"fns"
	"typs"
)

var _ typs.T

func G() int { return fns.F() + fns.F() }
`))
	assert.Empty(t, named("package p\n\nimport \"typs\"\n\nvar _ typs.T\n"))
}
