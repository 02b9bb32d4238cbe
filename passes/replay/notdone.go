package replay

import "golang.org/x/tools/go/ssa"

// maxNotDoneTests bounds the tests of re-pollable results a function's
// not-done edges are computed for (each costs a walk of the blocks
// reachable from its edge).
const maxNotDoneTests = 64

// notDoneEdge is the edge along which a re-pollable call's result was
// tested and found not done (`if p := f.a.Poll(cx); p.IsReady() { ... }`,
// the branch that does not read the value).
type notDoneEdge struct {
	from, to *ssa.BasicBlock
	call     *ssa.Call
}

// notDoneEdges returns, once per function, the not-done edges of the
// tests of re-pollable results. Along such an edge the call did not
// return Done: calling it again on re-entry is the poll its not-done
// asks for, not a repetition, and the poll is handed on as long as the
// edge leads to a yield (the join of two futures, which yields while
// either side is pending, each side tested in its own branch).
func (a *analysis) notDoneEdges() []notDoneEdge {
	if a.notDone != nil {
		return *a.notDone
	}
	var out []notDoneEdge
	for _, b := range a.fn.Blocks {
		if len(out) >= maxNotDoneTests {
			break
		}
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || !a.live[b.Index] {
			continue
		}
		call := a.testedResult(ifi.Cond)
		if call == nil || !a.o.Resumable(&call.Call) {
			continue
		}
		// The not-done successor is the one under which the value is not
		// read, when the other reads it (the done branch takes the
		// value); otherwise the test's sense is not known.
		t, f := b.Succs[0], b.Succs[1]
		ut, uf := usedUnder(call, t) && len(t.Preds) == 1, usedUnder(call, f) && len(f.Preds) == 1
		switch {
		case ut && !uf:
			out = append(out, notDoneEdge{b, f, call})
		case uf && !ut:
			out = append(out, notDoneEdge{b, t, call})
		}
	}
	a.notDone = &out
	return out
}

// notDoneKills returns the facts of the calls found not done along the
// edge from p to b: their "returned Done" facts (fCall), which do not
// cross it. On a loop the fact stands for every iteration's call, and an
// earlier iteration's Done is cleared with it: re-entry re-runs the
// iteration that yielded, not the earlier ones, unless the loop's
// position is a local (local-progress, whose looped twin is made at the
// back edge before this edge is crossed).
func (a *analysis) notDoneKills(p, b *ssa.BasicBlock) []int {
	if a.kills == nil {
		// Once per function, after the facts: a block ends in one test,
		// so it has at most one not-done edge.
		a.kills = map[*ssa.BasicBlock]notDoneKill{}
		for _, e := range a.notDoneEdges() {
			k := notDoneKill{to: e.to}
			if r, ok := a.byInstr[e.call]; ok {
				for id := r.lo; id < r.hi; id++ {
					if a.facts[id].kind == fCall {
						k.ids = append(k.ids, id)
					}
				}
			}
			a.kills[e.from] = k
		}
	}
	if k, ok := a.kills[p]; ok && k.to == b {
		return k.ids
	}
	return nil
}

// notDoneKill is what crossing a not-done edge clears.
type notDoneKill struct {
	to  *ssa.BasicBlock
	ids []int
}

// handedOnNotDone reports the calls whose not-done edge reaches a yield:
// when such a call does not finish, the function yields, and is polled
// again (what dropped-result asks of a tested result).
func (a *analysis) handedOnNotDone() map[ssa.Instruction]bool {
	out := map[ssa.Instruction]bool{}
	for _, e := range a.notDoneEdges() {
		if out[e.call] {
			continue
		}
		seen := map[*ssa.BasicBlock]bool{e.to: true}
		stack := []*ssa.BasicBlock{e.to}
		for len(stack) > 0 && !out[e.call] {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && a.yields[ret] != nil {
				out[e.call] = true
			}
			for _, s := range b.Succs {
				if !seen[s] {
					seen[s] = true
					stack = append(stack, s)
				}
			}
		}
	}
	return out
}
