// Package persist classifies SSA values by where the memory they denote
// comes from: persistent state that survives a return (the receiver and other
// parameters, package variables, captured variables) or objects allocated
// during the current call. It also names locations as access paths ("s.items",
// "s.m[]") for messages and for matching writes of the same location.
//
// The classification is syntactic over SSA and deliberately simple: no alias
// analysis. Results of calls are treated as fresh (not persistent), which
// errs on the side of silence.
package persist

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Kind is the kind of a root.
type Kind uint8

const (
	Unknown Kind = iota // a call result, a constant, anything not traced
	Fresh               // allocated during the call (or a local variable cell)
	Param               // a parameter, the receiver included
	FreeVar             // a variable captured by a closure
	Global              // a package-level variable
)

// Root says where a location's memory comes from.
type Root struct {
	Kind  Kind
	Index int // parameter or free-variable index
}

// Persistent reports whether writes through the root outlive the call.
func (r Root) Persistent() bool { return r.Kind == Param || r.Kind == FreeVar || r.Kind == Global }

// Loc is a traced location: its root and an access path naming it.
type Loc struct {
	Root Root
	Path string
}

// Tracer memoizes origins within one function.
type Tracer struct {
	fn   *ssa.Function
	memo map[ssa.Value]Loc
}

// NewTracer returns a tracer for values of fn.
func NewTracer(fn *ssa.Function) *Tracer {
	return &Tracer{fn: fn, memo: map[ssa.Value]Loc{}}
}

// Of returns the location that v (a pointer, or a value holding references)
// refers to.
func (t *Tracer) Of(v ssa.Value) Loc {
	if l, ok := t.memo[v]; ok {
		return l
	}
	t.memo[v] = Loc{Root: Root{Kind: Unknown}, Path: "?"} // cycle guard
	l := t.of(v)
	t.memo[v] = l
	return l
}

func (t *Tracer) of(v ssa.Value) Loc {
	switch v := v.(type) {
	case *ssa.Parameter:
		for i, p := range t.fn.Params {
			if p == v {
				return Loc{Root{Param, i}, v.Name()}
			}
		}
	case *ssa.FreeVar:
		for i, fv := range t.fn.FreeVars {
			if fv == v {
				return Loc{Root{FreeVar, i}, v.Name()}
			}
		}
	case *ssa.Global:
		name := v.Name()
		if v.Pkg != nil && v.Pkg != t.fn.Pkg {
			name = v.Pkg.Pkg.Name() + "." + name
		}
		return Loc{Root{Global, 0}, name}
	case *ssa.Alloc, *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure:
		return Loc{Root{Fresh, 0}, localName(v)}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if cell, ok := v.X.(*ssa.Alloc); ok {
				return t.cellValue(cell)
			}
			return t.Of(v.X)
		}
	case *ssa.FieldAddr:
		x := t.Of(v.X)
		return Loc{x.Root, x.Path + "." + fieldName(v.X.Type(), v.Field)}
	case *ssa.Field:
		x := t.Of(v.X)
		return Loc{x.Root, x.Path + "." + fieldName(v.X.Type(), v.Field)}
	case *ssa.IndexAddr:
		x := t.Of(v.X)
		return Loc{x.Root, x.Path + "[]"}
	case *ssa.Index:
		x := t.Of(v.X)
		return Loc{x.Root, x.Path + "[]"}
	case *ssa.Lookup:
		x := t.Of(v.X)
		return Loc{x.Root, x.Path + "[]"}
	case *ssa.Slice:
		return t.Of(v.X)
	case *ssa.Convert:
		return t.Of(v.X)
	case *ssa.ChangeType:
		return t.Of(v.X)
	case *ssa.ChangeInterface:
		return t.Of(v.X)
	case *ssa.MakeInterface:
		return t.Of(v.X)
	case *ssa.TypeAssert:
		return t.Of(v.X)
	case *ssa.SliceToArrayPointer:
		return t.Of(v.X)
	case *ssa.Extract:
		if ta, ok := v.Tuple.(*ssa.TypeAssert); ok && v.Index == 0 {
			return t.Of(ta.X)
		}
	case *ssa.Phi:
		best := Loc{Root{Unknown, 0}, "?"}
		for _, e := range v.Edges {
			l := t.Of(e)
			if l.Root.Persistent() {
				return l
			}
			if l.Root.Kind == Fresh {
				best = l
			}
		}
		return best
	}
	return Loc{Root{Unknown, 0}, valueName(v)}
}

// Captured returns the location a closure binding refers to. A captured
// variable is passed as its cell; what matters is the value the cell holds.
func (t *Tracer) Captured(v ssa.Value) Loc {
	if cell, ok := v.(*ssa.Alloc); ok {
		return t.cellValue(cell)
	}
	return t.Of(v)
}

// cellValue traces a load from a local variable cell: the cell holds whatever
// was stored into it, so its origin is the stored values' origin.
func (t *Tracer) cellValue(cell *ssa.Alloc) Loc {
	best := Loc{Root{Fresh, 0}, localName(cell)}
	if cell.Referrers() == nil {
		return best
	}
	for _, r := range *cell.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != cell {
			continue
		}
		l := t.Of(st.Val)
		if l.Root.Persistent() {
			return Loc{l.Root, l.Path}
		}
	}
	return best
}

func localName(v ssa.Value) string {
	if a, ok := v.(*ssa.Alloc); ok && a.Comment != "" {
		return a.Comment
	}
	return valueName(v)
}

func valueName(v ssa.Value) string {
	if v == nil {
		return "?"
	}
	if c, ok := v.(*ssa.Const); ok {
		return c.String()
	}
	return v.Name()
}

// fieldName returns the name of field i of the struct that ptrOrStruct
// points to or is.
func fieldName(ptrOrStruct types.Type, i int) string {
	t := ptrOrStruct.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	if tp, ok := t.(*types.TypeParam); ok {
		t = tp.Constraint().Underlying()
	}
	if s, ok := t.(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i).Name()
	}
	return "?"
}

// IsLoad reports whether v is a load (*p) and returns its address.
func IsLoad(v ssa.Value) (ssa.Value, bool) {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		return u.X, true
	}
	return nil, false
}
