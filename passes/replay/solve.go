package replay

import (
	"cmp"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// flow is the dataflow state at a program point.
type flow struct {
	pending pset    // facts that re-entry would replay
	written locVals // last write of each state location on the path
	reset   locSet  // locations emptied or overwritten on every path (within the region)
	// advanced holds the state locations written on every path since the
	// header of the innermost loop that tests them: an iteration that
	// advanced its loop's cursor commits everything it did.
	advanced locSet
}

func newFlow() *flow { return &flow{} }

// copyFrom makes f equal to g, reusing f's storage: the dataflow keeps a
// few scratch states and swaps them with the blocks' outputs instead of
// allocating a state per transfer.
func (f *flow) copyFrom(g *flow) {
	f.pending.copyFrom(&g.pending)
	f.written.copyFrom(&g.written)
	f.reset.copyFrom(&g.reset)
	f.advanced.copyFrom(&g.advanced)
}

// clear empties f: nothing pending, nothing written, nothing reset.
func (f *flow) clear() {
	f.pending.clear()
	f.written.clear()
	f.reset.clear()
	f.advanced.clear()
}

func (f *flow) equal(g *flow) bool {
	return f.pending.equal(&g.pending) && f.written.equal(&g.written) && f.reset.equal(&g.reset) && f.advanced.equal(&g.advanced)
}

// merge joins g into f: pending facts union, differing writes become
// unknown, resets must hold on both paths.
func (f *flow) merge(g *flow) {
	f.pending.or(&g.pending)
	f.written.join(&g.written)
	f.reset.keepCommon(&g.reset)
	f.advanced.keepCommon(&g.advanced)
}

type record struct {
	rule  *rules.Rule
	fact  int
	yield *ssa.Return
	call  ssa.Instruction
}

func (a *analysis) solve() {
	n := len(a.fn.Blocks)
	out := make([]*flow, n)
	order := a.order().blocks
	a.pendingAtCall = map[ssa.Instruction][]int{}

	// inState computes the state at b's entry into dst: the merge of its
	// predecessors' outputs, each across its edge. It reports false when no
	// predecessor has been reached yet.
	edgeBuf := newFlow()
	inStateFrom := func(b *ssa.BasicBlock, dst *flow, keep []bool) bool {
		reached := false
		if b.Index == 0 {
			dst.clear()
			reached = true
		}
		for k, p := range b.Preds {
			o := out[p.Index]
			if o == nil || keep != nil && !keep[k] {
				continue
			}
			back := a.isBackEdge(p, b)
			narrow := a.edgeMask(p, b)
			kills := a.notDoneKills(p, b)
			if back || narrow != nil || len(kills) > 0 {
				edgeBuf.copyFrom(o)
				if back {
					a.backEdge(b, edgeBuf)
				}
				if narrow != nil {
					edgeBuf.pending.keepOnly(narrow, a.m.immune)
				}
				for _, id := range kills {
					edgeBuf.pending.del(id)
				}
				o = edgeBuf
			}
			if !reached {
				dst.copyFrom(o)
				reached = true
			} else {
				dst.merge(o)
			}
		}
		return reached
	}
	inState := func(b *ssa.BasicBlock, dst *flow) bool { return inStateFrom(b, dst, nil) }
	scratch := newFlow()

	// The transitions pending at each re-pollable call are recorded by
	// every transfer of the fixpoint, each overwriting the last: a block's
	// last transfer is made with its final input (a change of input makes
	// it dirty again), so the records left are those of the fixpoint,
	// without another pass over the blocks.
	a.recordCalls = true
	ok := forwardFixpoint(a.order(), func(b *ssa.BasicBlock) bool {
		if !inState(b, scratch) {
			return false
		}
		a.transfer(b, scratch, nil)
		if out[b.Index] != nil && scratch.equal(out[b.Index]) {
			return false
		}
		// The new output replaces the old, whose storage becomes the next
		// scratch state.
		out[b.Index], scratch = scratch, out[b.Index]
		if scratch == nil {
			scratch = newFlow()
		}
		return true
	})
	a.recordCalls = false
	if !ok {
		a.tooLarge = true
		return
	}
	// Judge the yield points in source order, so that each fact is
	// reported at the first yield it reaches and judged no more after that.
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
		info := a.yields[b.Instrs[len(b.Instrs)-1].(*ssa.Return)]
		// A yield under a test of a phi is judged on the state of the
		// predecessors whose phi value passes the test, carried down to it.
		if chain, keep := a.phiGuard(b); chain != nil {
			if info.preds != nil && !info.preds[0] || !inStateFrom(chain[0], scratch, keep) {
				continue
			}
			for i, c := range chain {
				if i > 0 {
					if narrow := a.edgeMask(chain[i-1], c); narrow != nil {
						scratch.pending.keepOnly(narrow, a.m.immune)
					}
				}
				if c == b {
					a.transfer(c, scratch, &recs)
				} else {
					a.transfer(c, scratch, nil)
				}
			}
			continue
		}
		// A yield reached only through some of its block's predecessors
		// is judged on the state those bring.
		if inStateFrom(b, scratch, info.preds) {
			a.transfer(b, scratch, &recs)
		}
	}
	a.report(recs)
}

// edgeTest returns the state location that the test ending p constrains
// along the edge to b, and the values it may hold there. Crossing such an
// edge is a dispatch: the location holds a value of the set, so re-entry
// (which starts from that value, unless a later transition changes it)
// cannot reach a pending fact whose arm admits none of them. A
// `continue` back to the switch of a state that was not written dispatches
// to the same arm only.
func (a *analysis) edgeTest(p, b *ssa.BasicBlock) (string, vset, bool) {
	ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok || p.Succs[0] == p.Succs[1] {
		return "", vset{}, false
	}
	var found *test
	for i, t := range a.ifTests[ifi] {
		if !t.constrained || !a.state[t.path] {
			continue
		}
		if found != nil {
			return "", vset{}, false // several constraints: keep it simple
		}
		found = &a.ifTests[ifi][i]
	}
	if found == nil {
		return "", vset{}, false
	}
	set := found.onTrue
	if b == p.Succs[1] {
		set = found.onFalse
	}
	if set.top {
		return "", vset{}, false
	}
	return found.path, set, true
}

// isBackEdge reports whether p->b closes a loop whose header is b.
func (a *analysis) isBackEdge(p, b *ssa.BasicBlock) bool {
	return a.loopOf[b.Index] != nil && b.Dominates(p)
}

// backEdge applies what crossing a back edge into the loop header b does:
// a loop whose condition tests persistent progress re-dispatches on it, so
// the writes of that progress made in the iteration are committed; and a
// re-pollable call that returned Done goes around a loop whose progress is
// local, so re-entry will redo it.
func (a *analysis) backEdge(b *ssa.BasicBlock, e *flow) {
	l := a.loopOf[b.Index]
	for _, loc := range l.locs.ls {
		e.pending.andNotSet(a.m.commitByLoc[loc])
	}
	for _, loc := range l.tested.ls {
		// The iteration advanced the cursor the loop's condition tests, on
		// every path through it: re-entry resumes at the next iteration,
		// so nothing this iteration did is replayed.
		if e.advanced.has(loc) {
			e.pending.andNotSet(a.loopMask(l))
		}
	}
	for _, t := range a.m.twins {
		if !l.contains(a.facts[t.call].block) || !e.pending.has(t.call) {
			continue
		}
		// A memoized callee returns Done again, with no effect, for the
		// iterations a restart repeats: restarting the loop is harmful
		// only if the iteration also repeats something that is not free
		// (a mutation, a call of a callee that is not memoized), or if
		// its memo was written since.
		if t.memo && !e.pending.intersectsSet(a.loopReplays(l)) && a.memoKept(e, t.call) {
			continue
		}
		e.pending.add(t.looped)
	}
}

// transfer applies block b to st, in place.
func (a *analysis) transfer(b *ssa.BasicBlock, st *flow, recs *[]record) {
	if l := a.loopOf[b.Index]; l != nil {
		for _, loc := range l.tested.ls {
			st.advanced.del(loc) // a new iteration starts
		}
	}
	for _, op := range a.blockOps(b) {
		for id := op.facts.lo; id < op.facts.hi; id++ {
			a.apply(st, id, b)
		}
		// A dispatch on L re-reads it where it loads L: transitions of L
		// written before that load are no longer premature. A write after
		// the load (a batch taken out, then ranged over) is not re-read.
		for _, loc := range op.reloads {
			st.pending.andNotSet(a.m.transByLoc[loc])
		}
	}
	switch instr := b.Instrs[len(b.Instrs)-1].(type) {
	case *ssa.If:
		for _, t := range a.ifTests[instr] {
			if t.load == nil {
				st.pending.andNotSet(a.m.transByLoc[t.path])
			}
		}
	case *ssa.Return:
		if recs != nil {
			if info, ok := a.yields[instr]; ok {
				a.atYield(st, instr, info, recs)
			}
		}
	}
}

// blockOp is what the transfer function does at one instruction: the
// facts it applies and the state locations it re-reads (collectFacts lists
// them).
type blockOp struct {
	facts   idRange
	reloads []string
}

// storeVal returns the value a write stores: a store's value, a map
// insert's value, or nil for a delete (the entry becomes absent).
func storeVal(instr ssa.Instruction) ssa.Value {
	switch in := instr.(type) {
	case *ssa.Store:
		return in.Val
	case *ssa.MapUpdate:
		return in.Value
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && b.Name() == "delete" && len(in.Call.Args) == 2 {
			return ssa.NewConst(nil, in.Call.Args[0].Type().Underlying().(*types.Map).Elem())
		}
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
			// The progress of a loop whose condition tests it (t.now++ in
			// for t.now < t.target) is not replayed: re-entry resumes at the
			// next iteration with it.
			if a.advancesLoop(b, f.state) {
				return
			}
			if canSelect(w, a.armSet(b, f.state)) && !a.masked(st, b) {
				st.pending.add(id)
			}
			return
		}
		// A write of the struct holding the cursor a loop's condition tests
		// (cur.advance(rec) for `for cur.off < end`) advances the loop: it
		// is the iteration's progress, not a replayed mutation.
		if loc := a.cursorUnder(b, f.eff.Loc.Path); loc != "" {
			st.advanced.add(loc)
			return
		}
		if a.coveredByReset(st, *f.eff) || a.masked(st, b) {
			return
		}
		st.pending.add(id)
	case fDeferred:
		st.pending.add(id)
	case fMoveOut:
		if st.pending.intersectsSet(a.m.reads[path]) && !a.masked(st, b) {
			st.pending.add(id)
		}
	case fBlind:
		if !a.masked(st, b) {
			st.pending.add(id)
		}
		a.addReset(st, path)
	case fReset:
		a.addReset(st, path)
	case fRestore:
		st.pending.andNotSet(a.m.restorable[path])
	case fTransition:
		if f.eff.Kind != effect.Clobber { // clobbering state writes transitioned above
			a.transition(st, f.state, a.writeOf(f), b)
		}
		if f.eff.Kind == effect.Reset {
			a.addReset(st, path) // emptied (clear(s.seen)): what follows rebuilds it
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
		st.pending.andNotSet(a.m.locks[path])
	}
}

func (a *analysis) writeOf(f fact) wval {
	if f.w != nil {
		return *f.w
	}
	if v := storeVal(f.eff.Instr); v != nil {
		w := abstractWrite(a.tr, v, f.state)
		if w.kind == wUnknown && a.recordsProduct(f.eff.Instr, v, f.state) {
			w = wval{kind: wNonNil} // a memo of its arm's product
		}
		return w
	}
	return wval{kind: wUnknown}
}

// transition records a write of state location loc and cuts the pending
// facts that re-entry can no longer reach: earlier writes of loc (superseded),
// facts in arms the written value cannot select, and facts in the same
// iteration of a loop whose condition tests loc (progress persisted).
func (a *analysis) transition(st *flow, loc string, w wval, b *ssa.BasicBlock) {
	st.pending.andNotSet(a.m.transByLoc[loc])
	if w.kind != wUnknown {
		if surv := a.survivors(loc, w); surv != nil {
			st.pending.keepOnly(surv, a.m.immune)
		}
	}
	for _, l := range a.loopsOf[b.Index] {
		if l.locs.has(loc) {
			st.pending.andNotSet(a.loopMask(l))
		}
	}
	st.written.set(loc, w)
	st.advanced.add(loc)
	st.reset.clear() // a reset in an earlier state does not excuse a later rebuild
}

// masked reports whether the state written so far on this path keeps
// re-entry away from block b.
func (a *analysis) masked(st *flow, b *ssa.BasicBlock) bool {
	for _, e := range st.written.es {
		if e.w.kind != wUnknown && !canSelect(e.w, a.armSet(b, e.loc)) {
			return true
		}
	}
	return false
}

// maxResets bounds the resets one flow state holds. Past it a reset is
// not recorded: the set only excuses clobbers that rebuild what was reset,
// so a state that forgets one reports more, never less.
const maxResets = 64

// addReset records that path was emptied or overwritten on the way, if a
// clobber at or below it may follow (the only use of the record): a
// function that overwrites a new field at every step would otherwise carry
// all of them in every block's state.
func (a *analysis) addReset(st *flow, path string) {
	if a.m.rebuilt[path] && (st.reset.len() < maxResets || st.reset.has(path)) {
		st.reset.add(path)
	}
}

// coveredByReset reports whether a clobber accumulates into a location
// reset earlier in the same region (reset-then-rebuild).
func (a *analysis) coveredByReset(st *flow, e effect.Effect) bool {
	if e.Kind != effect.Clobber || e.Loc.Path == "" {
		return false
	}
	for _, r := range st.reset.ls {
		if hasPrefixPath(e.Loc.Path, r) {
			return true
		}
	}
	return false
}

// pendingKinds is how the rules see each kind of fact; judged is false for
// the kinds that are never judged. A table, not a map: it is read once per
// fact at every yield.
var pendingKinds = [numFactKinds]struct {
	kind   rules.Kind
	judged bool
}{
	fMutation: {rules.Mutation, true}, fDeferred: {rules.DeferredMutation, true}, fMoveOut: {rules.MoveOut, true},
	fBlind: {rules.BlindWrite, true}, fCall: {rules.Call, true}, fLoopedCall: {rules.LoopedCall, true},
	fTransition: {rules.Transition, true}, fLock: {rules.Lock, true},
}

// pendingKind returns how the rules see a fact of kind k, and whether
// they judge it at all.
func pendingKind(k factKind) (rules.Kind, bool) {
	p := pendingKinds[k]
	return p.kind, p.judged
}

// atYield describes every fact pending at a yield point that no rule has
// reported yet, and lets the rules judge it.
func (a *analysis) atYield(st *flow, ret *ssa.Return, info *yieldInfo, recs *[]record) {
	calls := a.propagatedCalls(info)
	sources := sortedInstrs(info.sources)
	var restored, unlocked []string
	st.pending.eachAnd(a.m.deferred, func(id int) {
		switch f := a.facts[id]; f.kind {
		case fDeferRestore:
			restored = append(restored, f.eff.Loc.Path)
		case fDeferUnlock:
			unlocked = append(unlocked, f.eff.Loc.Path)
		}
	})
	a.prematureAdvances(st, ret, recs)
	// Whether this is a progress yield is asked only of a fact it could
	// commit: the backward walk to the guards is the costly part of a
	// yield with few such facts.
	progress, progressKnown := false, false
	commits := func(k factKind) bool {
		if !committedByProgress[k] {
			return false
		}
		if !progressKnown {
			progress, progressKnown = a.progressYield(st, ret), true
		}
		return progress
	}
	handed := a.returnedProgress(ret)
	judged := rules.Judged()
	// Only the facts not yet reported are judged: yields are visited in
	// source order, and a fact is reported at the first yield it reaches.
	// One Pending serves every fact of this yield: the rules read it and
	// keep nothing of it, and a yield may see thousands of facts.
	var pend rules.Pending
	st.pending.eachAndNot(a.judged, func(id int) {
		f := a.facts[id]
		if commits(f.kind) || a.handedBack(&f, handed) {
			return
		}
		kind, _ := pendingKind(f.kind)
		masked := false
		if f.kind != fLock && f.kind != fTransition && f.kind != fDeferred {
			masked = a.masked(st, f.block)
			if masked && rules.SteeredAway(kind) {
				// No rule reports a fact re-entry cannot reach: skip the
				// rest (a fact of an earlier state's arm stays pending, and
				// is met again at every later yield).
				return
			}
		}
		pend = rules.Pending{Kind: kind, Effect: *f.eff, Idempotent: f.eff.Idempotent, Waits: pend.Waits[:0]}
		p := &pend
		if f.kind == fCall {
			p.Memoized = a.cleanDoneCall(f.eff.Instr) || (a.memoizedCall(f.eff.Instr) && a.memoKept(st, id))
		}
		switch f.kind {
		case fLock:
			p.Released = slices.Contains(unlocked, f.eff.Loc.Path)
		case fTransition:
			for _, src := range sources {
				if slices.Contains(a.pendingAtCall[src], id) {
					p.Waits = append(p.Waits, a.wait(id, src))
				}
			}
		}
		if f.kind != fLock && f.kind != fDeferred {
			for _, r := range restored {
				if hasPrefixPath(f.eff.Loc.Path, r) {
					p.Restored = true
				}
			}
		}
		if f.kind != fLock && f.kind != fTransition && f.kind != fDeferred {
			p.Continued = calls != nil && !a.beforeAny(f.eff.Instr, calls) && !a.restartedWith(f.block, calls)
			p.Masked = masked
			p.Forwarded = info.sources[f.eff.Instr]
		}
		for _, r := range judged {
			if ok, call := r.Judge(p); ok {
				*recs = append(*recs, record{r, id, ret, call})
				a.judged.add(id)
				return
			}
		}
	})
}

// wait describes the forwarded call src, started while transition id was
// pending, with the reasons re-entry may still drive it.
func (a *analysis) wait(id int, src ssa.Instruction) rules.Wait {
	f := a.facts[id]
	w := rules.Wait{Call: src}
	// Re-entry with the written value that still reaches the call re-drives
	// it (s.state = X; fallthrough into X's arm).
	w.Reaches = canSelect(a.writeOf(f), a.armSet(src.Block(), f.state))
	if !w.Reaches {
		// A submit-style callee's IO means "submitted"; and an arm the
		// value selects may make the same call on the same receiver.
		w.SubmitStyle = a.submitStyle(src)
		w.Redriven = a.targetRedrives(f, src)
	}
	return w
}

// sortedInstrs returns the instructions of a set in source order.
func sortedInstrs(set map[ssa.Instruction]bool) []ssa.Instruction {
	out := make([]ssa.Instruction, 0, len(set))
	for i := range set {
		out = append(out, i)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// report keeps, for each fact and rule, the earliest yield point it reaches.
func (a *analysis) report(recs []record) {
	type key struct {
		rule *rules.Rule
		fact int
	}
	best := make(map[key]record, len(recs))
	for _, r := range recs {
		k := key{r.rule, r.fact}
		if old, ok := best[k]; !ok || r.yield.Pos() < old.yield.Pos() {
			best[k] = r
		}
	}
	type site struct {
		rule  *rules.Rule
		instr ssa.Instruction
	}
	seen := make(map[site]bool, len(best))
	a.findings = slices.Grow(a.findings, len(best))
	for _, r := range sortedRecords(best) {
		f := a.facts[r.fact]
		// One finding per instruction and rule (an instruction may have
		// several facts, e.g. a clobber of a state location).
		k := site{r.rule, f.eff.Instr}
		if seen[k] {
			continue
		}
		seen[k] = true
		fd := Finding{Rule: r.rule, Effect: *f.eff, Yield: r.yield.Pos(), Call: r.call, InLoop: f.kind == fLoopedCall}
		if r.call != nil {
			fd.CallName = a.repollName(r.call)
		}
		a.findings = append(a.findings, fd)
	}
	sortFindings(a.findings)
}

// sortFindings orders findings by position, then rule, keeping the order
// of equal ones. Positions are computed once each, not at every
// comparison, and small keys are sorted, not the findings: the findings
// are then moved into place once each, along the permutation's cycles.
func sortFindings(fs []Finding) {
	type keyed struct {
		pos  token.Pos
		rule string
		from int // the finding's index before the sort; -1 once moved
	}
	ks := make([]keyed, len(fs))
	for i := range fs {
		ks[i] = keyed{fs[i].Position(), fs[i].Rule.Name, i}
	}
	slices.SortStableFunc(ks, func(x, y keyed) int {
		if x.pos != y.pos {
			return cmp.Compare(x.pos, y.pos)
		}
		return strings.Compare(x.rule, y.rule)
	})
	// Position j takes the finding from ks[j].from: each cycle of the
	// permutation is followed once, its first finding held aside.
	for i := range ks {
		if ks[i].from < 0 || ks[i].from == i {
			continue
		}
		held := fs[i]
		for j := i; ; {
			k := ks[j].from
			ks[j].from = -1
			if k == i {
				fs[j] = held
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}

// sortedRecords orders the kept records deterministically.
func sortedRecords[K comparable](m map[K]record) []record {
	out := make([]record, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	// The keys are distinct: any sort gives the one order.
	slices.SortFunc(out, func(x, y record) int {
		if x.fact != y.fact {
			return cmp.Compare(x.fact, y.fact)
		}
		return strings.Compare(x.rule.Name, y.rule.Name)
	})
	return out
}

// repollName names the re-pollable call at instr for messages
// ("s.cur.Next"), or "the call".
func (a *analysis) repollName(instr ssa.Instruction) string {
	for _, e := range a.cls.Of(instr) {
		if e.Kind == effect.Repoll {
			return e.Name
		}
	}
	return "the call"
}

// propagatedCalls returns the re-pollable calls whose IO the yield
// propagates, or nil when the yield may carry anything else.
func (a *analysis) propagatedCalls(info *yieldInfo) []ssa.Instruction {
	var calls []ssa.Instruction
	for src := range info.sources {
		repoll := false
		for id := range a.byInstr[src].ids() {
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

// scanBlock is the size up to which indexIn looks for an instruction in
// its block by a scan: a few dozen comparisons cost less than hashing it,
// and an index of every instruction of a large function (a map entry per
// instruction, most never asked about) cost more than the rest of the
// dominance questions together.
const scanBlock = 64

// indexIn returns instr's position in its block, or -1: by a scan of a
// small block, from an index of a larger block built on its first use.
// An instruction of another function (a closure's) is at -1, as it is
// nowhere in this one.
func (a *analysis) indexIn(instr ssa.Instruction) int {
	b := instr.Block()
	if b == nil || b.Parent() != a.fn {
		return -1
	}
	if len(b.Instrs) <= scanBlock {
		for i, x := range b.Instrs {
			if x == instr {
				return i
			}
		}
		return -1
	}
	if a.indexed == nil {
		a.indexed = make([]bool, len(a.fn.Blocks))
		a.index = map[ssa.Instruction]int{}
	}
	if b.Index < len(a.indexed) && a.fn.Blocks[b.Index] == b && !a.indexed[b.Index] {
		a.indexed[b.Index] = true
		for i, x := range b.Instrs {
			a.index[x] = i
		}
	}
	if i, ok := a.index[instr]; ok {
		return i
	}
	return -1
}

// everyCallee reports whether a call reaches some callee and every
// summary of what it may reach satisfies ok (given nil for a callee
// without one).
func (a *analysis) everyCallee(instr ssa.Instruction, ok func(s *effect.Summary) bool) bool {
	call := ssax.Call(instr)
	if call == nil {
		return false
	}
	sums, _ := a.o.Callees(a.fn, call.Common())
	for _, s := range sums {
		if !ok(s) {
			return false
		}
	}
	return len(sums) > 0
}

// memoizedCall reports whether every callee a call may reach is memoized
// (summary.Memoized): called again with the same arguments after its
// Done, it returns Done at once with no effect. A pure callee changes
// nothing: repeating it is as free as repeating a memoized one (a
// read-only check, a parser of the caller's bytes).
func (a *analysis) memoizedCall(instr ssa.Instruction) bool {
	return a.everyCallee(instr, func(s *effect.Summary) bool { return s == nil || s.Memoized || s.Pure() })
}

// cleanDoneCall reports whether every callee a call may reach writes
// nothing on its way to Done (summary.CleanDone) or is pure: the call that
// returned Done changed nothing, so running it again repeats nothing,
// whatever was written since.
func (a *analysis) cleanDoneCall(instr ssa.Instruction) bool {
	return a.everyCallee(instr, func(s *effect.Summary) bool { return s == nil || s.CleanDone || s.Pure() })
}

func (a *analysis) submitStyle(instr ssa.Instruction) bool {
	call := ssax.Call(instr)
	if call == nil {
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
// sameArgs reports whether two calls pass the same arguments, as far as
// re-entry can tell: the same constants, parameters or loads of the same
// persistent location. A call with other arguments (another page, another
// buffer) is another operation, not the same one driven again.
func (a *analysis) sameArgs(x, y ssa.Instruction) bool {
	cx, cy := ssax.Call(x), ssax.Call(y)
	if cx == nil || cy == nil || len(cx.Common().Args) != len(cy.Common().Args) {
		return false
	}
	ax, ay := cx.Common().Args, cy.Common().Args
	start := 0
	if cx.Common().Signature().Recv() != nil && !cx.Common().IsInvoke() {
		start = 1 // the receiver was compared by path
	}
	for i := start; i < len(ax); i++ {
		if !a.sameValue(ax[i], ay[i]) {
			return false
		}
	}
	return true
}

func (a *analysis) sameValue(x, y ssa.Value) bool {
	if x == y {
		return true
	}
	if cx, ok := x.(*ssa.Const); ok {
		cy, ok := y.(*ssa.Const)
		return ok && constKey(cx) == constKey(cy) && types.Identical(cx.Type(), cy.Type())
	}
	ax, okx := persist.IsLoad(x)
	ay, oky := persist.IsLoad(y)
	if okx && oky && ax == ay {
		// Loads of one local that is stored once (a parameter a closure
		// captures lives in such a cell).
		if cell, ok := ax.(*ssa.Alloc); ok && ssax.OnlyStore(cell) != nil {
			return true
		}
	}
	if okx && oky {
		lx, ly := a.tr.Of(ax), a.tr.Of(ay)
		return lx.Root.Persistent() && lx.Root == ly.Root && lx.Path == ly.Path && !lx.Collapsed
	}
	return false
}

// cursorUnder returns the state location a loop containing b tests that
// lies inside path (a call that mutates s.cur advances for s.cur.off < n),
// or "".
func (a *analysis) cursorUnder(b *ssa.BasicBlock, path string) string {
	if path == "" {
		return ""
	}
	for _, l := range a.loopsOf[b.Index] {
		for _, loc := range l.tested.ls {
			if loc != path && hasPrefixPath(loc, path) {
				return loc
			}
		}
	}
	return ""
}

// restartedWith reports whether b shares with one of calls a loop whose
// progress is held in locals. Re-entry restarts such a loop from its first
// iteration, so a call that dominated b in a later iteration is not the one
// re-entry re-polls first: the earlier iterations, b included, run again.
func (a *analysis) restartedWith(b *ssa.BasicBlock, calls []ssa.Instruction) bool {
	for _, l := range a.loopsOf[b.Index] {
		if !l.local {
			continue
		}
		for _, c := range calls {
			if l.contains(c.Block()) {
				return true
			}
		}
	}
	return false
}

// advancesLoop reports whether b lies in a loop whose condition tests loc.
func (a *analysis) advancesLoop(b *ssa.BasicBlock, loc string) bool {
	for _, l := range a.loopsOf[b.Index] {
		if l.locs.has(loc) {
			return true
		}
	}
	return false
}

func (a *analysis) targetRedrives(t fact, src ssa.Instruction) bool {
	w := a.writeOf(t)
	var want effect.Effect
	for id := range a.byInstr[src].ids() {
		if f := a.facts[id]; f.kind == fCall {
			want = *f.eff
		}
	}
	if want.Callee == nil {
		return false
	}
	for _, f := range a.facts {
		if f.kind != fCall || f.eff.Instr == src || f.eff.Callee != want.Callee || f.eff.Loc.Path != want.Loc.Path ||
			!a.sameArgs(f.eff.Instr, src) {
			continue
		}
		arm := a.armSet(f.block, t.state)
		if !arm.top && canSelect(w, arm) {
			return true
		}
	}
	return false
}
