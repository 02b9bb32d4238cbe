package summary

import (
	"go/token"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"golang.org/x/tools/go/ssa"
)

// maxMemoWrites bounds the writes of a memo that memoized compares every
// Done return against, so that the check stays linear in the function.
const maxMemoWrites = 4

// memoized reports whether a resumable function is memoized in its
// arguments: once it has returned Done, calling it again with the same
// arguments returns Done at once, with no effect. That is what makes
// restarting a loop over it harmless (the restart only repeats cache hits).
//
// The shape recognized is the one memoized code has: the entry block tests
// a memo reached from a parameter, with no effect before the test (a
// comma-ok lookup `_, ok := p.cache[id]` keyed by a parameter, or a bool
// field `if t.Ran`); the hit edge leads straight to a return with no
// effect; and every other return of Done without an error lies below a
// write that makes the test hit (an insert under the same key, or the
// constant true), and there is at least one. The cost is one pass over
// the function.
func (s *Summaries) memoized(fn *ssa.Function) bool {
	if len(fn.Blocks) == 0 || fn.Recover != nil {
		return false
	}
	idx := s.dirs.IOResultIndexes(fn.Signature)
	if len(idx) == 0 {
		return false
	}
	entry := fn.Blocks[0]
	ifi, ok := entry.Instrs[len(entry.Instrs)-1].(*ssa.If)
	if !ok || !s.effectFree(entry) {
		return false
	}
	tr := s.tracer(fn)
	g := memoGuard(tr, ifi.Cond)
	if g == nil {
		return false
	}
	hit := entry.Succs[0]
	if g.negated {
		hit = entry.Succs[1]
	}
	hitRet, ok := hit.Instrs[len(hit.Instrs)-1].(*ssa.Return)
	if !ok || len(hit.Preds) != 1 || !s.effectFree(hit) {
		return false
	}
	// The memo's writes: each one, in a block, makes the test hit.
	var writes []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if g.written(tr, instr) {
				if len(writes) == maxMemoWrites {
					return false // past what the idiom needs: stay linear
				}
				writes = append(writes, instr)
			}
		}
	}
	if len(writes) == 0 {
		return false
	}
	recorded := 0
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || ret == hitRet || !s.doneExit(ret, idx) {
			continue
		}
		recorded++
		covered := false
		for _, w := range writes {
			if dominates(w, ret) {
				covered = true
				break
			}
		}
		if !covered {
			return false // a Done that leaves the memo unset: the next call redoes the work
		}
	}
	// The memo records a Done: a flag set on the way to a yield (a timer
	// armed on its first poll) is progress, not a memo of a result.
	return recorded > 0
}

// doneExit reports whether a return hands back Done with no error: its
// ioresult is a call of a Done constructor and its error, if any, is nil.
// A zero ioresult returned with an error is a failure, not a Done to
// memoize; anything else may be IO.
func (s *Summaries) doneExit(ret *ssa.Return, idx []int) bool {
	for _, i := range idx {
		call, ok := ret.Results[i].(*ssa.Call)
		if !ok {
			return false
		}
		if fn := callee.Object(&call.Call); fn == nil || !s.dirs.IsDone(fn) {
			return false
		}
	}
	for _, r := range ret.Results {
		if isError(r.Type()) {
			if c, ok := r.(*ssa.Const); !ok || !c.IsNil() {
				return false
			}
		}
	}
	return true
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// effectFree reports whether a block only computes: no store (but into
// a local cell), insert,
// send, defer or go, and no call but of len, cap, or a Done constructor
// (which builds a result and writes nothing).
func (s *Summaries) effectFree(b *ssa.BasicBlock) bool {
	for _, instr := range b.Instrs {
		switch in := instr.(type) {
		case *ssa.Store:
			if _, local := in.Addr.(*ssa.Alloc); !local {
				return false
			}
			// A local cell (a parameter a closure captures): no effect.
		case *ssa.MapUpdate, *ssa.Send, *ssa.Go, *ssa.Defer, *ssa.Panic:
			return false
		case *ssa.Call:
			if bi, ok := in.Call.Value.(*ssa.Builtin); ok && (bi.Name() == "len" || bi.Name() == "cap") {
				continue
			}
			if fn := callee.Object(&in.Call); fn != nil && s.dirs.IsDone(fn) {
				continue
			}
			return false
		}
	}
	return true
}

// dominates reports whether instruction w runs before ret on every path.
func dominates(w ssa.Instruction, ret *ssa.Return) bool {
	if w.Block() != ret.Block() {
		return w.Block().Dominates(ret.Block())
	}
	return true // a return ends its block: anything else in it precedes it
}

// guard is the memo an entry test reads.
type guard struct {
	path    string         // the memo's location (for a map, its entries)
	root    persist.Root   // the parameter it is reached from
	key     *ssa.Parameter // for a map memo: the key, a parameter
	negated bool           // the test hits on its false edge
	isMap   bool           // a comma-ok lookup, not a bool field
}

// memoGuard recognizes the condition of a memo test.
func memoGuard(tr *persist.Tracer, cond ssa.Value) *guard {
	negated := false
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		negated = !negated
		cond = u.X
	}
	if ex, ok := cond.(*ssa.Extract); ok && ex.Index == 1 {
		lk, ok := ex.Tuple.(*ssa.Lookup)
		if !ok || !lk.CommaOk {
			return nil
		}
		key := paramOf(lk.Index)
		if _, isMap := lk.X.Type().Underlying().(*types.Map); key == nil || !isMap {
			return nil
		}
		m := tr.Of(lk.X)
		if m.Root.Kind != persist.Param || m.Collapsed {
			return nil
		}
		return &guard{path: m.Elem().Path, root: m.Root, key: key, negated: negated, isMap: true}
	}
	addr, ok := persist.IsLoad(cond)
	if !ok {
		return nil
	}
	if b, ok := cond.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil
	}
	l := tr.Of(addr)
	if l.Root.Kind != persist.Param || l.Collapsed {
		return nil
	}
	return &guard{path: l.Path, root: l.Root, negated: negated}
}

// written reports whether instr makes the guard hit: an insert into the
// memo map under the guard's key, or a store of true into the memo flag.
func (g *guard) written(tr *persist.Tracer, instr ssa.Instruction) bool {
	switch in := instr.(type) {
	case *ssa.MapUpdate:
		if !g.isMap || paramOf(in.Key) != g.key {
			return false
		}
		m := tr.Of(in.Map)
		return m.Root == g.root && m.Elem().Path == g.path
	case *ssa.Store:
		if g.isMap {
			return false
		}
		c, ok := in.Val.(*ssa.Const)
		if !ok || c.Value == nil || c.Value.String() != "true" {
			return false
		}
		l := tr.Of(in.Addr)
		return l.Root == g.root && l.Path == g.path
	}
	return false
}

// paramOf returns the parameter a value is: the parameter itself, or a
// load of the cell it lives in when a closure captures it (stored there
// once, at entry).
func paramOf(v ssa.Value) *ssa.Parameter {
	if p, ok := v.(*ssa.Parameter); ok {
		return p
	}
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	cell, ok := u.X.(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return nil
	}
	var param *ssa.Parameter
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			p, ok := st.Val.(*ssa.Parameter)
			if !ok || param != nil {
				return nil // stored twice, or something else
			}
			param = p
		}
	}
	return param
}

// memoizedSubmit reports whether a function that returns a completion,
// and is not resumable, is a get-or-submit gate memoized in its key: once
// it has returned a completion without an error, calling it again with the
// same key returns that completion at once, with no effect, and submits
// nothing. Its callers' re-entry then gets the in-flight completion back
// instead of submitting again, as they would from a map they tested
// themselves.
//
// The shape is the map form of the resumable memo: the entry block tests
// `c, ok := p.m[key]` (key a parameter) with no effect before the test;
// the hit edge leads straight to a return of that c with nil errors; and
// every other return of a completion with nil errors lies below an insert
// of that very completion under the same key. One pass over the function.
func (s *Summaries) memoizedSubmit(fn *ssa.Function) bool {
	if len(fn.Blocks) == 0 || fn.Recover != nil || s.dirs.IsResumable(fn.Signature) {
		return false
	}
	res := fn.Signature.Results()
	ci := -1
	for i := 0; i < res.Len(); i++ {
		if s.dirs.IsCompletion(res.At(i).Type()) {
			if ci >= 0 {
				return false // two completions: which one is memoized is unclear
			}
			ci = i
		}
	}
	if ci < 0 {
		return false
	}
	entry := fn.Blocks[0]
	ifi, ok := entry.Instrs[len(entry.Instrs)-1].(*ssa.If)
	if !ok || !s.effectFree(entry) {
		return false
	}
	tr := s.tracer(fn)
	g := memoGuard(tr, ifi.Cond)
	if g == nil || !g.isMap {
		return false
	}
	cond := ifi.Cond
	for u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT; u, ok = cond.(*ssa.UnOp) {
		cond = u.X
	}
	lk := cond.(*ssa.Extract).Tuple.(*ssa.Lookup) // memoGuard checked the shape
	hit := entry.Succs[0]
	if g.negated {
		hit = entry.Succs[1]
	}
	hitRet, ok := hit.Instrs[len(hit.Instrs)-1].(*ssa.Return)
	if !ok || len(hit.Preds) != 1 || !s.effectFree(hit) || !nilErrors(hitRet) {
		return false
	}
	if ex, ok := hitRet.Results[ci].(*ssa.Extract); !ok || ex.Tuple != lk || ex.Index != 0 {
		return false // the hit must hand back the recorded completion
	}
	var writes []*ssa.MapUpdate
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if g.written(tr, instr) {
				if len(writes) == maxMemoWrites {
					return false
				}
				writes = append(writes, instr.(*ssa.MapUpdate))
			}
		}
	}
	recorded := 0
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || ret == hitRet || !nilErrors(ret) {
			continue
		}
		if c, ok := ret.Results[ci].(*ssa.Const); ok && c.IsNil() {
			continue // no completion: nothing to memoize
		}
		recorded++
		covered := false
		for _, w := range writes {
			if w.Value == ret.Results[ci] && dominates(w, ret) {
				covered = true
				break
			}
		}
		if !covered {
			return false // a completion handed out unrecorded: the next call submits again
		}
	}
	return recorded > 0
}

// nilErrors reports whether every error result of a return is nil.
func nilErrors(ret *ssa.Return) bool {
	for _, r := range ret.Results {
		if isError(r.Type()) {
			if c, ok := r.(*ssa.Const); !ok || !c.IsNil() {
				return false
			}
		}
	}
	return true
}
