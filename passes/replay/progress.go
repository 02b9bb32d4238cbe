package replay

import (
	"go/token"
	"go/types"
	"sync"

	"golang.org/x/tools/go/ssa"
)

// A progress yield is a yield that every path reaches through a test of a
// cursor the function advanced before it (`if b.outPos == len(b.out) {
// return statusMore }` after writing at b.outPos and moving it): the
// function returns "call me again" because the progress it recorded says
// so, and re-entry starts from that record. What the prefix wrote at the
// cursor it moved, and the calls that made that progress, are not
// repeated: re-entry writes at the new position, and reads the input past
// what was consumed. It is the loop rule ("an iteration that advanced the
// cursor the loop's condition tests commits what it did") for the loop
// that re-entry closes around the function.
//
// A cursor is a field that indexes data: one whose value, read in the
// package, bounds or indexes a slice, array or string (b.out[b.outPos:],
// buf[:n] with n taken from it). A buffer's length is not one (a list
// appended to and ranged over records nothing consumed), nor is a counter
// that indexes nothing (retries, attempts): `s.retries++; if s.retries > 3 {...}; return
// yield` repeats the increment on every re-entry, and stays a finding.

// Cursors is the set of fields of a package that index data, computed on
// first use from the package's functions.
type Cursors struct {
	fns  []*ssa.Function
	once sync.Once
	set  map[fieldKey]bool
	seen map[ssa.Value]bool // index operands already traced

	mu     sync.Mutex
	stores map[*ssa.Function]map[fieldKey]bool
}

// NewCursors returns the cursor set of the functions of one package.
func NewCursors(fns []*ssa.Function) *Cursors { return &Cursors{fns: fns} }

// fieldKey names a field of a struct type: by its declaration (the same
// *types.Var wherever the struct type is used, its generic origin for an
// instance), or, for a struct reached through a type parameter, by the
// type's text and the field's index.
type fieldKey struct {
	v     *types.Var
	typ   string
	field int
}

// keyOf is asked for every cursor test on every path: it takes the field's
// object where it can, instead of printing the type each time.
func keyOf(fa *ssa.FieldAddr) fieldKey {
	if ptr, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
		if st, ok := ptr.Elem().Underlying().(*types.Struct); ok && fa.Field < st.NumFields() {
			return fieldKey{v: st.Field(fa.Field).Origin()}
		}
	}
	return fieldKey{typ: types.TypeString(fa.X.Type(), nil), field: fa.Field}
}

// maxIndexTrace bounds how far an index operand is traced back to the
// fields it is computed from: the cost per index stays constant.
const maxIndexTrace = 4

// Has reports whether the field fa addresses is a cursor.
func (c *Cursors) Has(fa *ssa.FieldAddr) bool {
	if c == nil {
		return false
	}
	c.once.Do(c.compute)
	return c.set[keyOf(fa)]
}

// storesCursor reports whether fn's own body stores to a cursor.
func (c *Cursors) storesCursor(fn *ssa.Function) bool {
	c.once.Do(c.compute)
	for k := range c.storedFields(fn) {
		if c.set[k] {
			return true
		}
	}
	return false
}

// storedFields returns the fields fn's own body stores to, computed once
// per function for the package's whole analysis.
func (c *Cursors) storedFields(fn *ssa.Function) map[fieldKey]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.stores[fn]; ok {
		return m
	}
	m := map[fieldKey]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
					m[keyOf(fa)] = true
				}
			}
		}
	}
	if c.stores == nil {
		c.stores = map[*ssa.Function]map[fieldKey]bool{}
	}
	c.stores[fn] = m
	return m
}

func (c *Cursors) compute() {
	c.set = map[fieldKey]bool{}
	c.seen = map[ssa.Value]bool{}
	for _, fn := range c.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.Slice:
					c.mark(in.Low, 0)
					c.mark(in.High, 0)
					c.mark(in.Max, 0)
				case *ssa.IndexAddr:
					c.mark(in.Index, 0)
				case *ssa.Index:
					c.mark(in.Index, 0)
				}
			}
		}
	}
}

// mark records the fields an index operand is computed from. A value is
// traced once, so the whole computation is linear in the package.
func (c *Cursors) mark(v ssa.Value, depth int) {
	if v == nil || depth > maxIndexTrace || c.seen[v] {
		return
	}
	c.seen[v] = true
	switch v := v.(type) {
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
			c.set[keyOf(fa)] = true
		}
	case *ssa.BinOp:
		c.mark(v.X, depth+1)
		c.mark(v.Y, depth+1)
	case *ssa.Convert:
		c.mark(v.X, depth+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			c.mark(e, depth+1)
		}
	}
}

// cursorOracle is the optional part of an Oracle that knows the package's
// cursors; without it no yield is a progress yield.
type cursorOracle interface {
	Cursors() *Cursors
}

// maxGuardWalk bounds the backward walk from a yield to its guards.
const maxGuardWalk = 8

// progressYield reports whether every path into ret's block passes a
// guard that tests a cursor the pending facts of st wrote (see the top of
// this file).
func (a *analysis) progressYield(st *flow, ret *ssa.Return) bool {
	co, ok := a.o.(cursorOracle)
	if !ok {
		return false
	}
	cur := co.Cursors()
	written := func(fa *ssa.FieldAddr, path string) bool {
		hit := false
		st.pending.each(func(id int) {
			f := a.facts[id]
			if hit || f.kind != fMutation && f.kind != fCall && f.kind != fBlind {
				return
			}
			// The fact wrote the location or what holds it (a helper given
			// the struct); a write of an element inside it (s.items[i]) does
			// not move a cursor.
			if hasPrefixPath(path, f.eff.Loc.Path) {
				hit = true
				return
			}
			// A callee handed the window moves its cursor itself
			// (dictFlush(&s.dict, b) advancing b.outPos).
			if call, ok := f.eff.Instr.(*ssa.Call); ok {
				if fn := call.Call.StaticCallee(); fn != nil && cur.storedFields(fn)[keyOf(fa)] {
					hit = true
				}
			}
		})
		return hit
	}
	// Every backward path from the yield's block meets a guarding edge
	// within a few straight-line blocks.
	type step struct {
		b     *ssa.BasicBlock
		depth int
	}
	stack := []step{{ret.Block(), 0}}
	seen := map[*ssa.BasicBlock]bool{}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(s.b.Preds) == 0 || s.depth > maxGuardWalk {
			return false
		}
		for _, p := range s.b.Preds {
			if ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If); ok && p.Succs[0] != p.Succs[1] {
				if a.testsAdvancedCursor(ifi.Cond, cur, written) {
					continue
				}
			}
			if seen[p] {
				continue
			}
			seen[p] = true
			stack = append(stack, step{p, s.depth + 1})
		}
	}
	return true
}

// testsAdvancedCursor reports whether cond reads a cursor that written
// says the prefix wrote, or is the result of a call
// that both advances a cursor and reports whether it finished
// (`if !fill(&s.rc, b) { return statusMore }`).
func (a *analysis) testsAdvancedCursor(cond ssa.Value, cur *Cursors, written func(*ssa.FieldAddr, string) bool) bool {
	found := false
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if found || v == nil || depth > maxIndexTrace+2 {
			return
		}
		switch v := v.(type) {
		case *ssa.UnOp:
			if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
				if l := a.tr.Of(fa); l.Root.Persistent() && cur.Has(fa) && written(fa, l.Path) {
					found = true
				}
				return
			}
			walk(v.X, depth+1)
		case *ssa.BinOp:
			walk(v.X, depth+1)
			walk(v.Y, depth+1)
		case *ssa.Convert:
			walk(v.X, depth+1)
		case *ssa.Call:
			if _, ok := v.Call.Value.(*ssa.Builtin); ok {
				// len(s.buf) is no cursor: appending to a list and ranging
				// over it records nothing about what was consumed.
				return
			}
			if a.callAdvancesCursor(v, cur) {
				found = true
			}
		}
	}
	walk(cond, 0)
	return found
}

// callAdvancesCursor reports whether call is a pending fact of the prefix
// that reports with a bool whether it finished, and whose static callee
// stores to a cursor.
func (a *analysis) callAdvancesCursor(call *ssa.Call, cur *Cursors) bool {
	pending := false
	for id := range a.byInstr[call].ids() {
		if k := a.facts[id].kind; k == fMutation || k == fCall || k == fBlind {
			pending = true
		}
	}
	fn := call.Call.StaticCallee()
	if !pending || fn == nil || fn.Blocks == nil {
		return false
	}
	// Only a callee that answers "finished or not" (a bool): a callee
	// returning a status decides by its own yields, which the repeated
	// call rule judges.
	if b, ok := call.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return false
	}
	return cur.storesCursor(fn)
}

// committedByProgress are the kinds of pending fact a progress yield
// commits: the writes and the calls that made the progress. Transitions,
// locks and deferred effects are judged as at any yield.
var committedByProgress = [numFactKinds]bool{fMutation: true, fCall: true, fBlind: true, fMoveOut: true}
