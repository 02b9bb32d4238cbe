// Package ssax holds small facts about SSA shapes that several passes ask:
// which store a load reads, whether an edge dominates a block.
package ssax

import "golang.org/x/tools/go/ssa"

// ReachingStore returns the store into cell that a load of it reads when
// that store is earlier in the load's own block (the `*t0 = x; rundefers;
// return *t0` a return statement compiles to), or nil.
func ReachingStore(cell *ssa.Alloc, load *ssa.UnOp) *ssa.Store {
	b := load.Block()
	seenLoad := false
	for i := len(b.Instrs) - 1; i >= 0; i-- {
		in := b.Instrs[i]
		if in == load {
			seenLoad = true
			continue
		}
		if !seenLoad {
			continue
		}
		if st, ok := in.(*ssa.Store); ok && st.Addr == cell {
			return st
		}
		switch in.(type) {
		case *ssa.Call:
			return nil // a call in between may write the cell
		case *ssa.RunDefers:
			if Captured(cell) {
				return nil // a deferred closure may rewrite the result
			}
		}
	}
	return nil
}

// Captured reports whether a closure captures the cell.
func Captured(cell *ssa.Alloc) bool {
	for _, r := range *cell.Referrers() {
		if _, ok := r.(*ssa.MakeClosure); ok {
			return true
		}
	}
	return false
}

// OnlyStore returns the single store into a local cell, or nil.
func OnlyStore(cell *ssa.Alloc) *ssa.Store {
	var out *ssa.Store
	if cell.Referrers() == nil {
		return nil
	}
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			if out != nil {
				return nil
			}
			out = st
		}
	}
	return out
}

// EdgeDominates reports whether every path to b passes the edge from->to.
func EdgeDominates(from, to, b *ssa.BasicBlock) bool {
	if !to.Dominates(b) {
		return false
	}
	for _, p := range to.Preds {
		if p != from && !to.Dominates(p) {
			return false
		}
	}
	return true
}
