package directives

import (
	"go/constant"
	"go/token"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/config"
)

// YieldSet is every yield declared in the spellings existing Go code uses,
// as far as one package can see: yield errors (a sentinel variable, an error
// constant such as syscall.EAGAIN, an error type) and yield status
// constants, from this package's directives, its dependencies' facts and
// the -yielderr and -yieldvalue flags.
type YieldSet struct {
	errObjs  map[types.Object]bool            // yield error variables and constants
	errTypes map[*types.TypeName]bool         // yield error types
	errVals  map[*types.TypeName][]yieldConst // yield error constants, by their type
	values   map[*types.TypeName][]yieldConst // yield status constants, by their type
	carriers map[*types.TypeName]bool         // ErrorCarrier's answers, by named type
}

type yieldConst struct {
	obj *types.Const
	val constant.Value
}

// Yields returns the yield declarations visible from the package.
func (d *Directives) Yields() *YieldSet {
	if d.yields != nil {
		return d.yields
	}
	y := NewYieldSet()
	d.yields = y
	if d.pass == nil {
		return y
	}
	for _, of := range d.pass.AllObjectFacts() {
		f, ok := of.Fact.(*Declared)
		if !ok {
			continue
		}
		if f.YieldErr {
			y.addErr(of.Object)
		}
		if f.YieldValue {
			if k, ok := of.Object.(*types.Const); ok {
				y.addValue(k)
			}
		}
	}
	if d.cfg != nil && d.cfg.HasYieldFlags() {
		// Resolve each entry in the packages visible from here, rather
		// than test every name of every package against the entries.
		byPath := map[string]*types.Package{}
		for _, pkg := range importClosure(d.pass.Pkg) {
			byPath[pkg.Path()] = pkg
		}
		errs, values := d.cfg.YieldEntries()
		for _, e := range errs {
			if obj := config.Resolve(e, byPath); obj != nil {
				y.addErr(obj)
			}
		}
		for _, e := range values {
			if k, ok := config.Resolve(e, byPath).(*types.Const); ok {
				y.addValue(k)
			}
		}
	}
	return y
}

// importClosure lists pkg and every package it imports, transitively.
func importClosure(pkg *types.Package) []*types.Package {
	seen := map[*types.Package]bool{}
	var out []*types.Package
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		out = append(out, p)
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	walk(pkg)
	return out
}

// NewYieldSet returns an empty set, to be filled by Declare: for code that
// builds SSA outside an analysis pass (tests, tools).
func NewYieldSet() *YieldSet {
	return &YieldSet{
		errObjs:  map[types.Object]bool{},
		errTypes: map[*types.TypeName]bool{},
		errVals:  map[*types.TypeName][]yieldConst{},
		values:   map[*types.TypeName][]yieldConst{},
	}
}

// Declare adds obj to the set: a constant of a named non-error type as a
// yield status, anything else as a yield error.
func (y *YieldSet) Declare(obj types.Object) {
	if k, ok := obj.(*types.Const); ok && !types.Implements(k.Type(), errorInterface) {
		y.addValue(k)
		return
	}
	y.addErr(obj)
}

func (y *YieldSet) addErr(obj types.Object) {
	switch obj := obj.(type) {
	case *types.TypeName:
		y.errTypes[obj] = true
	case *types.Const:
		y.errObjs[obj] = true
		if tn := namedOf(obj.Type(), false); tn != nil {
			y.errVals[tn] = append(y.errVals[tn], yieldConst{obj, obj.Val()})
		}
	case *types.Var:
		y.errObjs[obj] = true
	}
}

func (y *YieldSet) addValue(k *types.Const) {
	if tn := namedOf(k.Type(), false); tn != nil {
		y.values[tn] = append(y.values[tn], yieldConst{k, k.Val()})
	}
}

// Empty reports whether nothing is declared a yield error or value.
func (y *YieldSet) Empty() bool {
	return len(y.errObjs)+len(y.errTypes)+len(y.values) == 0
}

// HasErrors reports whether some error is declared a yield.
func (y *YieldSet) HasErrors() bool { return len(y.errObjs)+len(y.errTypes) > 0 }

// ErrObject returns the name of obj if it is a yield error variable or
// constant, or "".
func (y *YieldSet) ErrObject(obj types.Object) string {
	if obj != nil && y.errObjs[obj] {
		return obj.Name()
	}
	return ""
}

// ErrType returns the name of the yield error type t is (or points to),
// or "".
func (y *YieldSet) ErrType(t types.Type) string {
	if tn := namedOf(t, true); tn != nil && y.errTypes[tn] {
		return tn.Name()
	}
	return ""
}

// ErrConst returns the name of the yield error constant of type t with
// value v, or "".
func (y *YieldSet) ErrConst(t types.Type, v constant.Value) string {
	return lookupConst(y.errVals, t, v)
}

// Value returns the name of the yield status constant of type t with value
// v, or "".
func (y *YieldSet) Value(t types.Type, v constant.Value) string {
	return lookupConst(y.values, t, v)
}

// HasValues reports whether some constant of type t is a yield status.
func (y *YieldSet) HasValues(t types.Type) bool {
	tn := namedOf(t, false)
	return tn != nil && len(y.values[tn]) > 0
}

// ErrorCarrier reports whether values of type t can carry a yield error:
// the error interface, or a named type (an interface such as a package's
// own Error, or a concrete error type) that can hold one.
func (y *YieldSet) ErrorCarrier(t types.Type) bool {
	if !y.HasErrors() {
		return false
	}
	if types.Identical(t, types.Universe.Lookup("error").Type()) {
		return true
	}
	if tn := namedOf(t, false); tn != nil {
		// Asked for the result type of every call: the answer, which may
		// take method-set comparisons, is kept per named type.
		if c, ok := y.carriers[tn]; ok {
			return c
		}
		c := y.namedCarrier(tn)
		if y.carriers == nil {
			y.carriers = map[*types.TypeName]bool{}
		}
		y.carriers[tn] = c
		return c
	}
	return false
}

// namedCarrier is ErrorCarrier for a named type.
func (y *YieldSet) namedCarrier(tn *types.TypeName) bool {
	if y.errTypes[tn] || len(y.errVals[tn]) > 0 {
		return true
	}
	if iface, ok := tn.Type().Underlying().(*types.Interface); ok && iface.NumMethods() > 0 {
		// An interface that implements error, or, for a yield error
		// type's own package, one of its error interfaces (gVisor's
		// tcpip.Error has no Error method).
		isErr := types.Implements(tn.Type(), errorInterface)
		for et := range y.errTypes {
			if !isErr && et.Pkg() != tn.Pkg() {
				continue
			}
			if types.Implements(et.Type(), iface) || types.Implements(types.NewPointer(et.Type()), iface) {
				return true
			}
		}
		if !isErr {
			return false
		}
		for obj := range y.errObjs {
			if types.Implements(obj.Type(), iface) {
				return true
			}
		}
	}
	return false
}

// Specific reports whether t is a carrier of yields narrower than the
// error interface: a concrete error type that is or holds a yield (the
// yield type itself, a type with yield error constants) or a status type.
// A call through an interface or a function value whose result has such a
// type may yield even though its callee is not known; one that returns a
// plain error is taken not to. Nor is one that returns a named error
// interface: such an interface (gVisor's tcpip.Error) is the error space
// of a whole package, every one of its functions returns it, and it says
// no more than error does about which of them may yield.
func (y *YieldSet) Specific(t types.Type) bool {
	if types.IsInterface(t) {
		return false
	}
	return y.ErrorCarrier(t) || y.HasValues(t)
}

func lookupConst(m map[*types.TypeName][]yieldConst, t types.Type, v constant.Value) string {
	tn := namedOf(t, false)
	if tn == nil || v == nil {
		return ""
	}
	for _, k := range m[tn] {
		if constant.Compare(k.val, token.EQL, v) {
			return k.obj.Name()
		}
	}
	return ""
}
