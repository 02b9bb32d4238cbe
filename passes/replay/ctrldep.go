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
//
// Post-dominance is a tree, not a set per block: a set per block was
// blocks² bits to build and compare, quadratic in the size of a function.
// The tree is numbered by a walk from its root, so that "d post-dominates
// u" is two comparisons of those numbers.
type ctrlDeps struct {
	fn *ssa.Function
	// reach: by block index, the block reaches an exit. The others (an
	// infinite loop) are outside the tree and take every block as a
	// post-dominator, so nothing in them is decided by a test; that errs on
	// the side of fewer guards.
	reach []bool
	// pre and last number the tree in preorder: d post-dominates u when
	// u's number is within d's subtree, [pre[d], last[d]].
	pre, last []int32
	ifs       []*ssa.BasicBlock // the blocks ending in an If, in index order
	// work is what guards may still spend, in candidate tests, for the
	// whole function: a block past it gets the guards found so far.
	work int
	memo map[*ssa.BasicBlock][]ssa.Value
}

// newCtrlDeps computes the post-dominator tree of fn's blocks: the
// dominator tree of the reversed graph, from a virtual exit that precedes
// every block without successors (a return, a panic), by the iterative
// algorithm of Cooper, Harvey and Kennedy over a reverse postorder of that
// graph. Each pass is linear; the passes are few (one more than the loop
// nesting, on the graphs Go compiles to), and bounded by the block count.
func newCtrlDeps(fn *ssa.Function) *ctrlDeps {
	n := len(fn.Blocks)
	exit := n // the virtual exit's node
	// Postorder of the reversed graph from the exit: iterative, so that a
	// long function does not grow the stack.
	po := make([]int32, n+1) // postorder number + 1; 0 for a block that reaches no exit
	var order []int          // the nodes in postorder
	type frame struct{ node, next int }
	stack := []frame{{exit, 0}}
	po[exit] = -1 // on the stack
	var exits []int
	for i, b := range fn.Blocks {
		if len(b.Succs) == 0 {
			exits = append(exits, i)
		}
	}
	revSucc := func(v, k int) (int, bool) { // the k-th successor of v in the reversed graph
		if v == exit {
			if k < len(exits) {
				return exits[k], true
			}
			return 0, false
		}
		if preds := fn.Blocks[v].Preds; k < len(preds) {
			return preds[k].Index, true
		}
		return 0, false
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		w, ok := revSucc(top.node, top.next)
		if !ok {
			order = append(order, top.node)
			po[top.node] = int32(len(order))
			stack = stack[:len(stack)-1]
			continue
		}
		top.next++
		if po[w] == 0 {
			po[w] = -1
			stack = append(stack, frame{w, 0})
		}
	}
	idom := make([]int, n+1)
	for i := range idom {
		idom[i] = -1
	}
	idom[exit] = exit
	intersect := func(a, b int) int {
		for a != b {
			for po[a] < po[b] {
				a = idom[a]
			}
			for po[b] < po[a] {
				b = idom[b]
			}
		}
		return a
	}
	for changed, passes := true, 0; changed && passes <= n+1; passes++ {
		changed = false
		for k := len(order) - 2; k >= 0; k-- { // reverse postorder, the exit (last) skipped
			v := order[k]
			b := fn.Blocks[v]
			// v's predecessors in the reversed graph: its successors, and
			// the exit if it has none.
			nd := -1
			if len(b.Succs) == 0 {
				nd = exit
			}
			for _, s := range b.Succs {
				if idom[s.Index] < 0 {
					continue // not reached yet, or reaches no exit
				}
				if nd < 0 {
					nd = s.Index
				} else {
					nd = intersect(nd, s.Index)
				}
			}
			if nd >= 0 && idom[v] != nd {
				idom[v], changed = nd, true
			}
		}
	}
	c := &ctrlDeps{fn: fn, reach: make([]bool, n), pre: make([]int32, n+1), last: make([]int32, n+1),
		work: 64*n + 1<<16, memo: map[*ssa.BasicBlock][]ssa.Value{}}
	// Number the tree in preorder, children in block order.
	first := make([]int, n+1) // first child, -1 if none
	next := make([]int, n+1)  // next sibling
	for i := range first {
		first[i], next[i] = -1, -1
	}
	for v := n - 1; v >= 0; v-- {
		if po[v] > 0 && idom[v] >= 0 {
			c.reach[v] = true
			next[v], first[idom[v]] = first[idom[v]], v
		}
	}
	type frame2 struct{ v, child int } // a node and its next child to number
	counter := int32(1)
	tree := []frame2{{exit, first[exit]}}
	for len(tree) > 0 {
		top := &tree[len(tree)-1]
		if top.child < 0 {
			c.last[top.v] = counter - 1
			tree = tree[:len(tree)-1]
			continue
		}
		ch := top.child
		top.child = next[ch]
		c.pre[ch] = counter
		counter++
		tree = append(tree, frame2{ch, first[ch]})
	}
	for _, b := range fn.Blocks {
		if len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
				c.ifs = append(c.ifs, b)
			}
		}
	}
	return c
}

// postDominates reports whether block d is on every path from block u to
// an exit (d post-dominates u, itself included). A block that reaches no
// exit is post-dominated by every block.
func (c *ctrlDeps) postDominates(d, u int) bool {
	if !c.reach[u] {
		return true
	}
	return c.reach[d] && c.pre[d] <= c.pre[u] && c.pre[u] <= c.last[d]
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
	for len(work) > 0 && c.work > 0 {
		d := work[len(work)-1]
		work = work[:len(work)-1]
		c.work -= len(c.ifs)
		for _, x := range c.ifs {
			if done[x] || c.postDominates(d.Index, x.Index) || (d != b && !x.Dominates(d)) {
				continue
			}
			if c.postDominates(d.Index, x.Succs[0].Index) || c.postDominates(d.Index, x.Succs[1].Index) {
				done[x] = true
				out = append(out, x.Instrs[len(x.Instrs)-1].(*ssa.If).Cond)
				work = append(work, x)
			}
		}
	}
	c.memo[b] = out
	return out
}
