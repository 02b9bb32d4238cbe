package replay

import "golang.org/x/tools/go/ssa"

// ctrlDeps answers which branches decide whether a block runs: control
// dependence, from post-dominators. Block b depends on the If ending block
// x when b post-dominates one successor of x (or is it) but does not
// strictly post-dominate x: one arm of the test leads to b whatever
// happens next, the other may not. Dependence is taken transitively (the
// tests deciding the block of a test decide what it decides), but only
// through tests that come first on every path: in a loop, the test of an
// early return in one arm decides whether the loop comes back to the
// top, and with it every arm, which says nothing about what one arm's
// change was computed from.
type ctrlDeps struct {
	fn   *ssa.Function
	pdom []bitset // by block index: the blocks that post-dominate it, itself included
	memo map[*ssa.BasicBlock][]ssa.Value
}

// newCtrlDeps computes the post-dominator sets of fn's blocks by the
// iterative dataflow pdom(n) = {n} ∪ ⋂ pdom(s) over n's successors, a
// block without successors (a return, a panic) post-dominated only by
// itself. A block that cannot reach an exit (an infinite loop) keeps the
// full set, so nothing in it is decided by a test; that errs on the side
// of fewer guards.
func newCtrlDeps(fn *ssa.Function) *ctrlDeps {
	n := len(fn.Blocks)
	pdom := make([]bitset, n)
	for i, b := range fn.Blocks {
		pdom[i] = newBitset(n)
		if len(b.Succs) == 0 {
			pdom[i].add(i)
			continue
		}
		for j := 0; j < n; j++ {
			pdom[i].add(j)
		}
	}
	for changed := true; changed; {
		changed = false
		// Post-dominance flows backwards: visit the blocks last first.
		for i := n - 1; i >= 0; i-- {
			b := fn.Blocks[i]
			if len(b.Succs) == 0 {
				continue
			}
			next := pdom[b.Succs[0].Index].clone()
			for _, s := range b.Succs[1:] {
				for w := range next {
					next[w] &= pdom[s.Index][w]
				}
			}
			next.add(i)
			if !next.equal(pdom[i]) {
				pdom[i], changed = next, true
			}
		}
	}
	return &ctrlDeps{fn: fn, pdom: pdom, memo: map[*ssa.BasicBlock][]ssa.Value{}}
}

// guards returns the conditions of the Ifs that b depends on, directly or
// through the blocks of other such Ifs.
func (c *ctrlDeps) guards(b *ssa.BasicBlock) []ssa.Value {
	if out, ok := c.memo[b]; ok {
		return out
	}
	var out []ssa.Value
	done := map[*ssa.BasicBlock]bool{b: true}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		d := work[len(work)-1]
		work = work[:len(work)-1]
		for _, x := range c.fn.Blocks {
			if done[x] || len(x.Instrs) == 0 {
				continue
			}
			cond, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If)
			if !ok || c.pdom[x.Index].has(d.Index) || (d != b && !x.Dominates(d)) {
				continue
			}
			if c.pdom[x.Succs[0].Index].has(d.Index) || c.pdom[x.Succs[1].Index].has(d.Index) {
				done[x] = true
				out = append(out, cond.Cond)
				work = append(work, x)
			}
		}
	}
	c.memo[b] = out
	return out
}
