package replay

import (
	"github.com/reentrycheck/reentrycheck/passes/callee"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// findLostCopies reports rule lost-copy (class C5, rule R5 of docs/bugs.md): a struct-valued
// piece of persistent state copied into a local, whose address is handed to a
// re-pollable call, when a yield point or an error exit is reachable from the
// call without writing the copy back. The callee's progress lives in the copy
// and is dropped there; re-entry starts from the stale original (Turso B14
// allocated pages forever this way).
func (a *analysis) findLostCopies() {
	reported := map[*ssa.Alloc]bool{} // copies reported here: the changed-copy case skips them
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !a.o.Resumable(&call.Call) {
				continue
			}
			if fn := callee.Object(&call.Call); fn != nil && (a.o.IsDone(fn) || a.o.IsIdempotent(fn)) {
				continue
			}
			args := call.Call.Args
			if call.Call.IsInvoke() {
				continue // an interface value is not a copy of a struct
			}
			for _, arg := range args {
				cell, ok := copyCell(arg)
				if !ok {
					continue
				}
				src, ok := a.copySource(cell)
				if !ok || a.restoredByDefer(src.Path) {
					continue
				}
				if exit := a.exitWithoutWriteBack(call, cell, src.Path); exit != nil {
					reported[cell] = true
					name := a.repollName(call)
					a.findings = append(a.findings, Finding{Rule: rules.LostCopy, Yield: exit.Pos(), Call: call, CallName: name,
						Effect: effect.Effect{Kind: effect.Clobber, Loc: src, Instr: call,
							Verb: effect.VerbCopyOf, Name: localName(cell), Target: src.Path}})
				}
			}
		}
	}
	a.findChangedCopies(reported)
}

// copySource returns the persistent struct or array that a local variable
// cell was initialized from.
func (a *analysis) copySource(cell *ssa.Alloc) (persist.Loc, bool) {
	switch cell.Type().(*types.Pointer).Elem().Underlying().(type) {
	case *types.Struct, *types.Array:
	default:
		return persist.Loc{}, false
	}
	if cell.Referrers() == nil {
		return persist.Loc{}, false
	}
	for _, r := range *cell.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != cell {
			continue
		}
		if addr, ok := persist.IsLoad(st.Val); ok {
			if l := a.tr.Of(addr); l.Root.Persistent() {
				return l, true
			}
		}
		// A map element: a map value cannot be addressed, so the copy is
		// the only way to step it, and the write-back is due on every exit.
		val := st.Val
		if ex, ok := val.(*ssa.Extract); ok && ex.Index == 0 {
			val = ex.Tuple
		}
		if lk, ok := val.(*ssa.Lookup); ok {
			if m := a.tr.Of(lk.X); m.Root.Persistent() {
				return m.Elem(), true
			}
		}
	}
	return persist.Loc{}, false
}

// restoredByDefer reports whether a deferred closure writes path back.
func (a *analysis) restoredByDefer(path string) bool {
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Defer); !ok {
				continue
			}
			for _, e := range a.cls.Of(instr) {
				if e.Kind == effect.Restore && e.Defer && hasPrefixPath(path, e.Loc.Path) {
					return true
				}
			}
		}
	}
	return false
}

// exitWithoutWriteBack searches forward from the call for a yield point or
// an error exit reached before the copy is stored back to path.
func (a *analysis) exitWithoutWriteBack(call *ssa.Call, cell *ssa.Alloc, path string) *ssa.Return {
	fromCell := func(v ssa.Value) bool {
		addr, ok := persist.IsLoad(v)
		return ok && addr == cell
	}
	writesBack := func(instr ssa.Instruction) bool {
		switch in := instr.(type) {
		case *ssa.Store:
			return a.tr.Of(in.Addr).Path == path && fromCell(in.Val)
		case *ssa.MapUpdate: // m[k] = copy, for a copy of a map element
			return a.tr.Of(in.Map).Elem().Path == path && fromCell(in.Value)
		}
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(b *ssa.BasicBlock, from int) *ssa.Return
	walk = func(b *ssa.BasicBlock, from int) *ssa.Return {
		for _, instr := range b.Instrs[from:] {
			if writesBack(instr) {
				return nil
			}
			if ret, ok := instr.(*ssa.Return); ok {
				if _, y := a.yields[ret]; y || a.errExits[ret] {
					return ret
				}
				return nil
			}
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				if ret := walk(s, 0); ret != nil {
					return ret
				}
			}
		}
		return nil
	}
	return walk(call.Block(), a.indexIn(call)+1)
}

// copyCell returns the local cell an argument points into: the cell itself,
// or a field or element of it (ws[i].step() on a copied array ws).
func copyCell(v ssa.Value) (*ssa.Alloc, bool) {
	for depth := 0; depth < 4; depth++ {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x, true
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		default:
			return nil, false
		}
	}
	return nil, false
}

func localName(cell *ssa.Alloc) string {
	if cell.Comment != "" {
		return cell.Comment
	}
	return "a local"
}
