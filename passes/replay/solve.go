package replay

import (
	"slices"
	"sort"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"golang.org/x/tools/go/ssa"
)

// flow is the dataflow state at a program point.
type flow struct {
	pending bitset          // facts that re-entry would replay
	written map[string]wval // last write of each state location on the path
	reset   map[string]bool // locations emptied or overwritten on every path (within the region)
}

func (f *flow) clone() *flow {
	g := &flow{pending: f.pending.clone(), written: make(map[string]wval, len(f.written)), reset: make(map[string]bool, len(f.reset))}
	for k, v := range f.written {
		g.written[k] = v
	}
	for k := range f.reset {
		g.reset[k] = true
	}
	return g
}

func (f *flow) equal(g *flow) bool {
	if !f.pending.equal(g.pending) || len(f.written) != len(g.written) || len(f.reset) != len(g.reset) {
		return false
	}
	for k, v := range f.written {
		if w, ok := g.written[k]; !ok || w != v {
			return false
		}
	}
	for k := range f.reset {
		if !g.reset[k] {
			return false
		}
	}
	return true
}

// merge joins g into f: pending facts union, differing writes become
// unknown, resets must hold on both paths.
func (f *flow) merge(g *flow) {
	f.pending.or(g.pending)
	for k, v := range f.written {
		if w, ok := g.written[k]; !ok || w != v {
			f.written[k] = wval{kind: wUnknown}
		}
	}
	for k := range g.written {
		if _, ok := f.written[k]; !ok {
			f.written[k] = wval{kind: wUnknown}
		}
	}
	for k := range f.reset {
		if !g.reset[k] {
			delete(f.reset, k)
		}
	}
}

type record struct {
	rule  string
	fact  int
	yield *ssa.Return
	call  ssa.Instruction
}

// The replay dataflow's work budget, in block transfers: a multiple of the
// block count, plus a constant. A gen/kill problem over a finite lattice
// needs a few passes over the blocks (one more per loop nesting level); the
// budget only guards against a mistake in that argument.
const (
	transfersPerBlock = 64
	transfersBase     = 4096
)

func (a *analysis) solve() {
	n := len(a.fn.Blocks)
	nf := len(a.facts)
	out := make([]*flow, n)
	order := reversePostorder(a.fn)
	rpo := make([]int, n) // block index -> position in order
	for i, b := range order {
		rpo[b.Index] = i
	}
	a.pendingAtCall = map[ssa.Instruction][]int{}

	inState := func(b *ssa.BasicBlock) *flow {
		var in *flow
		if b.Index == 0 {
			in = &flow{pending: newBitset(nf), written: map[string]wval{}, reset: map[string]bool{}}
		}
		for _, p := range b.Preds {
			if out[p.Index] == nil {
				continue
			}
			e := a.edge(p, b, out[p.Index])
			if in == nil {
				in = e
			} else {
				in.merge(e)
			}
		}
		return in
	}

	// A worklist in reverse postorder: a block is transferred again only
	// when the output of a predecessor changed.
	dirty := make([]bool, n)
	for i := range order {
		dirty[i] = true
	}
	budget := transfersPerBlock*n + transfersBase
	for again := true; again; {
		again = false
		for i, b := range order {
			if !dirty[i] {
				continue
			}
			dirty[i] = false
			if budget--; budget < 0 {
				a.tooLarge = true
				return
			}
			in := inState(b)
			if in == nil {
				continue
			}
			o := a.transfer(b, in, nil)
			if out[b.Index] != nil && o.equal(out[b.Index]) {
				continue
			}
			out[b.Index] = o
			for _, s := range b.Succs {
				j := rpo[s.Index]
				dirty[j] = true
				if j <= i {
					again = true // a back edge: another pass
				}
			}
		}
	}
	// Record the transitions pending at each re-pollable call, then judge
	// the yield points in source order, so that each fact is reported at the
	// first yield it reaches and judged no more after that.
	a.recordCalls = true
	for _, b := range order {
		if in := inState(b); in != nil {
			a.transfer(b, in, nil)
		}
	}
	a.recordCalls = false
	var yieldBlocks []*ssa.BasicBlock
	for _, b := range order {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && a.yields[ret] != nil {
			yieldBlocks = append(yieldBlocks, b)
		}
	}
	sort.SliceStable(yieldBlocks, func(i, j int) bool {
		return yieldBlocks[i].Instrs[len(yieldBlocks[i].Instrs)-1].Pos() < yieldBlocks[j].Instrs[len(yieldBlocks[j].Instrs)-1].Pos()
	})
	a.judged = a.m.unjudged.clone()
	var recs []record
	for _, b := range yieldBlocks {
		if in := inState(b); in != nil {
			a.transfer(b, in, &recs)
		}
	}
	a.report(recs)
}

// edge applies what crossing p->b does: a back edge into a loop whose
// condition tests persistent progress re-dispatches on it, so the writes of
// that progress made in the iteration are committed.
func (a *analysis) edge(p, b *ssa.BasicBlock, o *flow) *flow {
	e := o.clone()
	if !b.Dominates(p) {
		return e
	}
	l := a.loopOf[b]
	if l == nil {
		return e
	}
	for loc := range l.locs {
		e.pending.andNot(a.m.commitByLoc[loc])
	}
	// A re-pollable call that returned Done goes around a loop whose
	// progress is local: re-entry will redo it.
	for _, t := range a.m.twins {
		if l.contains(a.facts[t.call].block) && e.pending.has(t.call) {
			e.pending.add(t.looped)
		}
	}
	return e
}

func (a *analysis) transfer(b *ssa.BasicBlock, in *flow, recs *[]record) *flow {
	st := in.clone()
	for _, instr := range b.Instrs {
		for _, id := range a.byInstr[instr] {
			a.apply(st, id, b)
		}
		switch instr := instr.(type) {
		case *ssa.If:
			// A dispatch on L re-reads it: transitions of L written before
			// it are no longer premature.
			for _, t := range a.ifTests[instr] {
				st.pending.andNot(a.m.transByLoc[t.path])
			}
		case *ssa.Return:
			if recs != nil {
				if info, ok := a.yields[instr]; ok {
					a.atYield(st, instr, info, recs)
				}
			}
		}
	}
	return st
}

func storeVal(instr ssa.Instruction) ssa.Value {
	if s, ok := instr.(*ssa.Store); ok {
		return s.Val
	}
	return nil
}

func (a *analysis) apply(st *flow, id int, b *ssa.BasicBlock) {
	f := a.facts[id]
	path := f.eff.Loc.Path
	switch f.kind {
	case fMutation:
		if f.state != "" { // a clobbering write of a state location (s.i++)
			w := a.writeOf(f)
			a.transition(st, f.state, w, b)
			if canSelect(w, a.armSet(b, f.state)) && !a.masked(st, b) {
				st.pending.add(id)
			}
			return
		}
		if a.coveredByReset(st, f.eff) || a.masked(st, b) {
			return
		}
		st.pending.add(id)
	case fDeferred:
		st.pending.add(id)
	case fMoveOut:
		if st.pending.intersects(a.m.reads[path]) && !a.masked(st, b) {
			st.pending.add(id)
		}
	case fBlind:
		if !a.masked(st, b) {
			st.pending.add(id)
		}
		st.reset[path] = true
	case fReset:
		st.reset[path] = true
	case fRestore:
		st.pending.andNot(a.m.restorable[path])
	case fTransition:
		if f.eff.Kind != effect.Clobber { // clobbering state writes transitioned above
			a.transition(st, f.state, a.writeOf(f), b)
		}
		st.pending.add(id)
	case fCall:
		if a.recordCalls {
			var at []int
			st.pending.eachAnd(a.m.transitions, func(j int) { at = append(at, j) })
			a.pendingAtCall[f.eff.Instr] = at
		}
		if !a.masked(st, b) {
			st.pending.add(id)
		}
	case fRead, fDeferRestore, fLock, fDeferUnlock:
		st.pending.add(id)
	case fUnlock:
		st.pending.andNot(a.m.locks[path])
	}
}

func (a *analysis) writeOf(f fact) wval {
	if f.w != nil {
		return *f.w
	}
	if v := storeVal(f.eff.Instr); v != nil {
		return abstractWrite(a.tr, v, f.state)
	}
	return wval{kind: wUnknown}
}

// transition records a write of state location loc and cuts the pending
// facts that re-entry can no longer reach: earlier writes of loc (superseded),
// facts in arms the written value cannot select, and facts in the same
// iteration of a loop whose condition tests loc (progress persisted).
func (a *analysis) transition(st *flow, loc string, w wval, b *ssa.BasicBlock) {
	st.pending.andNot(a.m.transByLoc[loc])
	if w.kind != wUnknown {
		if surv := a.survivors(loc, w); surv != nil {
			st.pending.keepOnly(surv, a.m.immune)
		}
	}
	for _, l := range a.loopsOf[b.Index] {
		if l.locs[loc] {
			st.pending.andNot(a.loopMask(l))
		}
	}
	st.written[loc] = w
	for k := range st.reset {
		delete(st.reset, k) // a reset in an earlier state does not excuse a later rebuild
	}
}

// masked reports whether the state written so far on this path keeps
// re-entry away from block b.
func (a *analysis) masked(st *flow, b *ssa.BasicBlock) bool {
	for loc, w := range st.written {
		if w.kind != wUnknown && !canSelect(w, a.armSet(b, loc)) {
			return true
		}
	}
	return false
}

// coveredByReset reports whether a clobber accumulates into a location
// reset earlier in the same region (reset-then-rebuild).
func (a *analysis) coveredByReset(st *flow, e effect.Effect) bool {
	if e.Kind != effect.Clobber || e.Loc.Path == "" {
		return false
	}
	for r := range st.reset {
		if hasPrefixPath(e.Loc.Path, r) {
			return true
		}
	}
	return false
}

func (a *analysis) atYield(st *flow, ret *ssa.Return, info *yieldInfo, recs *[]record) {
	calls := a.propagatedCalls(info)
	var restored, unlocked []string
	st.pending.eachAnd(a.m.deferred, func(id int) {
		switch f := a.facts[id]; f.kind {
		case fDeferRestore:
			restored = append(restored, f.eff.Loc.Path)
		case fDeferUnlock:
			unlocked = append(unlocked, f.eff.Loc.Path)
		}
	})
	// Only the facts not yet reported are judged: yields are visited in
	// source order, and a fact is reported at the first yield it reaches.
	n := len(*recs)
	st.pending.eachAndNot(a.judged, func(id int) {
		f := a.facts[id]
		if f.kind == fLock {
			for _, p := range unlocked {
				if p == f.eff.Loc.Path {
					return // released by the deferred unlock at this return
				}
			}
			*recs = append(*recs, record{RuleHeld, id, ret, nil})
			return
		}
		for _, p := range restored {
			if hasPrefixPath(f.eff.Loc.Path, p) && f.kind != fDeferred {
				return // a deferred restore puts the location back at this return
			}
		}
		if calls != nil && f.kind != fTransition && f.kind != fDeferred && !a.beforeAny(f.eff.Instr, calls) {
			return // reached only through the call's Done: re-entry re-polls the call first
		}
		switch f.kind {
		case fMutation, fMoveOut:
			if !a.masked(st, f.block) {
				*recs = append(*recs, record{RuleMutation, id, ret, nil})
			}
		case fDeferred:
			*recs = append(*recs, record{RuleMutation, id, ret, nil})
		case fBlind:
			if !a.masked(st, f.block) {
				*recs = append(*recs, record{RuleBlind, id, ret, nil})
			}
		case fCall:
			if !info.sources[f.eff.Instr] && !a.masked(st, f.block) {
				*recs = append(*recs, record{RuleRepeated, id, ret, nil})
			}
		case fLoopedCall:
			// Reported at the call's own yield; at another call's yield the
			// repeated-call finding already names it.
			if info.sources[f.eff.Instr] && !a.masked(st, f.block) {
				*recs = append(*recs, record{ruleLocalLoop, id, ret, nil})
			}
		case fTransition:
			for src := range info.sources {
				if !slices.Contains(a.pendingAtCall[src], id) {
					continue
				}
				// Re-entry with the written value that still reaches the
				// call re-drives it (s.state = X; fallthrough into X's arm).
				if canSelect(a.writeOf(f), a.armSet(src.Block(), f.state)) {
					continue
				}
				// A submit-style callee's IO means "submitted": advancing
				// first is required, as for a submit call.
				if a.submitStyle(src) {
					continue
				}
				// The target state's arm drives the same call on the same
				// receiver, so re-entry re-drives it there.
				if a.targetRedrives(f, src) {
					continue
				}
				*recs = append(*recs, record{RulePremature, id, ret, src})
			}
		}
	})
	for _, r := range (*recs)[n:] {
		a.judged.add(r.fact)
	}
}

// report keeps, for each fact and rule, the earliest yield point it reaches.
func (a *analysis) report(recs []record) {
	type key struct {
		rule string
		fact int
	}
	best := map[key]record{}
	for _, r := range recs {
		k := key{r.rule, r.fact}
		if old, ok := best[k]; !ok || r.yield.Pos() < old.yield.Pos() {
			best[k] = r
		}
	}
	type site struct {
		rule  string
		instr ssa.Instruction
	}
	seen := map[site]bool{}
	for _, r := range sortedRecords(best) {
		f := a.facts[r.fact]
		// One finding per instruction and rule (an instruction may have
		// several facts, e.g. a clobber of a state location).
		k := site{r.rule, f.eff.Instr}
		if seen[k] {
			continue
		}
		seen[k] = true
		fd := Finding{Rule: r.rule, Effect: f.eff, Yield: r.yield, Call: r.call}
		if r.rule == ruleLocalLoop {
			fd.Rule, fd.InLoop = RuleLocal, true
		}
		if r.call != nil {
			fd.CallName = callName(a, r.call)
		}
		a.findings = append(a.findings, fd)
	}
	sort.Slice(a.findings, func(i, j int) bool {
		pi, pj := a.findings[i].Effect.Instr.Pos(), a.findings[j].Effect.Instr.Pos()
		if pi != pj {
			return pi < pj
		}
		return a.findings[i].Rule < a.findings[j].Rule
	})
}

// sortedRecords orders the kept records deterministically.
func sortedRecords[K comparable](m map[K]record) []record {
	out := make([]record, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].fact != out[j].fact {
			return out[i].fact < out[j].fact
		}
		return out[i].rule < out[j].rule
	})
	return out
}

func callName(a *analysis, instr ssa.Instruction) string {
	for _, id := range a.byInstr[instr] {
		if f := a.facts[id]; f.kind == fCall {
			return trimCalls(f.eff.What)
		}
	}
	return "the call"
}

func trimCalls(what string) string {
	const p = "calls "
	if len(what) > len(p) && what[:len(p)] == p {
		return what[len(p):]
	}
	return what
}

// propagatedCalls returns the re-pollable calls whose IO the yield
// propagates, or nil when the yield may carry anything else.
func (a *analysis) propagatedCalls(info *yieldInfo) []ssa.Instruction {
	var calls []ssa.Instruction
	for src := range info.sources {
		repoll := false
		for _, id := range a.byInstr[src] {
			if a.facts[id].kind == fCall {
				repoll = true
			}
		}
		if repoll {
			calls = append(calls, src)
		}
	}
	// Constructors (Forward, Wait) are sources too; the yield re-enters at
	// the re-pollable calls they forward, if any.
	return calls
}

// beforeAny reports whether re-entry can execute instr before reaching one
// of calls: unless the call dominates instr, a path from the entry reaches
// instr first. What the call dominates runs on re-entry only after the
// re-polled call returns Done, as the continuation of its work, not a replay.
func (a *analysis) beforeAny(instr ssa.Instruction, calls []ssa.Instruction) bool {
	for _, c := range calls {
		if !a.dominatesInstr(c, instr) {
			return true
		}
	}
	return false
}

func (a *analysis) dominatesInstr(c, instr ssa.Instruction) bool {
	if c.Block() == instr.Block() {
		return a.indexIn(c) < a.indexIn(instr)
	}
	return c.Block().Dominates(instr.Block())
}

// indexIn returns instr's position in its block, from an index built once.
func (a *analysis) indexIn(instr ssa.Instruction) int {
	if a.index == nil {
		a.index = map[ssa.Instruction]int{}
		for _, b := range a.fn.Blocks {
			for i, x := range b.Instrs {
				a.index[x] = i
			}
		}
	}
	if i, ok := a.index[instr]; ok {
		return i
	}
	return -1
}

func (a *analysis) submitStyle(instr ssa.Instruction) bool {
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	sums, _ := a.o.Callees(a.fn, call.Common())
	for _, s := range sums {
		if s != nil && s.SubmitStyle {
			return true
		}
	}
	return false
}

// targetRedrives reports whether an arm that the transition's value selects
// makes the same re-pollable call (same callee, same receiver) as src.
func (a *analysis) targetRedrives(t fact, src ssa.Instruction) bool {
	w := a.writeOf(t)
	var want effect.Effect
	for _, id := range a.byInstr[src] {
		if f := a.facts[id]; f.kind == fCall {
			want = f.eff
		}
	}
	if want.Callee == nil {
		return false
	}
	for _, f := range a.facts {
		if f.kind != fCall || f.eff.Instr == src || f.eff.Callee != want.Callee || f.eff.Loc.Path != want.Loc.Path {
			continue
		}
		arm := a.armSet(f.block, t.state)
		if !arm.top && canSelect(w, arm) {
			return true
		}
	}
	return false
}
