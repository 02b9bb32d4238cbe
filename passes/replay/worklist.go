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
func forwardFixpoint(fn *ssa.Function, visit func(b *ssa.BasicBlock) bool) bool {
	n := len(fn.Blocks)
	order := reversePostorder(fn)
	rpo := make([]int, n) // block index -> position in order
	for i, b := range order {
		rpo[b.Index] = i
	}
	dirty := make([]bool, len(order))
	for i := range dirty {
		dirty[i] = true
	}
	work := budget.Transfers(n)
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
