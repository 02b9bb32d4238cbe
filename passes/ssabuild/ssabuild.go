// Package ssabuild builds SSA for the packages where reentrycheck needs it.
//
// It replaces x/tools' buildssa for one reason: reentrycheck declares facts,
// so its passes run on every dependency, std included, and requiring buildssa
// would build SSA (and run ctrlflow) for all of them. This pass builds nothing
// for standard-library packages, which a built-in table describes instead,
// and returns a nil *SSA for them.
package ssabuild

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"

	"github.com/reentrycheck/reentrycheck/internal/stdpkg"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// SSA holds the package's SSA form and its source functions (closures
// included) in source order.
type SSA struct {
	Pkg      *ssa.Package
	SrcFuncs []*ssa.Function
}

// Analyzer builds SSA for every package outside the standard library.
var Analyzer = &analysis.Analyzer{
	Name:       "reentrycheckssa",
	Doc:        "builds SSA for non-standard-library packages",
	Run:        run,
	ResultType: reflect.TypeFor[*SSA](),
}

func run(pass *analysis.Pass) (any, error) {
	if stdpkg.Is(pass) {
		return (*SSA)(nil), nil
	}
	// Creating an imported package allocates an SSA member for every name
	// it declares and every method of its types: for golang.org/x/sys/unix
	// or a package of generated marshalling code that is thousands, in the
	// SSA of every package that imports it, and reentrycheck builds the SSA
	// of every dependency, not only of the roots. The builder needs an
	// import's members only for the package-level functions and variables
	// the code names; methods are created on demand, constants become
	// values, and BareInits keeps the package initializer from calling the
	// imports' initializers (nothing here reads it). So only the imports
	// whose functions or variables are named are created.
	prog := ssa.NewProgram(pass.Fset, ssa.BareInits)
	prog.SetNoReturn(noReturn)
	named := namedImports(pass)
	for _, p := range pass.Pkg.Imports() {
		if named[p] {
			prog.CreatePackage(p, nil, nil, true)
		}
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var funcs []*ssa.Function
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			if f := prog.FuncValue(obj); f != nil {
				add(f)
			}
		}
	}
	// Package-level variable initializers may contain closures too.
	if init := pkg.Func("init"); init != nil {
		for _, anon := range init.AnonFuncs {
			add(anon)
		}
	}
	return &SSA{Pkg: pkg, SrcFuncs: funcs}, nil
}

// namedImports returns the packages other than pass.Pkg whose
// package-level functions or variables the package's syntax names.
func namedImports(pass *analysis.Pass) map[*types.Package]bool {
	out := map[*types.Package]bool{}
	// The walk over every use stops once each import is named: a small
	// package names all of its imports early. Only the imports count, so
	// that a package named otherwise could never end the walk early.
	unnamed := len(pass.Pkg.Imports())
	for _, obj := range pass.TypesInfo.Uses {
		if unnamed == 0 {
			break
		}
		if fn, ok := obj.(*types.Func); ok {
			obj = fn.Origin() // an instance of a generic function: its declaration
		}
		p := obj.Pkg()
		if p == nil || p == pass.Pkg || out[p] || obj.Parent() != p.Scope() {
			continue
		}
		switch obj.(type) {
		case *types.Func, *types.Var:
			out[p] = true
			if slices.Contains(pass.Pkg.Imports(), p) { // once per package named
				unnamed--
			}
		}
	}
	return out
}

// noReturn names the standard-library functions that never return, so that
// SSA prunes the paths after them (a log.Fatal is not a path to a yield).
func noReturn(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	// Matched on the name first, then the package path: the builder asks
	// at every call, and joining the two into one string allocated.
	name, path := fn.Name(), fn.Pkg().Path()
	switch name {
	case "Exit":
		if path == "os" || path == "syscall" {
			return true
		}
	case "Goexit":
		if path == "runtime" {
			return true
		}
	case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln":
		if path == "log" {
			return true
		}
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "FailNow", "SkipNow", "Skip", "Skipf":
			if path == "testing" || path == "log" {
				return true
			}
		}
	}
	return false
}
