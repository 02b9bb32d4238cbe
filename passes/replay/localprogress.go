package replay

import (
	"slices"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// findFreshDrivers reports rule local-progress for its precise case (docs/bugs.md
// C4, R4 c): the receiver of a re-pollable call, whose IO a yield point
// propagates, is an object allocated during this call (&T{...}, new(T), or a
// New... constructor). Every re-entry allocates it again, so the progress of
// the operation it holds is lost (Turso B18 recreated its cursor, and with it
// the destroy's state machine, on every call). An object allocated in an
// earlier state and kept in persistent state is loaded, not allocated, here.
func (a *analysis) findFreshDrivers() {
	reported := map[ssa.Value]bool{}
	for ret, info := range a.yields {
		for src := range info.sources {
			call, ok := src.(*ssa.Call)
			if !ok || a.isConstructor(call) || !a.o.Resumable(&call.Call) {
				continue
			}
			recv := effect.Receiver(&call.Call)
			if recv == nil {
				continue
			}
			alloc := freshObject(recv, 0)
			if alloc == nil || reported[alloc] {
				continue
			}
			reported[alloc] = true
			instr := ssax.Instr(alloc)
			if instr == nil {
				continue
			}
			name := a.repollName(call)
			a.findings = append(a.findings, Finding{Rule: rules.LocalProgress, Yield: ret.Pos(), Call: call, CallName: name,
				Effect: effect.Effect{Kind: effect.Clobber, Instr: instr, Loc: persist.Loc{Root: persist.Root{Kind: persist.Fresh}}}})
		}
	}
}

// freshObject returns the allocation a receiver value comes from, if it was
// allocated during this call.
func freshObject(v ssa.Value, depth int) ssa.Value {
	if depth > 6 {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Alloc:
		// &T{...}, new(T), or a zero local variable; a local variable
		// initialized as a copy of persistent state is lost-copy's case.
		if v.Referrers() != nil {
			for _, r := range *v.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == v {
					if _, isConst := st.Val.(*ssa.Const); !isConst {
						return nil
					}
				}
			}
		}
		return v
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil && fn.Signature.Recv() == nil && isPointerLike(v.Type()) {
			name := fn.Name()
			if strings.HasPrefix(name, "New") || strings.HasPrefix(name, "new") {
				return v
			}
		}
	case *ssa.UnOp:
		if cell, ok := v.X.(*ssa.Alloc); ok && cell.Referrers() != nil {
			// a local variable holding the object
			for _, r := range *cell.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
					if f := freshObject(st.Val, depth+1); f != nil {
						return f
					}
				}
			}
		}
	case *ssa.ChangeType:
		return freshObject(v.X, depth+1)
	case *ssa.MakeInterface:
		return freshObject(v.X, depth+1)
	}
	return nil
}

// maxCarried bounds the phis findCarriedLocals follows in one function:
// each costs one forward propagation, so the check stays linear in the
// function's size times a constant.
const maxCarried = 32

// written is the last value written to each state location on a path
// (absent: not written on it), sorted by location; nil when no path has
// reached the point. The propagation shares these between blocks (a block
// that writes nothing hands its input on) and never modifies one: a block
// that writes, or a join that differs, makes a new one. A sorted slice
// rather than a map, because a copy and a join are then a walk over a few
// entries, with one allocation.
type written []locVal

// join merges another path's writes: a location written differently, or
// on one path only, holds an unknown value.
func (w written) join(v written) written {
	// Most joins meet the same writes from both sides (the state written
	// before a branch): keep w instead of copying it, so that a block's
	// cost is its writes, not a copy per predecessor.
	if w.equal(v) {
		return w
	}
	out := locVals{es: make([]locVal, len(w), len(w)+len(v))}
	copy(out.es, w)
	out.join(&locVals{es: v})
	return written(out.es)
}

func (w written) equal(v written) bool { return slices.Equal(w, v) }

// excludes reports whether a location holding the values of w can take no
// path whose allowed values are s.
func (w written) excludes(s map[string]vset) bool {
	for _, e := range w {
		if set, ok := s[e.loc]; ok && e.w.kind != wUnknown && !canSelect(e.w, set) {
			return true
		}
	}
	return false
}

// findCarriedLocals reports rule local-progress for a local carried across
// a transition (docs/bugs.md C4, R4 case b): a local set in one state's arm
// and read after the arm's join, on a path that writes the state past that
// arm and then yields. Re-entry starts from the top with the state as it is
// at the yield, so it cannot take the arm again: it reaches the join
// through another edge, where the local holds its initial value (a
// constant), and every read of it that re-entry reaches sees that value
// instead of the one the arm computed (Relocate's record, B16's result).
//
// In SSA the local is a phi at the join: one edge, from the arm, brings the
// computed value; another brings the constant. Per such phi, a forward
// propagation of the writes of state locations follows the paths that
// entered the join through the arm's edge, seeded with the writes on the
// way to that edge; at each yield on them it asks whether those writes
// exclude the arm's edge (re-entry cannot bring the computed value) while
// admitting an edge of a constant, and whether a read of the local lies
// in a block they admit. A local that re-entry recomputes (the arm is
// admitted again), one whose other edges bring a value read from state
// (restored from a field the arm saved), and reads only in arms the state
// at the yield excludes are not reported.
func (a *analysis) findCarriedLocals() {
	if len(a.state) == 0 || a.idempotent {
		return
	}
	n := len(a.fn.Blocks)
	writes := make([][]fact, n)
	hasWrites := false
	for _, f := range a.facts {
		// An element's state (s.done[i]) is one location for every
		// element: a write of it does not move the function past an arm,
		// whatever index the arm tested.
		if f.kind == fTransition && !strings.Contains(f.state, "[]") {
			writes[f.block.Index] = append(writes[f.block.Index], f)
			hasWrites = true
		}
	}
	if !hasWrites {
		return
	}
	apply := func(b *ssa.BasicBlock, in written) written {
		if len(writes[b.Index]) == 0 {
			return in
		}
		out := locVals{es: make([]locVal, len(in), len(in)+len(writes[b.Index]))}
		copy(out.es, in)
		for _, f := range writes[b.Index] {
			out.set(f.state, a.writeOf(f))
		}
		return written(out.es)
	}
	// The writes on every path from the entry to each block's end.
	outs := make([]written, n)
	if !forwardFixpoint(a.order(), func(b *ssa.BasicBlock) bool {
		var in written
		if b.Index == 0 {
			in = written{}
		}
		if in2 := joinPreds(b, outs); in2 != nil {
			if in == nil {
				in = in2
			} else {
				in = in.join(in2)
			}
		}
		if in == nil {
			return false
		}
		o := apply(b, in)
		if outs[b.Index] != nil && outs[b.Index].equal(o) {
			return false
		}
		outs[b.Index] = o
		return true
	}) {
		return
	}
	followed := 0
	reported := map[ssa.Instruction]bool{}
	for _, m := range a.fn.Blocks {
		for _, instr := range m.Instrs {
			phi, ok := instr.(*ssa.Phi)
			if !ok {
				break
			}
			consts := constEdgesAllowed(a, phi)
			if !consts.any {
				continue // no edge brings an initial value
			}
			for k, d := range phi.Edges {
				if _, isConst := d.(*ssa.Const); isConst {
					continue
				}
				pa := m.Preds[k]
				if outs[pa.Index] == nil {
					continue // unreachable
				}
				armAllowed := a.edgeAllowed(pa, m)
				if len(armAllowed) == 0 || !consts.differsFrom(armAllowed) {
					// An edge no dispatch constrains; or every edge of a
					// constant admits what the arm's edge admits (a local
					// set and joined inside one arm), so no state at a
					// yield can exclude the arm's edge and admit another
					// (judgeCarried's condition) and following is wasted.
					continue
				}
				if followed++; followed > maxCarried {
					return
				}
				a.followCarried(phi, k, outs[pa.Index], apply, reported)
			}
		}
	}
}

// constAllowed summarizes the allowed values of a phi's edges that bring a
// constant: whether there is one, the first one's, and whether another
// differs from it. It is computed once per phi, so that asking it of each
// of the phi's other edges costs one comparison (a join of a thousand
// arms is not a million).
type constAllowed struct {
	any, several bool
	first        map[string]vset
}

func constEdgesAllowed(a *analysis, phi *ssa.Phi) constAllowed {
	var c constAllowed
	m := phi.Block()
	for j, e := range phi.Edges {
		if _, ok := e.(*ssa.Const); !ok {
			continue
		}
		allowed := a.edgeAllowed(m.Preds[j], m)
		switch {
		case !c.any:
			c.any, c.first = true, allowed
		case !c.several && !equalAllowed(allowed, c.first):
			c.several = true
		}
	}
	return c
}

// differsFrom reports whether some edge of a constant admits other values
// than allowed (those of an edge that brings no constant).
func (c constAllowed) differsFrom(allowed map[string]vset) bool {
	return c.any && (c.several || !equalAllowed(c.first, allowed))
}

// followCarried propagates, from phi's block entered through edge k with
// the writes seed, the writes of state locations along the paths that keep
// the phi's value (paths that come back to the phi's block through another
// edge replace it), and judges the yields on them.
func (a *analysis) followCarried(phi *ssa.Phi, k int, seed written, apply func(*ssa.BasicBlock, written) written, reported map[ssa.Instruction]bool) {
	m := phi.Block()
	pa := m.Preds[k]
	n := len(a.fn.Blocks)
	outs := make([]written, n)
	if !forwardFixpoint(a.order(), func(b *ssa.BasicBlock) bool {
		var in written
		if b == m {
			// Only the arm's edge carries the computed value; from pa
			// itself it is carried again on a later iteration.
			in = seed
			if outs[pa.Index] != nil {
				in = in.join(outs[pa.Index])
			}
		} else {
			in = joinPreds(b, outs)
		}
		if in == nil {
			return false
		}
		o := apply(b, in)
		if outs[b.Index] != nil && outs[b.Index].equal(o) {
			return false
		}
		outs[b.Index] = o
		return true
	}) {
		return
	}
	// Judged at the fixpoint only: an earlier, narrower state would
	// exclude what a later path admits.
	for _, b := range a.fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && a.yields[ret] != nil && outs[b.Index] != nil {
			a.judgeCarried(phi, k, ret, outs[b.Index], reported)
		}
	}
}

// judgeCarried reports the first read of phi that re-entry from the yield
// ret, with the writes w made on the way, reaches through an edge of a
// constant instead of the arm's edge k.
func (a *analysis) judgeCarried(phi *ssa.Phi, k int, ret *ssa.Return, w written, reported map[ssa.Instruction]bool) {
	m := phi.Block()
	if !w.excludes(a.edgeAllowed(m.Preds[k], m)) {
		return // re-entry may take the arm again and recompute the local
	}
	reenters := false
	for j, e := range phi.Edges {
		if _, ok := e.(*ssa.Const); ok && j != k && !w.excludes(a.edgeAllowed(m.Preds[j], m)) {
			reenters = true
		}
	}
	if !reenters {
		return
	}
	var first ssa.Instruction
	for _, r := range readsOf(phi) {
		if !w.excludes(a.allowed[r.Block().Index]) && r.Pos().IsValid() && (first == nil || r.Pos() < first.Pos()) {
			first = r
		}
	}
	if first == nil || reported[first] {
		return
	}
	reported[first] = true
	name := phi.Comment
	if name == "" {
		name = "a local"
	}
	a.findings = append(a.findings, Finding{Rule: rules.LocalProgress, Yield: ret.Pos(), Carried: true,
		Effect: effect.Effect{Kind: effect.Read, Instr: first, Name: name, Loc: persist.Loc{Root: persist.Root{Kind: persist.Fresh}}}})
}

// readsOf returns the instructions that read v, directly or through
// values computed from it (byte(rec), rec + 1), up to a small depth; a phi
// carries it on to another join, where other edges decide again, and is
// not followed.
func readsOf(v ssa.Value) []ssa.Instruction {
	var out []ssa.Instruction
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if seen[v] || depth > 4 || v.Referrers() == nil {
			return
		}
		seen[v] = true
		for _, r := range *v.Referrers() {
			if _, ok := r.(*ssa.Phi); ok {
				continue
			}
			out = append(out, r)
			if rv, ok := r.(ssa.Value); ok {
				if _, isCall := r.(*ssa.Call); !isCall {
					walk(rv, depth+1)
				}
			}
		}
	}
	walk(v, 0)
	return out
}

// joinPreds joins the states the predecessors of b that have been visited
// hand it, or returns nil when none has been.
func joinPreds(b *ssa.BasicBlock, outs []written) written {
	var in written
	for _, p := range b.Preds {
		if outs[p.Index] == nil {
			continue
		}
		if in == nil {
			in = outs[p.Index]
		} else {
			in = in.join(outs[p.Index])
		}
	}
	return in
}
