package replay

import (
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// prematureAdvances reports, at a yield that leaves a loop in the middle of
// an iteration, the cursor the iteration has already advanced while work
// of the iteration remains after the yield: re-entry resumes the loop at
// the advanced cursor, so that work is never done for the position the
// cursor passed (an output slot reserved and left empty, an item taken and
// not processed). An iteration that yields only after its work is done
// (advance, then a cooperative yield at the end) is fine; an advance that
// comes after the yield is what a consuming loop should do.
func (a *analysis) prematureAdvances(st *flow, ret *ssa.Return, recs *[]record) {
	if len(st.advanced) == 0 {
		return
	}
	guard, l := a.loopExit(ret.Block())
	if l == nil {
		return
	}
	for loc := range l.tested {
		if !st.advanced[loc] || !a.incrementedIn(loc, l.body) {
			continue
		}
		ids := a.advanceFacts(loc, l, guard)
		if len(ids) == 0 || !a.workAfter(guard, ret.Block(), l) {
			continue
		}
		for _, id := range ids {
			if a.judged.has(id) {
				continue
			}
			*recs = append(*recs, record{rules.MutationBeforeYield, id, ret, nil})
			a.judged.add(id)
		}
	}
}

// loopExit returns the block in a loop whose branch leads to the return
// block b (b's nearest dominator inside a loop, a few levels up), and the
// innermost loop holding it.
func (a *analysis) loopExit(b *ssa.BasicBlock) (*ssa.BasicBlock, *loop) {
	for d, k := b.Idom(), 0; d != nil && k < readyDepth; d, k = d.Idom(), k+1 {
		if ls := a.loopsOf[d.Index]; len(ls) > 0 {
			if _, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If); ok {
				return d, ls[0]
			}
			return nil, nil
		}
	}
	return nil, nil
}

// workAfter reports whether the iteration goes on past the guard on the
// branch that does not yield: a block of the loop reached from there,
// before the header, holds a fact (a write, a call, a submission).
func (a *analysis) workAfter(guard, yieldBlock *ssa.BasicBlock, l *loop) bool {
	seen := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	for _, s := range guard.Succs {
		if !s.Dominates(yieldBlock) && l.contains(s) {
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] || x == l.header || !l.contains(x) {
			continue
		}
		seen[x] = true
		for _, id := range a.m.byBlock[x.Index] {
			switch a.facts[id].kind {
			case fMutation, fTransition, fCall, fBlind:
				return true
			}
		}
		stack = append(stack, x.Succs...)
	}
	return false
}

// advanceFacts returns the mutation facts of the loop's writes of loc made
// on every path to the guard within the iteration: in a block of the loop
// that dominates it (a helper that writes the cursor's struct elsewhere,
// or an increment on another branch, is not this iteration's advance).
func (a *analysis) advanceFacts(loc string, l *loop, guard *ssa.BasicBlock) []int {
	var ids []int
	for _, i := range l.body.members {
		blk := a.fn.Blocks[i]
		if !blk.Dominates(guard) || blk == l.header && guard != l.header {
			continue
		}
		for _, instr := range blk.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok || a.tr.Of(st.Addr).Path != loc {
				continue
			}
			for _, id := range a.byInstr[instr] {
				if a.facts[id].kind == fMutation {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}
