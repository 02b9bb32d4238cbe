package directives

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/internal/stdpkg"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"golang.org/x/tools/go/analysis"
)

// Prefix starts every reentrycheck directive.
const Prefix = "//reentrycheck:"

// The declaration directives.
const (
	IOResult   = "ioresult"
	Completion = "completion"
	Done       = "done"
	Idempotent = "idempotent"
	YieldErr   = "yielderr"
	YieldValue = "yieldvalue"
	Ignore     = "ignore"
)

// Declared is the fact attached to an annotated type or function. Its fields
// are exported and its encoding deterministic, as gob requires.
type Declared struct {
	IOResult, Completion, Done, Idempotent bool
	YieldErr, YieldValue                   bool
}

// AFact marks Declared as an analysis fact.
func (*Declared) AFact() {}

func (d *Declared) String() string {
	var parts []string
	for _, p := range []struct {
		on   bool
		name string
	}{{d.IOResult, IOResult}, {d.Completion, Completion}, {d.Done, Done}, {d.Idempotent, Idempotent},
		{d.YieldErr, YieldErr}, {d.YieldValue, YieldValue}} {
		if p.on {
			parts = append(parts, p.name)
		}
	}
	return strings.Join(parts, ",")
}

// DeclaresIOResult is a package fact: the package declares an ioresult or
// a completion type, or a yield error or status constant. Packages that
// neither declare nor import one cannot contain code the rules apply to, and
// the reporting analyzer skips them.
type DeclaresIOResult struct{ Types, Completions, Yields []string }

// AFact marks DeclaresIOResult as an analysis fact.
func (*DeclaresIOResult) AFact() {}

func (d *DeclaresIOResult) String() string {
	s := "declares " + strings.Join(d.Types, ",") + "; completions " + strings.Join(d.Completions, ",")
	if len(d.Yields) > 0 {
		s += "; yields " + strings.Join(d.Yields, ",")
	}
	return s
}

// Problem is a malformed or misplaced directive.
type Problem struct {
	Pos     token.Pos
	End     token.Pos
	Message string
}

// Directives answers questions about declarations for the current package,
// combining facts, this package's own directives and the flags.
type Directives struct {
	pass        *analysis.Pass
	cfg         *config.Config
	Problems    []Problem
	ioTypes     []string // ioresult types declared in this package
	completions []string // completion types declared in this package
	yieldNames  []string // yield errors and status constants declared in this package

	yields *YieldSet // built on first use
	// declaredTypes and declaredFuncs memoize declared, nil for an
	// object without a fact: the analyses ask about the same few types at
	// every call, and each fact import copies the fact into a fresh
	// value. Two maps keyed by pointers, not one keyed by types.Object:
	// an interface key asks the runtime for its dynamic type's hash. The
	// passes that read a Directives run one after another (yields,
	// summary, the analyzer require each other in turn), so they need no
	// lock.
	declaredTypes map[*types.TypeName]*Declared
	declaredFuncs map[*types.Func]*Declared
}

// Analyzer exports a Declared fact for every annotated declaration.
var Analyzer = &analysis.Analyzer{
	Name:       "reentrycheckdirectives",
	Doc:        "records //reentrycheck: declaration directives as facts",
	Run:        run,
	Requires:   []*analysis.Analyzer{config.Analyzer},
	FactTypes:  []analysis.Fact{new(Declared), new(DeclaresIOResult)},
	ResultType: reflect.TypeFor[*Directives](),
}

func run(pass *analysis.Pass) (any, error) {
	d := &Directives{pass: pass, cfg: pass.ResultOf[config.Analyzer].(*config.Config)}
	if stdpkg.Is(pass) {
		return d, nil // the standard library carries no directives
	}
	for _, f := range pass.Files {
		d.scanFile(f)
	}
	if len(d.ioTypes)+len(d.completions)+len(d.yieldNames) > 0 {
		sort.Strings(d.ioTypes)
		sort.Strings(d.completions)
		sort.Strings(d.yieldNames)
		pass.ExportPackageFact(&DeclaresIOResult{Types: d.ioTypes, Completions: d.completions, Yields: d.yieldNames})
	}
	sort.Slice(d.Problems, func(i, j int) bool { return d.Problems[i].Pos < d.Problems[j].Pos })
	return d, nil
}

// scanFile attaches doc-comment directives to their declarations and reports
// every declaration directive found anywhere else.
func (d *Directives) scanFile(f *ast.File) {
	used := map[*ast.Comment]bool{}
	attach := func(doc *ast.CommentGroup, obj types.Object, isType bool) {
		if doc == nil {
			return
		}
		for _, c := range doc.List {
			name, ok := declName(c.Text)
			if !ok {
				continue
			}
			switch name {
			case IOResult, Completion, Done, Idempotent:
				used[c] = true
			case YieldErr:
				used[c] = true
				if !isType {
					d.problem(c, "//reentrycheck:yielderr belongs on a package-level error variable or constant, or on a type that implements error")
					continue
				}
				if err := yieldErrType(obj); err != nil {
					d.problem(c, "//reentrycheck:yielderr: %v", err)
					continue
				}
				d.exportYield(obj, func(f *Declared) { f.YieldErr = true })
				continue
			case YieldValue:
				used[c] = true
				d.problem(c, "//reentrycheck:yieldvalue belongs on a constant declaration")
				continue
			default:
				continue // ignore is a line directive; unknown names are reported below
			}
			fact := new(Declared)
			if obj != nil {
				d.pass.ImportObjectFact(obj, fact)
			}
			switch {
			case name == IOResult && isType:
				fact.IOResult = true
			case name == Completion && isType:
				fact.Completion = true
			case name == Done && !isType:
				fact.Done = true
			case name == Idempotent && !isType:
				fact.Idempotent = true
			case name == IOResult || name == Completion:
				d.problem(c, "//reentrycheck:%s belongs on a type declaration", name)
				continue
			case name == Done || name == Idempotent:
				d.problem(c, "//reentrycheck:%s belongs on a function or method declaration", name)
				continue
			}
			if obj != nil {
				d.pass.ExportObjectFact(obj, fact)
				if fact.IOResult {
					d.ioTypes = append(d.ioTypes, obj.Name())
				}
				if fact.Completion {
					d.completions = append(d.completions, obj.Name())
				}
			}
		}
	}
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			attach(decl.Doc, d.pass.TypesInfo.Defs[decl.Name], false)
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					doc := spec.Doc
					if doc == nil && len(decl.Specs) == 1 {
						doc = decl.Doc
					}
					obj := d.pass.TypesInfo.Defs[spec.Name]
					attach(doc, obj, true)
					// Interface methods may carry done and idempotent too.
					if it, ok := spec.Type.(*ast.InterfaceType); ok {
						for _, m := range it.Methods.List {
							if len(m.Names) == 1 {
								attach(m.Doc, d.pass.TypesInfo.Defs[m.Names[0]], false)
							}
						}
					}
				case *ast.ValueSpec:
					doc := spec.Doc
					if doc == nil && len(decl.Specs) == 1 {
						doc = decl.Doc
					}
					d.attachValue(doc, spec, decl.Tok, used)
				}
			}
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			name, ok := declName(c.Text)
			if !ok || used[c] {
				continue
			}
			switch name {
			case Ignore:
			case IOResult, Completion, Done, Idempotent, YieldErr, YieldValue:
				d.problem(c, "//reentrycheck:%s is not attached to a declaration: put it in the declaration's doc comment", name)
			default:
				d.problem(c, "unknown directive //reentrycheck:%s (known: ioresult, completion, done, idempotent, yielderr, yieldvalue, ignore)", name)
			}
		}
	}
}

// attachValue handles the directives on a variable or constant declaration:
// yielderr on package-level error variables and constants, yieldvalue on
// constants; any other declaration directive is misplaced there.
func (d *Directives) attachValue(doc *ast.CommentGroup, spec *ast.ValueSpec, tok token.Token, used map[*ast.Comment]bool) {
	if doc == nil {
		return
	}
	for _, c := range doc.List {
		name, ok := declName(c.Text)
		if !ok || name == Ignore {
			continue
		}
		used[c] = true
		switch name {
		case YieldErr, YieldValue:
		case IOResult, Completion, Done, Idempotent:
			d.problem(c, "//reentrycheck:%s belongs on a type or function declaration, not a variable or constant", name)
			continue
		default:
			d.problem(c, "unknown directive //reentrycheck:%s (known: ioresult, completion, done, idempotent, yielderr, yieldvalue, ignore)", name)
			continue
		}
		if name == YieldValue && tok != token.CONST {
			d.problem(c, "//reentrycheck:yieldvalue belongs on a constant, not a variable: a status compared by value must not change")
			continue
		}
		for _, id := range spec.Names {
			obj := d.pass.TypesInfo.Defs[id]
			if obj == nil || id.Name == "_" {
				continue
			}
			switch name {
			case YieldErr:
				if !types.Implements(obj.Type(), errorInterface) {
					d.problem(c, "//reentrycheck:yielderr: %s is not an error (its type is %s)", id.Name, obj.Type())
					continue
				}
				d.exportYield(obj, func(f *Declared) { f.YieldErr = true })
			case YieldValue:
				if _, named := types.Unalias(obj.Type()).(*types.Named); !named {
					d.problem(c, "//reentrycheck:yieldvalue: %s has no named type: give the status constants a type of their own, so that results of that type can be recognised", id.Name)
					continue
				}
				d.exportYield(obj, func(f *Declared) { f.YieldValue = true })
			}
		}
	}
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// yieldErrType checks that a type annotated yielderr implements error (by
// value or by pointer), or an error interface of its own package.
func yieldErrType(obj types.Object) error {
	if obj == nil {
		return nil
	}
	if tn, ok := obj.(*types.TypeName); ok && config.ErrorType(tn) {
		return nil
	}
	return fmt.Errorf("type %s does not implement error, nor an error interface of its package", obj.Name())
}

// exportYield records a yield declaration as a fact on obj.
func (d *Directives) exportYield(obj types.Object, set func(*Declared)) {
	if obj == nil {
		return
	}
	fact := new(Declared)
	d.pass.ImportObjectFact(obj, fact)
	set(fact)
	d.pass.ExportObjectFact(obj, fact)
	d.yieldNames = append(d.yieldNames, obj.Name())
}

// declName returns the directive name of a //reentrycheck: comment.
func declName(text string) (string, bool) {
	rest, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(rest, " ")
	name, _, _ = strings.Cut(name, "\t")
	return name, true
}

func (d *Directives) problem(c *ast.Comment, format string, args ...any) {
	d.Problems = append(d.Problems, Problem{Pos: c.Pos(), End: c.End(), Message: fmt.Sprintf(format, args...)})
}

// declared returns the fact for obj (not nil), or nil, memoized in *memo.
func declared[K interface {
	comparable
	types.Object
}](d *Directives, memo *map[K]*Declared, obj K) *Declared {
	if f, ok := (*memo)[obj]; ok {
		return f
	}
	fact := new(Declared)
	if !d.pass.ImportObjectFact(obj, fact) {
		fact = nil
	}
	if *memo == nil {
		*memo = map[K]*Declared{}
	}
	(*memo)[obj] = fact
	return fact
}

// namedOf strips pointers and aliases and returns the origin type name.
func namedOf(t types.Type, derefPointer bool) *types.TypeName {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok && derefPointer {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

// IsIOResult reports whether t is (an instantiation of) an ioresult type.
func (d *Directives) IsIOResult(t types.Type) bool {
	tn := namedOf(t, false)
	if tn == nil {
		return false
	}
	if f := declared(d, &d.declaredTypes, tn); f != nil && f.IOResult {
		return true
	}
	return d.cfg.IOResult(tn)
}

// IsCompletion reports whether t is a completion type, or a pointer to one.
func (d *Directives) IsCompletion(t types.Type) bool {
	tn := namedOf(t, true)
	if tn == nil {
		return false
	}
	if f := declared(d, &d.declaredTypes, tn); f != nil && f.Completion {
		return true
	}
	return d.cfg.Completion(tn)
}

// IsDone reports whether fn is declared done.
func (d *Directives) IsDone(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	if f := declared(d, &d.declaredFuncs, fn); f != nil && f.Done {
		return true
	}
	return d.cfg.Done(fn)
}

// IsIdempotent reports whether fn is declared idempotent.
func (d *Directives) IsIdempotent(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	if f := declared(d, &d.declaredFuncs, fn); f != nil && f.Idempotent {
		return true
	}
	return d.cfg.Idempotent(fn)
}

// IOResultIndexes returns the positions of ioresult types among sig's
// results; a function with any is resumable.
func (d *Directives) IOResultIndexes(sig *types.Signature) []int {
	var idx []int
	for i := 0; i < sig.Results().Len(); i++ {
		if d.IsIOResult(sig.Results().At(i).Type()) {
			idx = append(idx, i)
		}
	}
	return idx
}

// IsResumable reports whether a function of this signature is resumable.
func (d *Directives) IsResumable(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		if d.IsIOResult(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// ReturnsCompletion reports whether a function of this signature returns a
// completion, which makes every call of it a submit call.
func (d *Directives) ReturnsCompletion(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		if d.IsCompletion(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// Relevant reports whether the package can contain resumable code: it
// declares or sees an ioresult type. Packages that cannot are skipped by the
// reporting analyzer.
func (d *Directives) Relevant() bool {
	if d.cfg.HasTypeFlags() || d.cfg.HasYieldFlags() {
		return true
	}
	if len(d.ioTypes)+len(d.completions)+len(d.yieldNames) > 0 {
		return true
	}
	for _, pf := range d.pass.AllPackageFacts() {
		if _, ok := pf.Fact.(*DeclaresIOResult); ok {
			return true
		}
	}
	return false
}
