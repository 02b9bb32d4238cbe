// Package persist classifies SSA values by where the memory they denote
// comes from: persistent state that survives a return (the receiver and other
// parameters, package variables, captured variables) or objects allocated
// during the current call. It also names locations as access paths ("s.items",
// "s.m[]") for messages and for matching writes of the same location.
//
// The classification is syntactic over SSA and deliberately simple: no alias
// analysis. Results of calls are Unknown (neither persistent nor fresh), which
// errs on the side of silence.
package persist

import (
	"go/token"
	"go/types"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
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

// MaxSteps bounds an access path: past this many selectors (fields and
// elements) below its root, a path stops growing and stands for its prefix
// and everything below it. Paths built by following recursive helpers or
// long pointer chains therefore stay short, and the set of paths a function
// can name is finite.
const MaxSteps = 6

// Loc is a traced location: its root and an access path naming it.
type Loc struct {
	Root  Root
	Path  string
	Steps int // selectors below the root (at most MaxSteps)
	// Collapsed marks a path cut at MaxSteps: it names a prefix and stands
	// for anything below it, so it never identifies one state location.
	Collapsed bool
}

// Field returns the location of field name below l.
func (l Loc) Field(name string) Loc { return l.extend("." + name) }

// Elem returns the location of an element of l (slice, array or map).
func (l Loc) Elem() Loc { return l.extend("[]") }

func (l Loc) extend(step string) Loc {
	if l.Collapsed || l.Steps >= MaxSteps {
		l.Collapsed = true
		return l
	}
	l.Path += step
	l.Steps++
	return l
}

// Below returns the location that suffix (a sequence of selectors such as
// ".sub.state" or ".pages[]") names below l, k-limited like every path.
func (l Loc) Below(suffix string) Loc {
	for suffix != "" {
		if strings.HasPrefix(suffix, "[]") {
			l = l.Elem()
			suffix = suffix[2:]
			continue
		}
		if suffix[0] != '.' {
			// Not a selector sequence: keep the text as one step.
			l = l.extend(suffix)
			break
		}
		end := strings.IndexAny(suffix[1:], ".[")
		if end < 0 {
			end = len(suffix) - 1
		}
		l = l.Field(suffix[1 : end+1])
		suffix = suffix[end+1:]
	}
	return l
}

// SuffixSteps counts the selectors of a suffix as Below does.
func SuffixSteps(suffix string) int {
	return (Loc{}).Below(suffix).Steps
}

// Tracer memoizes origins within one function.
type Tracer struct {
	fn   *ssa.Function
	memo map[ssa.Value]Loc
	// fields memoizes the field addresses apart, by pointer: they are most
	// of what is traced (every s.f), and a map keyed by a pointer hashes
	// and compares in a few instructions where an interface key asks the
	// runtime for its dynamic type's hash and equality.
	fields map[*ssa.FieldAddr]Loc
	// paths interns the paths built below others: SSA addresses the same
	// field afresh at every use (&s.n, then &s.n again), and each would
	// otherwise build its own copy of "s.n".
	paths map[pathStep]string
}

// pathStep is a path and one selector below it.
type pathStep struct {
	base  string
	field string // "" for an element
}

// below returns l extended by one selector (a field, or an element when
// field is ""), like Loc.Field and Loc.Elem, with its path interned.
func (t *Tracer) below(l Loc, field string) Loc {
	if l.Collapsed || l.Steps >= MaxSteps {
		l.Collapsed = true
		return l
	}
	k := pathStep{l.Path, field}
	p, ok := t.paths[k]
	if !ok {
		if field == "" {
			p = l.Path + "[]"
		} else {
			p = l.Path + "." + field
		}
		if t.paths == nil {
			t.paths = map[pathStep]string{}
		}
		t.paths[k] = p
	}
	l.Path = p
	l.Steps++
	return l
}

// NewTracer returns a tracer for values of fn.
func NewTracer(fn *ssa.Function) *Tracer {
	return &Tracer{fn: fn}
}

// Of returns the location that v (a pointer, or a value holding references)
// refers to.
func (t *Tracer) Of(v ssa.Value) Loc {
	switch v := v.(type) {
	case *ssa.Parameter:
		return t.of(v) // found among a few parameters: cheaper than a memo
	case *ssa.FieldAddr:
		if t.fields == nil {
			// Sized once on first use, for every field address of the
			// function, so that the memo of a large function is not
			// rehashed as it grows.
			t.fields = make(map[*ssa.FieldAddr]Loc, fieldAddrs(t.fn))
		}
		return memoized(t, t.fields, v, v)
	}
	if t.memo == nil {
		// Sized at a twelfth of the function's instructions: what the
		// analyses trace besides field addresses and parameters.
		t.memo = make(map[ssa.Value]Loc, ssax.Instrs(t.fn)/12)
	}
	return memoized(t, t.memo, v, v)
}

// memoized returns memo[k], the location of v, traced on first use.
func memoized[K comparable](t *Tracer, memo map[K]Loc, k K, v ssa.Value) Loc {
	if l, ok := memo[k]; ok {
		return l
	}
	memo[k] = Loc{Root: Root{Kind: Unknown}, Path: "?"} // cycle guard
	l := t.of(v)
	memo[k] = l
	return l
}

// fieldAddrs counts fn's field address instructions.
func fieldAddrs(fn *ssa.Function) int {
	n := 0
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.FieldAddr); ok {
				n++
			}
		}
	}
	return n
}

func (t *Tracer) of(v ssa.Value) Loc {
	switch v := v.(type) {
	case *ssa.Parameter:
		for i, p := range t.fn.Params {
			if p == v {
				return Loc{Root: Root{Param, i}, Path: v.Name()}
			}
		}
	case *ssa.FreeVar:
		for i, fv := range t.fn.FreeVars {
			if fv == v {
				return Loc{Root: Root{FreeVar, i}, Path: v.Name()}
			}
		}
	case *ssa.Global:
		name := v.Name()
		if v.Pkg != nil && v.Pkg != t.fn.Pkg {
			name = v.Pkg.Pkg.Name() + "." + name
		}
		return Loc{Root: Root{Global, 0}, Path: name}
	case *ssa.Alloc, *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure:
		return Loc{Root: Root{Fresh, 0}, Path: localName(v)}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if cell, ok := v.X.(*ssa.Alloc); ok {
				return t.cellValue(cell)
			}
			return t.Of(v.X)
		}
	case *ssa.FieldAddr:
		return t.below(t.Of(v.X), fieldName(v.X.Type(), v.Field))
	case *ssa.Field:
		return t.below(t.Of(v.X), fieldName(v.X.Type(), v.Field))
	case *ssa.IndexAddr:
		return t.below(t.Of(v.X), "")
	case *ssa.Index:
		return t.below(t.Of(v.X), "")
	case *ssa.Lookup:
		return t.below(t.Of(v.X), "")
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
		switch tup := v.Tuple.(type) {
		case *ssa.TypeAssert: // x, ok := v.(T)
			if v.Index == 0 {
				return t.Of(tup.X)
			}
		case *ssa.Lookup: // e, ok := m[k]
			if v.Index == 0 {
				return t.below(t.Of(tup.X), "")
			}
		case *ssa.Next: // for k, e := range m
			if v.Index == 2 {
				if r, ok := tup.Iter.(*ssa.Range); ok {
					return t.below(t.Of(r.X), "")
				}
			}
		}
	case *ssa.Phi:
		best := Loc{Root: Root{Unknown, 0}, Path: "?"}
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
	return Loc{Root: Root{Unknown, 0}, Path: valueName(v)}
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
	best := Loc{Root: Root{Fresh, 0}, Path: localName(cell)}
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
			return l
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
