package ssatest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// TB is the part of testing.TB that the helpers use; *rapid.T has it too.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Failed() bool
	FailNow()
}

// Prog is a type-checked test source and its SSA.
type Prog struct {
	Fset  *token.FileSet
	File  *ast.File
	Types *types.Package
	Info  *types.Info
	SSA   *ssa.Package
	Deps  []*Prog // the packages it may import
	pkg   *packages.Package
	// Declared maps an annotated object to the directive names in its doc
	// comment ("ioresult", "done", ...).
	Declared map[types.Object][]string
}

// Parse parses and type-checks src (a file of package p) without building
// SSA.
func Parse(t TB, src string) *Prog {
	t.Helper()
	return ParseFile(t, "p.go", src)
}

// ParseFile is Parse with the file's name (its package's directory matters
// to the passes that skip the standard library).
func ParseFile(t TB, filename, src string) *Prog {
	t.Helper()
	return parse(t, token.NewFileSet(), filename, src, nil)
}

// ParseWith is Parse for a source that imports deps: each is the source of
// one package, imported by its package name ("package os" is "os"), and may
// import the deps before it.
func ParseWith(t TB, src string, deps ...string) *Prog {
	t.Helper()
	fset := token.NewFileSet()
	var progs []*Prog
	for i, d := range deps {
		progs = append(progs, parse(t, fset, fmt.Sprintf("dep%d.go", i), d, progs))
	}
	return parse(t, fset, "p.go", src, progs)
}

type importer []*Prog

func (im importer) Import(path string) (*types.Package, error) {
	for _, p := range im {
		if p.Types.Path() == path {
			return p.Types, nil
		}
	}
	return nil, fmt.Errorf("ssatest: no package %q", path)
}

func parse(t TB, fset *token.FileSet, filename, src string, deps []*Prog) *Prog {
	t.Helper()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: importer(deps), Error: func(err error) { t.Errorf("type error: %v", err) }}
	pkg, _ := conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	if t.Failed() {
		t.FailNow()
	}
	p := &Prog{Fset: fset, File: f, Types: pkg, Info: info, Declared: map[types.Object][]string{}, Deps: deps}
	p.scanDirectives()
	return p
}

// Build parses, type-checks and builds SSA for src.
func Build(t TB, src string) *Prog {
	t.Helper()
	p := Parse(t, src)
	prog := ssa.NewProgram(p.Fset, ssa.BuilderMode(0))
	for _, d := range p.Deps {
		prog.CreatePackage(d.Types, nil, nil, true)
	}
	ssaPkg := prog.CreatePackage(p.Types, []*ast.File{p.File}, p.Info, false)
	ssaPkg.Build()
	p.SSA = ssaPkg
	return p
}

func (p *Prog) scanDirectives() {
	add := func(doc *ast.CommentGroup, name *ast.Ident, recv string) {
		if doc == nil {
			return
		}
		obj := p.lookup(name.Name, recv)
		if obj == nil {
			return
		}
		for _, c := range doc.List {
			if d, ok := strings.CutPrefix(c.Text, "//reentrycheck:"); ok {
				p.Declared[obj] = append(p.Declared[obj], strings.Fields(d)[0])
			}
		}
	}
	for _, decl := range p.File.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			recv := ""
			if d.Recv != nil && len(d.Recv.List) == 1 {
				recv = recvName(d.Recv.List[0].Type)
			}
			add(d.Doc, d.Name, recv)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					doc := ts.Doc
					if doc == nil {
						doc = d.Doc
					}
					add(doc, ts.Name, "")
				}
			}
		}
	}
}

func recvName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// lookup finds a package-level object, or method name of type recv.
func (p *Prog) lookup(name, recv string) types.Object {
	if recv == "" {
		return p.Types.Scope().Lookup(name)
	}
	tn, ok := p.Types.Scope().Lookup(recv).(*types.TypeName)
	if !ok {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, p.Types, name)
	return obj
}

// Func returns the function named name: "F" for a function, "T.M" for a
// method of T or *T, "F$1" for F's first closure, "F$1$2" for that closure's
// second. It fails the test if there
// is none.
func (p *Prog) Func(t TB, name string) *ssa.Function {
	t.Helper()
	base, rest, _ := strings.Cut(name, "$")
	var fn *ssa.Function
	if recv, method, ok := strings.Cut(base, "."); ok {
		if obj, _ := p.lookup(method, recv).(*types.Func); obj != nil {
			fn = p.SSA.Prog.FuncValue(obj)
		}
	} else {
		fn = p.SSA.Func(base)
	}
	if fn == nil {
		t.Fatalf("no function %s", name)
	}
	if rest != "" {
		want := fn.Name() + "$" + rest
		var find func(f *ssa.Function) *ssa.Function
		find = func(f *ssa.Function) *ssa.Function {
			for _, anon := range f.AnonFuncs {
				if anon.Name() == want {
					return anon
				}
				if found := find(anon); found != nil {
					return found
				}
			}
			return nil
		}
		if anon := find(fn); anon != nil {
			return anon
		}
		t.Fatalf("no closure %s", name)
	}
	return fn
}

// Package returns the source as a go/packages package, ready for
// checker.Analyze (it needs Parse, not Build: the checker builds its own SSA).
func (p *Prog) Package() *packages.Package {
	if p.pkg != nil {
		return p.pkg
	}
	imports := map[string]*packages.Package{}
	for _, d := range p.Deps {
		imports[d.Types.Path()] = d.Package()
	}
	p.pkg = &packages.Package{
		ID:         p.Types.Path(),
		Name:       p.Types.Name(),
		PkgPath:    p.Types.Path(),
		Fset:       p.Fset,
		Syntax:     []*ast.File{p.File},
		GoFiles:    []string{p.Fset.File(p.File.Pos()).Name()},
		Types:      p.Types,
		TypesInfo:  p.Info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		Imports:    imports,
	}
	return p.pkg
}

// Name names a function object as Func does: "F", or "T.M" for methods
// (interface methods included).
func Name(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Name()
	}
	t := types.Unalias(sig.Recv().Type())
	if ptr, ok := t.(*types.Pointer); ok {
		t = types.Unalias(ptr.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin().Obj().Name() + "." + fn.Name()
	}
	return fn.Name()
}

// Oracle answers effect.Oracle (and the two further questions of the replay
// analysis) from the directives of a Prog. Callee summaries come from Sums,
// keyed by Name; a call of a function without an entry has no effect.
type Oracle struct {
	Prog *Prog
	Sums map[string]*effect.Summary
}

// NewOracle returns an oracle for p with no callee summaries.
func NewOracle(p *Prog) *Oracle { return &Oracle{Prog: p, Sums: map[string]*effect.Summary{}} }

func (o *Oracle) declared(obj types.Object, directive string) bool {
	for _, d := range o.Prog.Declared[obj] {
		if d == directive {
			return true
		}
	}
	return false
}

func namedOf(t types.Type, deref bool) *types.TypeName {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok && deref {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

// Callees implements effect.Oracle.
func (o *Oracle) Callees(_ *ssa.Function, call *ssa.CallCommon) ([]*effect.Summary, *types.Func) {
	var obj *types.Func
	if call.IsInvoke() {
		obj = call.Method
	} else if fn := call.StaticCallee(); fn != nil {
		if origin := fn.Origin(); origin != nil {
			fn = origin
		}
		obj, _ = fn.Object().(*types.Func)
		if obj == nil {
			// A closure: keyed by its SSA name.
			if s := o.Sums[fn.Name()]; s != nil {
				return []*effect.Summary{s}, nil
			}
			return nil, nil
		}
	}
	if obj == nil {
		return nil, nil
	}
	if s := o.Sums[Name(obj)]; s != nil {
		return []*effect.Summary{s}, obj
	}
	return nil, obj
}

// IsIOResult reports whether t is a type declared ioresult.
func (o *Oracle) IsIOResult(t types.Type) bool {
	tn := namedOf(t, false)
	return tn != nil && o.declared(tn, "ioresult")
}

// IsCompletion implements effect.Oracle.
func (o *Oracle) IsCompletion(t types.Type) bool {
	tn := namedOf(t, true)
	return tn != nil && o.declared(tn, "completion")
}

// Resumable implements effect.Oracle: in tests, only the result-type
// spelling is declared.
func (o *Oracle) Resumable(call *ssa.CallCommon) bool {
	return len(o.IOResultIndexes(call.Signature())) > 0
}

// Yields implements replay.Oracle: no yield errors or status constants.
func (o *Oracle) Yields() *yields.Yields { return nil }

// IOResultIndexes returns the positions of ioresult results of sig.
func (o *Oracle) IOResultIndexes(sig *types.Signature) []int {
	var idx []int
	for i := 0; i < sig.Results().Len(); i++ {
		if o.IsIOResult(sig.Results().At(i).Type()) {
			idx = append(idx, i)
		}
	}
	return idx
}

// ReturnsCompletion implements effect.Oracle.
func (o *Oracle) ReturnsCompletion(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		if o.IsCompletion(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// IsIdempotent implements effect.Oracle.
func (o *Oracle) IsIdempotent(fn *types.Func) bool {
	return fn != nil && o.declared(fn.Origin(), "idempotent")
}

// IsDone implements effect.Oracle.
func (o *Oracle) IsDone(fn *types.Func) bool { return fn != nil && o.declared(fn.Origin(), "done") }

// Summarized implements effect.Oracle: a test declares the summaries it
// means to use, so a missing one says nothing about the function.
func (o *Oracle) Summarized(fn *types.Func) bool { return false }

var _ effect.Oracle = (*Oracle)(nil)

// Instrs returns fn's instructions of type T, in block order.
func Instrs[T ssa.Instruction](fn *ssa.Function) []T {
	var out []T
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if x, ok := instr.(T); ok {
				out = append(out, x)
			}
		}
	}
	return out
}

// NameOf names a function object as Name does, and any other object by its
// name.
func NameOf(obj types.Object) string {
	if fn, ok := obj.(*types.Func); ok {
		return Name(fn)
	}
	return obj.Name()
}
