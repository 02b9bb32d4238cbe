package replay

import (
	"slices"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"golang.org/x/tools/go/ssa"
)

// The search for a lost change (lostChange) walks forward from each change
// of a copy to a yield. A copy changed all along a long function (a
// position advanced by every step of a decoder) has a change every few
// statements, and each walk went to the end: changes × instructions. Two
// things keep it linear.
//
// What does not depend on the change is computed once per copy
// (copyReach): where the copy is kept, from which blocks a yield is
// reachable without keeping it, and from which a write of persistent state
// is, with such a yield after it. The walk enters no block from which it
// cannot end in a finding: none before an input is consumed where no
// write is reachable, none after where no yield is. On correct code, where
// nothing is consumed, most walks end at once.
//
// The tables cover only the copy's region: the blocks a walk from one of
// its changes can enter (it stops where the copy is kept). A function that
// copies state afresh at every step (p := m.pos; ...; m.pos = p) has many
// copies with a small region each, and tables over the whole function
// were copies × blocks. What is left is bounded by a budget per function
// (copySearch.work): past it, no copy is searched further, and a lost
// copy may go unreported.

// copySearch is the per-function state of the searches.
type copySearch struct {
	work int // instructions the walks and the per-copy tables may still visit
	// writes, by block index then instruction index, memoizes the
	// persistent locations an instruction writes (not deferred); nil for a
	// block not classified yet. Slices, not a map keyed by instruction:
	// every instruction of the function may be asked about.
	writes [][][]string
}

// newCopySearch returns the search state of a's function, its budget 32
// visits per instruction.
func newCopySearch(a *analysis) *copySearch {
	return &copySearch{work: 32*ssax.Instrs(a.fn) + 4096, writes: make([][][]string, len(a.fn.Blocks))}
}

// written returns the persistent locations instruction i of b writes, not
// deferred: what writesRead compares with the change's inputs, memoized by
// block because the walks of several changes cross the same instructions.
func (a *analysis) written(b *ssa.BasicBlock, i int) []string {
	ws := a.copies.writes[b.Index]
	if ws == nil {
		ws = make([][]string, len(b.Instrs))
		for j, instr := range b.Instrs {
			for _, e := range a.cls.Of(instr) {
				switch e.Kind {
				case effect.Clobber, effect.Blind, effect.Reset:
					if !e.Defer {
						ws[j] = append(ws[j], e.Loc.Path)
					}
				}
			}
		}
		a.copies.writes[b.Index] = ws
	}
	return ws[i]
}

// copyReach holds, for one copy, what its searches share, for the blocks
// of its region (by block index; a block outside has no entry).
type copyReach struct {
	region map[int]bool  // the blocks a walk from a change may enter
	keeps  map[int][]int // the indexes of the instructions that keep the copy, in order
	// yield: from the block's first instruction a yield is reachable with
	// no keep on the way.
	yield map[int]bool
	// writer: from the block's first instruction a write of persistent
	// state is reachable with no keep on the way and a yield reachable
	// after it.
	writer map[int]bool
}

// reachOf computes the copy's tables over its region, backwards from the
// yields, in time linear in the region; nil when the budget does not allow
// it. The region is the blocks of the changes and what follows them: a
// block is left only through a successor if nothing in it keeps the copy,
// or if it holds a change (the walk starts after the change). Every block a
// walk enters is in it, and so is every successor a table entry of the
// region depends on.
func (a *analysis) reachOf(cell *ssa.Alloc, origin string, changes []copyChange) *copyReach {
	r := &copyReach{region: map[int]bool{}, keeps: map[int][]int{}, yield: map[int]bool{}, writer: map[int]bool{}}
	var blocks, work []*ssa.BasicBlock
	enter := func(b *ssa.BasicBlock) {
		if r.region[b.Index] {
			return
		}
		r.region[b.Index] = true
		blocks = append(blocks, b)
		work = append(work, b)
		if a.copies.work -= len(b.Instrs); a.copies.work < 0 {
			return
		}
		for i, instr := range b.Instrs {
			if a.keepsCopy(instr, cell, origin) {
				r.keeps[b.Index] = append(r.keeps[b.Index], i)
			}
		}
	}
	changed := map[int]bool{}
	for _, ch := range changes {
		changed[ch.instr.Block().Index] = true
		enter(ch.instr.Block())
	}
	for len(work) > 0 && a.copies.work >= 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if len(r.keeps[b.Index]) > 0 && !changed[b.Index] {
			continue // kept here: a walk entering it goes no further
		}
		for _, s := range b.Succs {
			enter(s)
		}
	}
	if a.copies.work < 0 {
		return nil
	}
	// yield: a block with no keep whose return is a yield, or whose
	// successor has it; propagated to predecessors with no keep.
	for _, b := range blocks {
		if len(r.keeps[b.Index]) == 0 && a.endsInYield(b) {
			r.yield[b.Index] = true
			work = append(work, b)
		}
	}
	r.backwards(r.yield, work)
	work = work[:0]
	// writer: a block with a write before its first keep and a yield
	// reachable after that write, or with no keep and a successor that
	// has it.
	for _, b := range blocks {
		for i := range b.Instrs {
			if slices.Contains(r.keeps[b.Index], i) {
				break // the copy is kept here: nothing after counts
			}
			if len(a.written(b, i)) > 0 && r.yieldAfter(a, b, i+1) {
				r.writer[b.Index] = true
				work = append(work, b)
				break
			}
		}
	}
	r.backwards(r.writer, work)
	return r
}

// backwards extends mark from the blocks in work to every predecessor in
// the region that does not keep the copy, transitively: what is reachable from a
// block's successor is reachable from the block if nothing in it keeps
// the copy on the way.
func (r *copyReach) backwards(mark map[int]bool, work []*ssa.BasicBlock) {
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range b.Preds {
			if r.region[p.Index] && !mark[p.Index] && len(r.keeps[p.Index]) == 0 {
				mark[p.Index] = true
				work = append(work, p)
			}
		}
	}
}

// endsInYield reports whether b ends in the return of a yield.
func (a *analysis) endsInYield(b *ssa.BasicBlock) bool {
	if len(b.Instrs) == 0 {
		return false
	}
	ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
	if !ok {
		return false
	}
	_, y := a.yields[ret]
	return y
}

// keptFrom returns the index of the first instruction of b at or after
// from that keeps the copy, or -1.
func (r *copyReach) keptFrom(b *ssa.BasicBlock, from int) int {
	for _, k := range r.keeps[b.Index] {
		if k >= from {
			return k
		}
	}
	return -1
}

// yieldAfter reports whether a yield is reachable from instruction from of
// b with no keep on the way.
func (r *copyReach) yieldAfter(a *analysis, b *ssa.BasicBlock, from int) bool {
	if r.keptFrom(b, from) >= 0 {
		return false
	}
	if a.endsInYield(b) {
		return from < len(b.Instrs)
	}
	for _, s := range b.Succs {
		if r.yield[s.Index] {
			return true
		}
	}
	return false
}

// writerAfter reports whether, from instruction from of b, a write of
// persistent state is reachable with no keep on the way and a yield after
// it.
func (r *copyReach) writerAfter(a *analysis, b *ssa.BasicBlock, from int) bool {
	end := len(b.Instrs)
	if k := r.keptFrom(b, from); k >= 0 {
		end = k
	}
	for i := from; i < end; i++ {
		if len(a.written(b, i)) > 0 && r.yieldAfter(a, b, i+1) {
			return true
		}
	}
	if end < len(b.Instrs) {
		return false
	}
	for _, s := range b.Succs {
		if r.writer[s.Index] {
			return true
		}
	}
	return false
}

// promising reports whether the walk, entering b at instruction from with
// an input consumed or not, can still end in a finding.
func (r *copyReach) promising(a *analysis, b *ssa.BasicBlock, from int, consumed bool) bool {
	if from == 0 { // entered at its start: the tables have the answer
		if consumed {
			return r.yield[b.Index]
		}
		return r.writer[b.Index]
	}
	if consumed {
		return r.yieldAfter(a, b, from)
	}
	return r.writerAfter(a, b, from)
}
