package replay

import (
	"github.com/reentrycheck/reentrycheck/passes/budget"
	"golang.org/x/tools/go/ssa"
)

// forwardFixpoint runs a forward dataflow over fn's reachable blocks to its
// fixpoint: a worklist in reverse postorder, where a block is visited again
// only when the output of a predecessor changed. visit recomputes a block's
// output and reports whether it changed. The work is bounded by the
// function's budget; forwardFixpoint reports false when it ran out.
func forwardFixpoint(o *blockOrder, visit func(b *ssa.BasicBlock) bool) bool {
	order, rpo := o.blocks, o.pos
	dirty := make([]bool, len(order))
	for i := range dirty {
		dirty[i] = true
	}
	work := budget.Transfers(len(rpo))
	for again := true; again; {
		again = false
		for i, b := range order {
			if !dirty[i] {
				continue
			}
			dirty[i] = false
			if work--; work < 0 {
				return false
			}
			if !visit(b) {
				continue
			}
			for _, s := range b.Succs {
				j := rpo[s.Index]
				dirty[j] = true
				if j <= i {
					again = true // a back edge: another pass
				}
			}
		}
	}
	return true
}

// blockOrder is a function's reachable blocks in reverse postorder, and
// each block's position in it, computed once per analysis: several
// fixpoints run over the same function, some once per carried local.
type blockOrder struct {
	blocks []*ssa.BasicBlock
	pos    []int // block index -> position in blocks (0 for unreachable blocks)
}

func newBlockOrder(fn *ssa.Function) *blockOrder {
	o := &blockOrder{blocks: reversePostorder(fn), pos: make([]int, len(fn.Blocks))}
	for i, b := range o.blocks {
		o.pos[b.Index] = i
	}
	return o
}
