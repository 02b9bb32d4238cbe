// Package ssax holds small facts about SSA shapes that several passes ask:
// which store a load reads, whether an edge dominates a block.
package ssax

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

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

// maxSameLoads bounds how many loads of a field SameLoads compares, and
// maxBetween how many blocks it walks between two of them: what a guard
// asks stays constant work per question, whatever the function's size.
const (
	maxSameLoads = 32
	maxBetween   = 16
)

// SameLoads returns the earlier loads of the field that load reads (the
// same field of the same base value: `s.ret` read again under `if s.ret !=
// X && s.ret != Y { return s.ret }`) that hold the value it reads: each
// dominates it, and no path between them stores to that field of any value
// of the base's type, or calls anything. The loads of one field compile to
// separate instructions, and a guard tests one of them while a return
// reads another.
func SameLoads(load *ssa.UnOp) []*ssa.UnOp {
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || load.Op != token.MUL {
		return nil
	}
	refs := fa.X.Referrers()
	if refs == nil {
		return nil
	}
	var out []*ssa.UnOp
	seen := 0
	for _, r := range *refs {
		other, ok := r.(*ssa.FieldAddr)
		if !ok || other.Field != fa.Field || other.Referrers() == nil {
			continue
		}
		if seen++; seen > maxSameLoads {
			break
		}
		for _, rr := range *other.Referrers() {
			l, ok := rr.(*ssa.UnOp)
			if !ok || l == load || l.Op != token.MUL || l.X != other {
				continue
			}
			if clearBetween(l, load, fa) {
				out = append(out, l)
			}
		}
	}
	return out
}

// clearBetween reports whether from dominates to and no path from one to
// the other writes fa's field or calls anything.
func clearBetween(from, to ssa.Instruction, fa *ssa.FieldAddr) bool {
	fb, tb := from.Block(), to.Block()
	if !fb.Dominates(tb) {
		return false
	}
	if fb == tb {
		return clearRange(fb, from, to, fa) && before(fb, from, to)
	}
	if !clearRange(tb, nil, to, fa) || !clearRange(fb, from, nil, fa) {
		return false
	}
	// The blocks strictly between: everything that reaches tb backwards
	// without passing fb.
	seen := map[*ssa.BasicBlock]bool{tb: true, fb: true}
	stack := append([]*ssa.BasicBlock(nil), tb.Preds...)
	walked := 0
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if walked++; walked > maxBetween || !clearRange(b, nil, nil, fa) {
			return false
		}
		stack = append(stack, b.Preds...)
	}
	// A path from tb back to tb (a loop) would have made tb reach fb
	// through itself; the dominance of fb and the walk stopping there
	// cover it, since fb is where every backward path ends.
	return true
}

// before reports whether a precedes b in their common block.
func before(blk *ssa.BasicBlock, a, b ssa.Instruction) bool {
	for _, in := range blk.Instrs {
		switch in {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// clearRange reports whether the instructions of blk after from (from the
// start when nil) and before to (to the end when nil) neither store to
// fa's field of a value of its base's type nor call anything.
func clearRange(blk *ssa.BasicBlock, from, to ssa.Instruction, fa *ssa.FieldAddr) bool {
	on := from == nil
	for _, in := range blk.Instrs {
		if in == to {
			return true
		}
		if !on {
			on = in == from
			continue
		}
		switch in := in.(type) {
		case *ssa.Store:
			if o, ok := in.Addr.(*ssa.FieldAddr); ok && o.Field == fa.Field && types.Identical(o.X.Type(), fa.X.Type()) {
				return false
			}
			if types.Identical(in.Addr.Type(), fa.X.Type()) {
				return false // the whole struct written
			}
		case *ssa.Call, *ssa.Go, *ssa.Defer, *ssa.RunDefers:
			if c, ok := in.(*ssa.Call); ok {
				if _, builtin := c.Call.Value.(*ssa.Builtin); builtin {
					continue
				}
			}
			return false
		}
	}
	return to == nil
}
