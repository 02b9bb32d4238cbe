package replay

import (
	"go/token"
	"go/types"
	"iter"
	"slices"
	"sort"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/ssa"
)

// Oracle is what the analysis needs to know about declarations.
type Oracle interface {
	effect.Oracle
	IOResultIndexes(sig *types.Signature) []int
	IsIOResult(t types.Type) bool
	// Yields answers for the error and status spellings; nil when only
	// the result-type spelling is declared.
	Yields() *yields.Yields
}

// memoSource is an oracle that classified fn before the analysis (the
// summaries do): what it traced and classified is reused, not computed
// again.
type memoSource interface {
	TakeMemo(fn *ssa.Function) *effect.Memo
}

// Finding is one problem found in a resumable function: the engine fills
// it, its rule (package rules) words it.
type Finding = rules.Finding

// factKind is how a pending fact is judged at a yield point.
type factKind uint8

const (
	fMutation     factKind = iota // R1
	fDeferred                     // R1, immune to cuts: runs at the return itself
	fBlind                        // blind-overwrite
	fCall                         // R2: a re-pollable call that returned Done
	fTransition                   // R3: a state write not yet re-dispatched
	fRead                         // a value read of a location (turns a later blind write into a move-out)
	fMoveOut                      // a blind write that is a mutation if a read of its location is pending
	fReset                        // a reset: later clobbers of the location rebuild it (no report)
	fRestore                      // writes back a saved value: cancels pending mutations of the location
	fDeferRestore                 // a deferred write of a location: at every yield it overrides what is pending there
	fLock                         // a mutex locked and not yet unlocked (held-across-yield)
	fUnlock                       // unlocks a mutex: cancels its pending lock
	fDeferUnlock                  // a deferred unlock: releases the mutex at every return
	fLoopedCall                   // a re-pollable call that went around a loop whose progress is local

	numFactKinds // the number of kinds, for tables indexed by kind
)

type fact struct {
	kind factKind
	// eff points into the effects collectFacts gathered (or made, for
	// lock operations and helpers' writes): an effect is large, several
	// facts share one, and the facts of a large function were most of
	// what its analysis allocated when each held a copy.
	eff   *effect.Effect
	block *ssa.BasicBlock
	state string // for state writes and transitions: the location written
	w     *wval  // the value written, for transitions made through a helper
}

// Analyze finds the problems of one resumable function.
func Analyze(fn *ssa.Function, o Oracle) []Finding {
	if fn.Blocks == nil {
		return nil
	}
	resIdx := o.IOResultIndexes(fn.Signature)
	spelling := yields.Result
	y := o.Yields()
	if len(resIdx) == 0 {
		if y == nil {
			return nil
		}
		if spelling = y.Func(fn); spelling == yields.None {
			return nil
		}
		i, _ := y.Carrier(fn.Signature)
		resIdx = []int{i}
	}
	a := &analysis{fn: fn, o: o, cls: effect.New(fn, o), resIdx: resIdx, spelling: spelling, y: y}
	if ms, ok := o.(memoSource); ok {
		if m := ms.TakeMemo(fn); m != nil {
			a.cls = effect.NewFromMemo(m, fn, o)
		}
	}
	if obj, ok := fn.Object().(*types.Func); ok && o.IsIdempotent(obj) {
		a.idempotent = true
	}
	a.tr = a.cls.Tracer
	a.live = ssax.Live(fn)
	a.findYields()
	a.findIgnoredIO()
	a.findLostCopies()
	if len(a.yields) == 0 {
		return a.liveFindings()
	}
	a.findFreshDrivers()
	a.findDispatch()
	if a.tooLarge {
		return a.tooLargeFinding()
	}
	a.findLoops()
	a.collectFacts()
	a.findCarriedLocals()
	a.buildMasks()
	a.solve()
	if a.tooLarge {
		return a.tooLargeFinding()
	}
	return a.liveFindings()
}

// Live reports, per block index, whether the block can run: code a
// constant condition rules out (`if debug {...}` with debug a false
// constant) never does, and nothing in it is reported.
func Live(fn *ssa.Function) []bool { return ssax.Live(fn) }

// liveFindings returns the findings outside code a constant condition
// rules out. Facts and yields there are never collected; this also drops
// what the other checks (discarded results, lost copies) find in it.
func (a *analysis) liveFindings() []Finding {
	return slices.DeleteFunc(a.findings, func(f Finding) bool {
		return f.Effect.Instr != nil && f.Effect.Instr.Block() != nil && !a.live[f.Effect.Instr.Block().Index]
	})
}

type analysis struct {
	fn     *ssa.Function
	rpo    *blockOrder // fn's blocks in reverse postorder (order)
	o      Oracle
	cls    *effect.Classifier
	tr     *persist.Tracer
	resIdx []int
	live   []bool // per block: can run (ssax.Live); dead blocks hold no facts and no yields
	// spelling is how the function yields; for the error and status
	// spellings resIdx holds the one result that carries the yield and y
	// decides what it may be.
	spelling yields.Spelling
	y        *yields.Yields

	yields   map[*ssa.Return]*yieldInfo
	copies   *copySearch // the searches for lost changes of copies (copyreach.go)
	errExits map[*ssa.Return]bool
	ifTests  map[*ssa.If][]test
	state    map[string]bool // state locations: tested by a dispatch and written here
	allowed  []map[string]vset

	// reloads maps the load a dispatch test reads its value with to the
	// locations it reads: the re-dispatch happens there, not at the If.
	reloads map[ssa.Instruction][]string

	loops   []*loop
	loopOf  []*loop   // by header's index, nil for a block that heads none
	loopsOf [][]*loop // by block index: the loops containing it, innermost first

	facts     []fact
	byInstr   map[ssa.Instruction]idRange // fact ids generated at an instruction
	blindLocs map[string]bool             // locations blindly written somewhere (for move-out reads)
	ops       []blockOp                   // what the transfer does, block after block (collectFacts; blockOps)
	opsEnd    []int32                     // per block index: where its operations in ops end

	pendingAtCall map[ssa.Instruction][]int              // the transitions pending when a re-pollable call starts
	index         map[ssa.Instruction]int                // the positions of the instructions of large blocks (indexIn)
	indexed       []bool                                 // by block index: its instructions are in index
	m             *masks                                 // fact sets precomputed for the dataflow
	tooLarge      bool                                   // the dataflow ran out of its work budget
	judged        bitset                                 // facts reported at a yield already, or never reported
	stateKeys     map[string][]ssa.Value                 // keyed state locations (map entries): the keys their tests look up
	recordCalls   bool                                   // the transfer records pendingAtCall (during the fixpoint)
	idempotent    bool                                   // the function is declared idempotent: its writes are not mutations
	helperSets    map[ssa.Instruction][]effect.MappedSet // transitions made by helpers
	looped        map[int]int                            // fCall fact -> its fLoopedCall twin
	perCallRecv   map[ssa.Instruction]string             // calls on a per-call object: the object's path
	refPaired     map[ssa.Instruction]bool               // acquisitions of references a deferred release drops
	perCallParams map[int]bool                           // parameters every caller passes a per-call object for
	converted     map[*ssa.Call]bool                     // lazily: calls whose yield a finishing return answers
	parked        map[*ssa.Call]bool                     // with converted: calls whose yield a branch hands to persistent state
	cyclic        []bool                                 // lazily: blocks on a cycle
	notDone       *[]notDoneEdge                         // lazily: the not-done edges of tested results
	kills         map[*ssa.BasicBlock]notDoneKill        // lazily: by a not-done edge's source, what it clears
	findings      []Finding
}

type yieldInfo struct {
	sources map[ssa.Instruction]bool // calls whose IO this return may propagate
	// preds, when set, says through which of the return block's
	// predecessors the return yields: the carrier is a phi of the block
	// and only some of its edges may be the yield (err := ErrWouldBlock;
	// if closed { count++; err = ErrClosed }; return err). What happened
	// only on the other edges does not run before this yield.
	preds []bool
}

// isState reports whether an effect writes a state location: a tested
// location, and for a map entry, one written with a key that was tested.
func (a *analysis) isState(e effect.Effect) bool {
	if !a.state[e.Loc.Path] {
		return false
	}
	if _, keyed := a.stateKeys[e.Loc.Path]; !keyed {
		return true
	}
	switch in := e.Instr.(type) {
	case *ssa.MapUpdate:
		return a.sameKey(e.Loc.Path, in.Key)
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && b.Name() == "delete" && len(in.Call.Args) == 2 {
			return a.sameKey(e.Loc.Path, in.Call.Args[1])
		}
	}
	return false
}

// maxStateKeys bounds the keys recorded for one keyed state location. A
// function that tests one map under more distinct keys is past what the
// same-key check is for: its entries are then no state location at all
// (less precise, never quadratic).
const maxStateKeys = 16

// addStateKey records a key a test of the map entry at path looks up.
func (a *analysis) addStateKey(path string, key ssa.Value) {
	keys, seen := a.stateKeys[path]
	if seen && keys == nil {
		return // overflowed
	}
	for _, k := range keys {
		if k == key {
			return
		}
	}
	if len(keys) >= maxStateKeys {
		a.stateKeys[path] = nil // keyed, but no key is trusted any more
		return
	}
	a.stateKeys[path] = append(keys, key)
}

// sameKey reports whether key is one of the keys the tests of the map
// entry at path look up (the same value, constant, parameter or load).
func (a *analysis) sameKey(path string, key ssa.Value) bool {
	for _, k := range a.stateKeys[path] {
		if a.sameValue(k, key) {
			return true
		}
	}
	return false
}

// tooLargeFinding replaces the function's findings when its analysis ran
// out of its work budget: the function is reported as not analyzed.
func (a *analysis) tooLargeFinding() []Finding {
	return []Finding{*rules.NotAnalyzed(a.fn.Pos(), a.fn.Name())}
}

// ---- yield points ----

func (a *analysis) findYields() {
	a.yields = map[*ssa.Return]*yieldInfo{}
	a.errExits = map[*ssa.Return]bool{}
	errIdx := -1
	res := a.fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if isErrorType(res.At(i).Type()) {
			errIdx = i
		}
	}
	if a.spelling != yields.Result {
		a.findSpelledYields(errIdx)
		return
	}
	for _, b := range a.fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || !a.live[b.Index] {
			continue
		}
		if errIdx >= 0 && errIdx < len(ret.Results) && ssax.NonNilError(ret.Results[errIdx], b) {
			a.errExits[ret] = true
			continue // an error exit: the caller does not re-enter
		}
		info := &yieldInfo{sources: map[ssa.Instruction]bool{}}
		may := false
		for _, i := range a.resIdx {
			if i < len(ret.Results) && a.ioSources(ret.Results[i], info.sources, 0, map[ssa.Value]bool{}) {
				may = true
			}
		}
		if may {
			a.guardedBy(b, info)
			a.yields[ret] = info
		}
	}
}

// findSpelledYields finds the yield points of a function that yields in the
// error or status spelling: the returns whose carrier may be the yield
// value. In the error spelling a return whose error is certainly non-nil
// and no yield is an error exit; in both, every other return ends the
// caller's loop.
func (a *analysis) findSpelledYields(errIdx int) {
	carrier := a.resIdx[0]
	for _, b := range a.fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || carrier >= len(ret.Results) || !a.live[b.Index] {
			continue
		}
		info := &yieldInfo{sources: map[ssa.Instruction]bool{}}
		if a.y.Trace(ret.Results[carrier], b, a.spelling, info.sources) {
			a.guardedBy(b, info)
			a.yields[ret] = info
			info.preds = a.yieldingPreds(ret.Results[carrier], b)
			continue
		}
		if errIdx >= 0 && errIdx < len(ret.Results) && ssax.NonNilError(ret.Results[errIdx], b) {
			a.errExits[ret] = true
		}
	}
}

// yieldingPreds returns, for a carrier that is a phi of the return block,
// which incoming edges may carry the yield, or nil when all may.
func (a *analysis) yieldingPreds(v ssa.Value, b *ssa.BasicBlock) []bool {
	// A result cell (a function with a defer) returns what its block
	// stored last.
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if cell, ok := ld.X.(*ssa.Alloc); ok {
			if st := ssax.ReachingStore(cell, ld); st != nil {
				v = st.Val
			}
		}
	}
	phi, ok := v.(*ssa.Phi)
	if !ok || phi.Block() != b {
		return nil
	}
	keep := make([]bool, len(b.Preds))
	all := true
	for k, e := range phi.Edges {
		keep[k] = a.y.Trace(e, b.Preds[k], a.spelling, map[ssa.Instruction]bool{})
		all = all && keep[k]
	}
	if all {
		return nil
	}
	return keep
}

// readyDepth bounds how far up the dominator tree guardedBy looks for the
// test of a callee's result.
const readyDepth = 4

// guardedBy adds to a yield's sources the re-pollable calls whose result is
// tested by a branch the yield's block lies in, when the yield itself
// forwards no re-pollable call: a fresh not-done result returned only when
// a callee's result is not done (p := sub.Poll(); if !p.IsReady() { return
// Pending() }, the ready! idiom of poll futures) forwards that callee's
// yield. The callee is being re-polled, not abandoned, and its result is
// not dropped.
func (a *analysis) guardedBy(b *ssa.BasicBlock, info *yieldInfo) {
	for src := range info.sources {
		if call, ok := src.(*ssa.Call); ok && !a.isConstructor(call) && a.o.Resumable(&call.Call) {
			return // it forwards a call already
		}
	}
	for child, d, k := b, b.Idom(), 0; d != nil && k < readyDepth; child, d, k = d, d.Idom(), k+1 {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		var branch *ssa.BasicBlock
		for _, succ := range d.Succs {
			if ssax.EdgeDominates(d, succ, child) {
				branch = succ
			}
		}
		if branch == nil {
			continue
		}
		// The not-done branch is the one that does not use the callee's
		// value: the done branch reads it (r.Value()), the ready! branch
		// only returns Pending.
		if call := a.testedResult(ifi.Cond); call != nil && !usedUnder(call, branch) {
			info.sources[call] = true
			return
		}
	}
}

// tryCall returns the call whose boolean result cond is, or negates: a
// try-operation (`if !q.TryPush(x) { return ErrWouldBlock }`) whose
// failure is the yield. Re-entry retries it: it is the operation that
// could not complete, the would-block's source, as a forwarded call is,
// and what it does is not a repetition (a try-operation that fails does
// nothing; one that succeeds does not yield).
func tryCall(cond ssa.Value) *ssa.Call {
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond = not.X
	}
	call, ok := cond.(*ssa.Call)
	if !ok {
		return nil
	}
	if _, builtin := call.Call.Value.(*ssa.Builtin); builtin {
		return nil
	}
	if b, ok := call.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil
	}
	return call
}

// usedUnder reports whether the result of call (directly, through an
// Extract, or through a local it was stored in) is used in a block that
// branch dominates.
func usedUnder(call *ssa.Call, branch *ssa.BasicBlock) bool {
	values := []ssa.Value{call}
	for depth := 0; depth < 4 && len(values) > 0; depth++ {
		var next []ssa.Value
		for _, v := range values {
			refs := v.Referrers()
			if refs == nil {
				continue
			}
			for _, r := range *refs {
				if branch.Dominates(r.Block()) {
					if _, debug := r.(*ssa.DebugRef); !debug {
						return true
					}
				}
				switch r := r.(type) {
				case *ssa.Extract:
					next = append(next, r)
				case *ssa.Store:
					if cell, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v {
						next = append(next, cell)
					}
				case *ssa.UnOp:
					next = append(next, r)
				}
			}
		}
		values = next
	}
	return false
}

// testedResult returns the re-pollable call whose ioresult cond tests
// (r.IsReady(), !r.IsIO(), r.Pending), or nil.
func (a *analysis) testedResult(cond ssa.Value) *ssa.Call {
	if a.spelling != yields.Result {
		if call := a.y.TestedCall(cond); call != nil && !a.isConstructor(call) {
			return call
		}
		return tryCall(cond)
	}
	for depth := 0; depth < 6; depth++ {
		switch v := cond.(type) {
		case *ssa.UnOp:
			if v.Op == token.NOT {
				cond = v.X
				continue
			}
		case *ssa.Call:
			if !a.isConstructor(v) && a.o.Resumable(&v.Call) {
				if fn := callee.Object(&v.Call); fn == nil || !a.o.IsDone(fn) {
					return v // the re-pollable call whose result is tested
				}
				return nil
			}
			// A query of the result itself (r.IsReady(), r.Pending()): a
			// method of the ioresult type. Accessors that reach into the
			// Done value (r.Value().Read.Finished()) test something else.
			recv := v.Call.Signature().Recv()
			if v.Call.IsInvoke() || len(v.Call.Args) == 0 || recv == nil || !a.o.IsIOResult(deref(recv.Type())) {
				return nil
			}
			cond = v.Call.Args[0]
			continue
		case *ssa.Extract:
			cond = v.Tuple
			continue
		case *ssa.Field:
			if !a.o.IsIOResult(v.X.Type()) {
				return nil
			}
			cond = v.X
			continue
		case *ssa.Alloc: // a local the result was stored in (a method with a pointer receiver)
			if st := ssax.OnlyStore(v); st != nil {
				cond = st.Val
				continue
			}
		}
		if addr, ok := persist.IsLoad(cond); ok {
			cond = addr
			continue
		}
		return nil
	}
	return nil
}

// deref returns the element type of a pointer type, or t.
func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// ioSources reports whether v may be the IO variant, collecting the calls
// whose result it forwards.
func (a *analysis) ioSources(v ssa.Value, into map[ssa.Instruction]bool, depth int, seen map[ssa.Value]bool) bool {
	if v == nil || depth > 16 || seen[v] {
		return false
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return false // the zero value is Done
	case *ssa.Extract:
		return a.ioSources(v.Tuple, into, depth+1, seen)
	case *ssa.Call:
		if fn := callee.Object(v.Common()); fn != nil && a.o.IsDone(fn) {
			return false
		}
		into[v] = true
		for _, arg := range v.Call.Args {
			if root := a.ioresultRoot(arg, 0); root != nil {
				a.ioSources(root, into, depth+1, seen)
			}
		}
		return true
	case *ssa.Phi:
		may := false
		for _, e := range v.Edges {
			if a.ioSources(e, into, depth+1, seen) {
				may = true
			}
		}
		return may
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if cell, ok := v.X.(*ssa.Alloc); ok && cell.Referrers() != nil {
				// A result cell (named results, or any function with a
				// defer): each return loads what its own path stored
				// just before it, so only that store decides.
				if st := ssax.ReachingStore(cell, v); st != nil {
					return a.ioSources(st.Val, into, depth+1, seen)
				}
				may := false
				for _, r := range *cell.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
						if a.ioSources(st.Val, into, depth+1, seen) {
							may = true
						}
					}
				}
				return may
			}
		}
	case *ssa.ChangeType:
		return a.ioSources(v.X, into, depth+1, seen)
	}
	return true // anything the analysis cannot prove Done
}

// ioresultRoot finds the ioresult value an argument forwards: the value
// itself, or its completion taken out of it (Wait(r.c) on a local r, or
// Wait(r.Completion())). Other accessors (r.Value()) give the Done value:
// a completion carried in it was submitted, not propagated.
func (a *analysis) ioresultRoot(v ssa.Value, depth int) ssa.Value {
	if v == nil || depth > 6 {
		return nil
	}
	if a.isIOResultValue(v) {
		return v
	}
	if depth > 0 || !a.o.IsCompletion(v.Type()) {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Field:
		return a.direct(v.X)
	case *ssa.Call:
		if !v.Call.IsInvoke() && v.Call.Signature().Recv() != nil && len(v.Call.Args) > 0 {
			return a.direct(v.Call.Args[0])
		}
	case *ssa.UnOp:
		// r.c where r is a local variable: a load from a field of its cell.
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
			return a.direct(fa.X)
		}
	}
	return nil
}

// direct returns v if it is an ioresult value, or the ioresult value that a
// local variable cell v holds.
func (a *analysis) direct(v ssa.Value) ssa.Value {
	if a.isIOResultValue(v) {
		return v
	}
	if cell, ok := v.(*ssa.Alloc); ok && cell.Referrers() != nil {
		for _, r := range *cell.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cell && a.isIOResultValue(st.Val) {
				return st.Val
			}
		}
	}
	return nil
}

func (a *analysis) isIOResultValue(v ssa.Value) bool {
	if t, ok := v.Type().(*types.Tuple); ok {
		for i := 0; i < t.Len(); i++ {
			if a.o.IsIOResult(t.At(i).Type()) {
				return true
			}
		}
		return false
	}
	return a.o.IsIOResult(v.Type())
}

// ---- dispatch points and state locations ----

func (a *analysis) findDispatch() {
	a.ifTests = map[*ssa.If][]test{}
	a.reloads = map[ssa.Instruction][]string{}
	a.stateKeys = map[string][]ssa.Value{}
	tested := map[string]bool{}
	for _, b := range a.fn.Blocks {
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			ts := tests(a.tr, ifi.Cond)
			if len(ts) > 0 {
				a.ifTests[ifi] = ts
				for _, t := range ts {
					if load, ok := t.load.(ssa.Instruction); ok && !slices.Contains(a.reloads[load], t.path) {
						a.reloads[load] = append(a.reloads[load], t.path)
					}
					tested[t.path] = true
					if t.key != nil {
						a.addStateKey(t.path, t.key)
					}
				}
			}
		}
	}
	a.state = map[string]bool{}
	a.helperSets = map[ssa.Instruction][]effect.MappedSet{}
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Store:
				if l := a.tr.Of(in.Addr); l.Root.Persistent() && tested[l.Path] {
					a.state[l.Path] = true
				}
			case *ssa.MapUpdate:
				if l := a.tr.Of(in.Map).Elem(); l.Root.Persistent() && tested[l.Path] && a.sameKey(l.Path, in.Key) {
					a.state[l.Path] = true
				}
			case *ssa.Call:
				for _, m := range a.cls.HelperSets(&in.Call) {
					if tested[m.Loc.Path] {
						a.state[m.Loc.Path] = true
						a.helperSets[in] = append(a.helperSets[in], m)
					}
				}
			}
		}
	}
	// allowed[b][L]: the entry values of L that lead to b. Forward, union at
	// merges, restricted by the edges of constraining tests.
	n := len(a.fn.Blocks)
	a.allowed = make([]map[string]vset, n)
	if len(a.state) == 0 {
		for i := range a.allowed {
			a.allowed[i] = map[string]vset{}
		}
		return
	}
	visited := make([]bool, n)
	ok := forwardFixpoint(a.order(), func(b *ssa.BasicBlock) bool {
		var in map[string]vset
		if b.Index == 0 {
			in = map[string]vset{}
		}
		reached := b.Index == 0
		for _, p := range b.Preds {
			if !visited[p.Index] {
				continue
			}
			out := a.edgeAllowed(p, b)
			if !reached {
				in = out
				reached = true
				continue
			}
			in = joinAllowed(in, out)
		}
		if !reached || (visited[b.Index] && equalAllowed(in, a.allowed[b.Index])) {
			return false
		}
		a.allowed[b.Index] = in
		visited[b.Index] = true
		return true
	})
	if !ok {
		a.tooLarge = true
		return
	}
	for i := range a.allowed {
		if a.allowed[i] == nil {
			a.allowed[i] = map[string]vset{}
		}
	}
}

// edgeAllowed is p's allowed map restricted by p's test along the edge to b.
func (a *analysis) edgeAllowed(p, b *ssa.BasicBlock) map[string]vset {
	base := a.allowed[p.Index]
	ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok {
		return base
	}
	ts := a.ifTests[ifi]
	if len(ts) == 0 || p.Succs[0] == p.Succs[1] {
		return base
	}
	applies := false
	for _, t := range ts {
		applies = applies || t.constrained && a.state[t.path]
	}
	if !applies {
		return base // no test of a state location: nothing to narrow, nothing to copy
	}
	out := make(map[string]vset, len(base)+1)
	for k, v := range base {
		out[k] = v
	}
	for _, t := range ts {
		if !t.constrained || !a.state[t.path] {
			continue
		}
		set := t.onTrue
		if b == p.Succs[1] {
			set = t.onFalse
		}
		cur, ok := out[t.path]
		if !ok {
			cur = topSet
		}
		out[t.path] = cur.meet(set)
	}
	return out
}

// joinAllowed unions two maps; a missing key means "any value" (top).
func joinAllowed(x, y map[string]vset) map[string]vset {
	if equalAllowed(x, y) {
		return x // the usual join (both sides in the same arm): no copy
	}
	out := make(map[string]vset, len(x))
	for k, v := range x {
		if w, ok := y[k]; ok {
			if j := v.join(w); !j.top {
				out[k] = j
			}
		}
	}
	return out
}

func equalAllowed(x, y map[string]vset) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		w, ok := y[k]
		if !ok || !v.equal(w) {
			return false
		}
	}
	return true
}

func (a *analysis) armSet(b *ssa.BasicBlock, path string) vset {
	if s, ok := a.allowed[b.Index][path]; ok {
		return s
	}
	return topSet
}

// ---- loops ----

// loop is a natural loop: a header and the blocks that reach a latch
// without leaving through the header.
type loop struct {
	header *ssa.BasicBlock
	body   loopBody
	size   int    // blocks in the body
	locs   locSet // state locations the loop's condition tests
	tested locSet // every persistent location the condition tests
	local  bool   // the header carries a local around the back edge
	// mask, lazily: the non-immune facts in the body. Sparse: a dense
	// set of every fact per loop was loops × facts / 64 words, quadratic
	// in the size of a function whose loops are many and small.
	mask *pset
	// replays, lazily: the facts of mask whose repetition is not free
	replays *pset
	incs    map[string][]*ssa.Store // lazily: the body's increments, by location
	work    []bool                  // lazily, by block index: the iteration goes on to a fact from here
}

func (l *loop) contains(b *ssa.BasicBlock) bool { return l.body.has(b.Index) }

// loopBody is the set of blocks of one loop. A dense slice over all the
// function's blocks per loop made findLoops quadratic (loops × blocks, in
// time and memory: 19 MB of the bug-dense 8k-statement probe's 140 MB);
// this one costs the body's index span, which for the loops of structured
// code is about the body's size.
type loopBody struct {
	members []int  // block indices, ascending
	lo      int    // members[0]
	in      []bool // membership of lo+i, for i < span
}

func newLoopBody(members []int) loopBody {
	sort.Ints(members)
	b := loopBody{members: members, lo: members[0]}
	b.in = make([]bool, members[len(members)-1]-b.lo+1)
	for _, i := range members {
		b.in[i-b.lo] = true
	}
	return b
}

func (b loopBody) has(i int) bool { return i >= b.lo && i-b.lo < len(b.in) && b.in[i-b.lo] }

// findLoops finds the natural loops and, for every block, the loops that
// contain it, innermost first. Cost: the sum of the loop bodies.
func (a *analysis) findLoops() {
	n := len(a.fn.Blocks)
	a.loopOf = make([]*loop, len(a.fn.Blocks))
	a.loopsOf = make([][]*loop, n)
	// mark is shared by the loops' walks and cleared after each through
	// its members, so that a walk costs its body, not the function.
	mark := make([]bool, n)
	for _, h := range a.fn.Blocks {
		var latches []*ssa.BasicBlock
		for _, p := range h.Preds {
			if h.Dominates(p) {
				latches = append(latches, p)
			}
		}
		if len(latches) == 0 {
			continue
		}
		l := &loop{header: h}
		mark[h.Index] = true
		members := []int{h.Index}
		stack := append([]*ssa.BasicBlock(nil), latches...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if mark[x.Index] {
				continue
			}
			mark[x.Index] = true
			members = append(members, x.Index)
			stack = append(stack, x.Preds...)
		}
		for _, i := range members {
			mark[i] = false
		}
		l.body = newLoopBody(members)
		l.size = len(members)
		// The loop's condition: the If that ends the header, or the first
		// If reached from it by straight-line blocks (range loops).
		for x, steps := h, 0; x != nil && steps < 4; steps++ {
			if ifi, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If); ok {
				for _, t := range a.ifTests[ifi] {
					if a.state[t.path] {
						l.locs.add(t.path)
					}
					l.tested.add(t.path)
				}
				break
			}
			if len(x.Succs) != 1 {
				break
			}
			x = x.Succs[0]
		}
		// A test that leaves the loop by a yield (if b.pos == len(b.in) {
		// return statusMore }) tests a cursor of the loop too: it is what
		// decides, on re-entry, where the loop resumes. An iteration that
		// advanced it consumed its input, as one that advanced the
		// header's cursor did.
		for _, i := range l.body.members {
			x := a.fn.Blocks[i]
			ifi, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If)
			if !ok || !a.exitsByYield(x, l.body) {
				continue
			}
			for _, t := range a.ifTests[ifi] {
				if len(a.increments(l)[t.path]) > 0 {
					if a.state[t.path] {
						l.locs.add(t.path)
					}
					l.tested.add(t.path)
				}
			}
		}
		l.local = carriesLocal(h, l.body)
		a.loopOf[h.Index] = l
		a.loops = append(a.loops, l)
	}
	for _, l := range a.loops {
		for _, i := range l.body.members {
			a.loopsOf[i] = append(a.loopsOf[i], l)
		}
	}
	for _, ls := range a.loopsOf {
		sort.Slice(ls, func(i, j int) bool { return ls[i].size < ls[j].size })
	}
}

// order returns fn's blocks in reverse postorder, computed on first use.
func (a *analysis) order() *blockOrder {
	if a.rpo == nil {
		a.rpo = newBlockOrder(a.fn)
	}
	return a.rpo
}

func reversePostorder(fn *ssa.Function) []*ssa.BasicBlock {
	seen := make([]bool, len(fn.Blocks))
	post := make([]*ssa.BasicBlock, 0, len(fn.Blocks))
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		seen[b.Index] = true
		for _, s := range b.Succs {
			if !seen[s.Index] {
				visit(s)
			}
		}
		post = append(post, b)
	}
	if len(fn.Blocks) > 0 {
		visit(fn.Blocks[0])
	}
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}

// ---- facts ----

func (a *analysis) collectFacts() {
	a.blindLocs = map[string]bool{}
	a.looped = map[int]int{}
	type pending struct {
		instr ssa.Instruction
		effs  []effect.Effect
	}
	// Sized once at a quarter of the instructions, above the share that
	// lands here in every probe shape (9% straight, 13% correct, 21%
	// bug-dense): growing the list copied it a dozen times. What is not
	// used is at most 10 bytes per instruction.
	all := make([]pending, 0, ssax.Instrs(a.fn)/4)
	perCall := a.perCallObjects()
	// The few blocks that hold a dispatch's load: only their instructions
	// are looked up among the reloads.
	reloadsIn := make([]bool, len(a.fn.Blocks))
	for load := range a.reloads {
		reloadsIn[load.Block().Index] = true
	}
	for _, b := range a.fn.Blocks {
		live := a.live[b.Index]
		if !live && !reloadsIn[b.Index] {
			continue // ruled out by a constant condition: never runs
		}
		for _, instr := range b.Instrs {
			var r []string
			if reloadsIn[b.Index] {
				r = a.reloads[instr]
			}
			if !live {
				// No facts here, but the transfer still re-reads where a
				// dispatch loads.
				if len(r) > 0 {
					all = append(all, pending{instr, nil})
				}
				continue
			}
			effs := a.cls.Of(instr)
			// Maps keyed by instructions (interfaces) are asked only when
			// they hold something: a lookup in an empty one still checks
			// that the key's dynamic type is hashable.
			if isPerCall := len(perCall) > 0 && perCall[instr]; isPerCall || len(a.perCallParams) > 0 {
				effs = slices.DeleteFunc(slices.Clone(effs), a.perCallEffect(instr, isPerCall))
			}
			if ops, _ := a.lockOps(instr); len(effs) == 0 && len(r) == 0 && (len(a.helperSets) == 0 || len(a.helperSets[instr]) == 0) && len(ops) == 0 {
				continue
			}
			all = append(all, pending{instr, effs})
			for _, e := range effs {
				if (e.Kind == effect.Blind || e.Kind == effect.Reset) && !a.isState(e) {
					a.blindLocs[e.Loc.Path] = true
				}
			}
		}
	}
	// About one fact per effect: sized once, not grown (lock operations
	// and helper writes, rarer, may still grow it).
	nEffs := 0
	for _, p := range all {
		nEffs += len(p.effs)
	}
	a.facts = make([]fact, 0, nEffs)
	a.byInstr = make(map[ssa.Instruction]idRange, len(all))
	// What the transfer does per block (blockOp), listed as the facts are
	// made, in instruction order: the transfer runs several times per
	// block, and most instructions have nothing to do.
	// The instructions are in block order, so each block's operations are
	// a range of one slice.
	a.ops = make([]blockOp, 0, len(all))
	a.opsEnd = make([]int32, len(a.fn.Blocks))
	for _, p := range all {
		b := p.instr.Block()
		var reloads []string
		if reloadsIn[b.Index] {
			reloads = a.reloads[p.instr]
		}
		// The facts of one instruction are made together: their ids are
		// a range.
		first := len(a.facts)
		if a.live[b.Index] {
			a.collectFactsAt(p.instr, p.effs, b)
		}
		ids := idRange{first, len(a.facts)}
		if ids.hi > ids.lo {
			a.byInstr[p.instr] = ids
		}
		if ids.hi > ids.lo || len(reloads) > 0 {
			a.ops = append(a.ops, blockOp{ids, reloads})
			a.opsEnd[b.Index] = int32(len(a.ops))
		}
	}
	// A block without operations ends where the one before it does.
	for i := 1; i < len(a.opsEnd); i++ {
		a.opsEnd[i] = max(a.opsEnd[i], a.opsEnd[i-1])
	}
}

// blockOps is what the transfer does in block b (collectFacts).
func (a *analysis) blockOps(b *ssa.BasicBlock) []blockOp {
	lo := int32(0)
	if b.Index > 0 {
		lo = a.opsEnd[b.Index-1]
	}
	return a.ops[lo:a.opsEnd[b.Index]]
}

// writesSlot reports whether instr's write of path overwrites the
// location itself, so that a value read of it before is moved out. A call
// handed a pointer it loaded from path (r := s.inflight[k]; r.Register(w))
// writes what the pointer points to: the slot still holds the pointer,
// and what was read from it is not gone. Handed the slot's address
// (fill(&s.buf)), it may overwrite the slot.
func (a *analysis) writesSlot(instr ssa.Instruction, path string) bool {
	call := ssax.Call(instr)
	if call == nil {
		return true
	}
	if _, builtin := call.Common().Value.(*ssa.Builtin); builtin {
		return true // delete, clear: the container's own entries
	}
	for _, arg := range effect.CallArgs(call.Common()) {
		if a.cls.Tracer.Of(arg).Path != path {
			continue
		}
		if _, ptr := arg.Type().Underlying().(*types.Pointer); !ptr {
			return true // a map or slice: its entries are what was read
		}
		if isAddress(arg, 0) {
			return true
		}
	}
	return false
}

// isAddress reports whether v may be the address of a location (a field,
// an element, a variable), rather than a pointer value loaded from one or
// made by a call: through phis, at most 4 deep.
func isAddress(v ssa.Value, depth int) bool {
	switch v := v.(type) {
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Global, *ssa.Alloc, *ssa.FreeVar, *ssa.Parameter:
		return true
	case *ssa.Phi:
		if depth > 4 {
			return true
		}
		for _, e := range v.Edges {
			if isAddress(e, depth+1) {
				return true
			}
		}
		return false
	case *ssa.ChangeType:
		return isAddress(v.X, depth+1)
	}
	return false
}

// idRange is the ids lo to hi-1: the facts of one instruction, which are
// made together. A range, not a list, so that recording them allocates
// nothing per instruction.
type idRange struct{ lo, hi int }

// ids yields the ids of r in increasing order.
func (r idRange) ids() iter.Seq[int] {
	return func(yield func(int) bool) {
		for id := r.lo; id < r.hi; id++ {
			if !yield(id) {
				return
			}
		}
	}
}

// collectFactsAt appends the facts of one instruction, whose effects are
// effs, to a.facts.
func (a *analysis) collectFactsAt(instr ssa.Instruction, effs []effect.Effect, b *ssa.BasicBlock) {
	ops, direct := a.lockOps(instr)
	for _, op := range ops {
		a.facts = append(a.facts, fact{kind: op.kind, block: b,
			eff: &effect.Effect{Kind: effect.Clobber, Loc: op.loc, Verb: effect.VerbLocks, Target: op.loc.Path, Instr: instr}})
	}
	if direct {
		return // what a lock method writes is the lock's own bookkeeping
	}
	if a.idempotent {
		// Declared idempotent: calling it again has no further effect,
		// so its own writes and calls are not mutations either (an
		// in-flight read memoized before yielding on it). Locks held
		// at a yield still count.
		return
	}
	for i := range effs {
		e := &effs[i]
		add := func(k factKind, state string) {
			a.facts = append(a.facts, fact{kind: k, eff: e, block: b, state: state})
		}
		switch e.Kind {
		case effect.Clobber, effect.Submit:
			switch {
			case e.Defer:
				add(fDeferred, "")
			case a.isState(*e) && e.Kind == effect.Clobber:
				add(fMutation, e.Loc.Path)
				add(fTransition, e.Loc.Path)
			default:
				add(fMutation, "")
			}
		case effect.Blind, effect.Reset, effect.Restore:
			switch {
			case a.isState(*e):
				add(fTransition, e.Loc.Path)
			case e.Defer && e.Kind == effect.Restore:
				add(fDeferRestore, "")
			case e.Defer:
			case e.Kind == effect.Restore:
				add(fRestore, "")
			default:
				if a.blindLocs[e.Loc.Path] && a.writesSlot(instr, e.Loc.Path) {
					add(fMoveOut, "") // a mutation only after a value read of the location
				}
				if e.Kind == effect.Blind {
					add(fBlind, "")
				} else {
					add(fReset, "")
				}
			}
		case effect.Repoll:
			if !e.Defer && !a.isConstructor(instr) {
				add(fCall, "")
				if h := a.localLoop(b); h != nil {
					a.looped[len(a.facts)-1] = len(a.facts)
					add(fLoopedCall, "")
				}
			}
		case effect.Read:
			if a.blindLocs[e.Loc.Path] {
				add(fRead, "")
			}
		}
	}
	// A helper's writes happen inside the call, after it starts: its
	// transitions come after the call's own facts.
	for _, m := range a.helperSets[instr] {
		w := wval{kind: wExact, key: m.Const}
		if m.Val != nil {
			w = abstractWrite(a.tr, m.Val, m.Loc.Path)
		}
		a.facts = append(a.facts, fact{kind: fTransition, block: b, state: m.Loc.Path, w: &w,
			eff: &effect.Effect{Kind: effect.Blind, Loc: m.Loc, Verb: effect.VerbSets, Target: m.Loc.Path, Instr: instr}})
	}
}

// isConstructor recognizes calls of resumable helpers that only build a
// result (Wait, Forward, Yield, Map): no receiver, and no recorded effect on
// anything passed to them (packages outside the standard library are always
// summarized, so a missing summary means none). A resumable function that
// only drives other re-pollable calls looks the same: a known false negative.
func (a *analysis) isConstructor(instr ssa.Instruction) bool {
	call := ssax.Call(instr)
	if call == nil {
		return false
	}
	c := call.Common()
	if c.IsInvoke() || c.Signature().Recv() != nil {
		return false
	}
	fn, ok := c.Value.(*ssa.Function)
	if !ok || fn.Signature.Recv() != nil {
		return false
	}
	sums, _ := a.o.Callees(a.fn, c)
	for _, s := range sums {
		if !s.Empty() {
			return false
		}
	}
	return true
}

// lockFact is one lock operation of an instruction.
type lockFact struct {
	kind factKind
	loc  persist.Loc
}

// lockOps recognizes the lock operations of an instruction: Lock, RLock,
// Unlock and RUnlock of a persistent lock (effect.LockMethod says which
// methods those are), deferred unlocks, and calls of helpers whose summary
// records that they acquire or release a lock through their arguments on
// every path (s.release() calling s.mu.Unlock()): for the caller the call
// is that operation, so a lock released by a helper before a yield is not
// held across it. direct reports a lock method itself, whose own writes are
// the lock's bookkeeping; a helper's other effects still count.
func (a *analysis) lockOps(instr ssa.Instruction) (ops []lockFact, direct bool) {
	call := ssax.Call(instr)
	if call == nil {
		return nil, false
	}
	c := call.Common()
	if c.IsInvoke() || c.StaticCallee() == nil || len(c.Args) == 0 {
		return nil, false
	}
	_, deferred := instr.(*ssa.Defer)
	add := func(release bool, loc persist.Loc) {
		switch {
		case !loc.Root.Persistent() || loc.Collapsed:
		case !release && !deferred:
			ops = append(ops, lockFact{fLock, loc})
		case release && deferred:
			ops = append(ops, lockFact{fDeferUnlock, loc})
		case release:
			ops = append(ops, lockFact{fUnlock, loc})
		}
	}
	if lock, unlock := effect.LockMethod(c); lock || unlock {
		add(unlock, a.tr.Of(c.Args[0]))
		return ops, len(ops) > 0
	}
	sums, _ := a.o.Callees(a.fn, c)
	for _, sum := range sums {
		if sum == nil || sum.LocksOverflow {
			continue
		}
		for _, op := range sum.Locks {
			if op.Param < len(c.Args) {
				add(op.Release, a.tr.Of(c.Args[op.Param]).Below(op.Suffix))
			}
		}
	}
	return ops, false
}

// localLoop returns the innermost loop containing b whose header carries a
// local around the back edge (an SSA phi fed by a latch): its progress is
// held in locals, and re-entry restarts it from their initial values.
func (a *analysis) localLoop(b *ssa.BasicBlock) *ssa.BasicBlock {
	for _, l := range a.loopsOf[b.Index] {
		if l.local {
			return l.header
		}
	}
	return nil
}

// increments returns the loop body's updates of each location that read
// it (b.pos++, s.off += n: a cursor that moves, not a slot overwritten with
// a new value; s.q = s.q[1:], a queue popped from the front), by location. It is built on first use, in one pass over
// the body, so asking for any number of locations costs the body once.
func (a *analysis) increments(l *loop) map[string][]*ssa.Store {
	if l.incs != nil {
		return l.incs
	}
	l.incs = map[string][]*ssa.Store{}
	for _, i := range l.body.members {
		for _, instr := range a.fn.Blocks[i].Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			path := a.tr.Of(st.Addr).Path
			if sl, ok := st.Val.(*ssa.Slice); ok && sl.Low != nil && sl.High == nil && sl.Max == nil {
				// A pop from the front (s.q = s.q[1:]): the queue the
				// loop tests advances as a cursor does.
				if p, _, ok := loadPath(a.tr, sl.X); ok && p == path {
					l.incs[path] = append(l.incs[path], st)
				}
				continue
			}
			bin, ok := st.Val.(*ssa.BinOp)
			if !ok {
				continue
			}
			for _, op := range []ssa.Value{bin.X, bin.Y} {
				if p, _, ok := loadPath(a.tr, op); ok && p == path {
					l.incs[path] = append(l.incs[path], st)
					break
				}
			}
		}
	}
	return l.incs
}

// exitsByYield reports whether a successor of x leaves the loop body
// straight into a yield point (a block ending in a return the analysis
// found to be a yield, reached by straight-line blocks).
func (a *analysis) exitsByYield(x *ssa.BasicBlock, body loopBody) bool {
	for _, s := range x.Succs {
		if body.has(s.Index) {
			continue
		}
		for y, steps := s, 0; y != nil && steps < 3; steps++ {
			if ret, ok := y.Instrs[len(y.Instrs)-1].(*ssa.Return); ok {
				if a.yields[ret] != nil {
					return true
				}
				break
			}
			if len(y.Succs) != 1 {
				break
			}
			y = y.Succs[0]
		}
	}
	return false
}

func carriesLocal(h *ssa.BasicBlock, body loopBody) bool {
	for _, instr := range h.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		for i, e := range phi.Edges {
			if body.has(h.Preds[i].Index) && e != phi {
				if _, isConst := e.(*ssa.Const); !isConst {
					return true
				}
			}
		}
	}
	return false
}
