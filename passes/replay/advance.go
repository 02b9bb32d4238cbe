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
	if st.advanced.len() == 0 {
		return
	}
	guard, l := a.loopExit(ret.Block())
	if l == nil {
		return
	}
	for _, loc := range l.tested.ls {
		if !st.advanced.has(loc) || len(a.increments(l)[loc]) == 0 {
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
	work := a.loopWork(l)
	for _, s := range guard.Succs {
		if !s.Dominates(yieldBlock) && s != l.header && l.contains(s) && work[s.Index] {
			return true
		}
	}
	return false
}

// loopWork computes, once per loop, for every block of its body whether a
// fact (a write, a call, a submission) lies on some path from it to the
// header within the iteration: a backward propagation over the body's
// edges, each visited once, so the cost is the body's, whatever the number
// of yields asking.
func (a *analysis) loopWork(l *loop) []bool {
	if l.work != nil {
		return l.work
	}
	l.work = make([]bool, len(a.fn.Blocks))
	var stack []*ssa.BasicBlock
	for _, i := range l.body.members {
		if i == l.header.Index {
			continue
		}
		for _, id := range a.m.byBlock[i] {
			switch a.facts[id].kind {
			case fMutation, fTransition, fCall, fBlind:
				if !l.work[i] {
					l.work[i] = true
					stack = append(stack, a.fn.Blocks[i])
				}
			}
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range x.Preds {
			if p == l.header || !l.contains(p) || l.work[p.Index] {
				continue
			}
			l.work[p.Index] = true
			stack = append(stack, p)
		}
	}
	return l.work
}

// advanceFacts returns the mutation facts of the loop's increments of loc
// made on every path to the guard within the iteration: in a block of the
// loop that dominates it (an increment on another branch, or a helper
// that writes the cursor's struct, is not this iteration's advance).
func (a *analysis) advanceFacts(loc string, l *loop, guard *ssa.BasicBlock) []int {
	var ids []int
	for _, st := range a.increments(l)[loc] {
		blk := st.Block()
		if !blk.Dominates(guard) || blk == l.header && guard != l.header {
			continue
		}
		for id := range a.byInstr[st].ids() {
			if a.facts[id].kind == fMutation {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
