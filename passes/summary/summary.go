package summary

import (
	"fmt"
	"go/build"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/reentrycheck/reentrycheck/passes/budget"
	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/ssabuild"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Mutates is the fact exported for a function or method that mutates state
// its caller passes it (or package state, or submits I/O). Parameters are
// numbered with the receiver first.
type Mutates struct {
	Clobber []int // parameters written non-idempotently
	Blind   []int // parameters only overwritten blindly
	Globals bool  // clobbers package-level state
	Submits bool  // submits I/O
	// SubmitStyle: a resumable function whose IO is always a completion it
	// has just submitted (callers must advance their state before it).
	SubmitStyle bool
	// Memoized: a resumable function that returns Done again at once, with
	// no effect, when called again with the same arguments after its Done.
	Memoized bool
	// CleanDone: a resumable function that writes nothing on a path that
	// can end in Done: a call of it that returned Done changed nothing.
	CleanDone bool
	// Acquires, Releases: every write takes a reference, or drops one
	// (effect.Summary.OnlyAcquires, OnlyReleases).
	Acquires, Releases bool
	// Repolls: calls a re-pollable function that is not pure.
	Repolls bool
	Sets    []effect.Set // blind writes of constants or parameters through parameters
	// SetsOverflow: more recorded writes than fit; none is used.
	SetsOverflow bool
	// Locks: locks acquired or released through parameters on every path.
	Locks         []effect.LockOp
	LocksOverflow bool
	// Reads: a getter of a state (effect.Summary.Reads).
	Reads *effect.Getter
	// Transitions: the must-writes of every success (effect.Summary.Transitions).
	Transitions []effect.Set
	What        string      // the first direct effect, for messages
	WhatVerb    effect.Verb // its verb
}

// AFact marks Mutates as an analysis fact.
func (*Mutates) AFact() {}

func (m *Mutates) String() string {
	var parts []string
	if len(m.Clobber) > 0 {
		parts = append(parts, "clobbers"+ints(m.Clobber))
	}
	if len(m.Blind) > 0 {
		parts = append(parts, "overwrites"+ints(m.Blind))
	}
	for _, flag := range []struct {
		on   bool
		name string
	}{
		{m.Globals, "globals"}, {m.Submits, "submits"}, {m.SubmitStyle, "submit-style"},
		{m.Memoized, "memoized"}, {m.CleanDone, "clean-done"}, {m.Acquires, "acquires-only"},
		{m.Releases, "releases-only"}, {m.Repolls, "repolls"},
	} {
		if flag.on {
			parts = append(parts, flag.name)
		}
	}
	if m.Reads != nil {
		parts = append(parts, fmt.Sprintf("reads(%d%s)", m.Reads.Param, m.Reads.Suffix))
	}
	for _, t := range m.Transitions {
		val := t.Const
		if t.Arg >= 0 {
			val = fmt.Sprintf("arg%d", t.Arg)
		}
		parts = append(parts, fmt.Sprintf("moves(%d%s=%s)", t.Param, t.Suffix, val))
	}
	for _, op := range m.Locks {
		verb := "acquires"
		if op.Release {
			verb = "releases"
		}
		parts = append(parts, fmt.Sprintf("%s(%d%s)", verb, op.Param, op.Suffix))
	}
	return strings.Join(parts, " ")
}

func ints(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return "(" + strings.Join(s, ",") + ")"
}

func toBits(xs []int) effect.Bits {
	var b effect.Bits
	for _, x := range xs {
		b = b.With(x)
	}
	return b
}

func fromBits(b effect.Bits) []int {
	var xs []int
	for i := 0; i < 64; i++ {
		if b.Has(i) {
			xs = append(xs, i)
		}
	}
	return xs
}

// Summaries gives the effect summary of any callee seen from this package and
// implements effect.Oracle.
type Summaries struct {
	pass    *analysis.Pass
	dirs    *directives.Directives
	yields  *yields.Yields
	local   map[*ssa.Function]*effect.Summary
	writes  map[*ssa.Function][]bool // per block: it writes (compute's last verdict)
	creates map[*ssa.Function][]bool // per block: a get-or-create's creating branch (createOnce)
	dones   map[*ssa.Function][]bool // per block: a Done or success exit is reachable (doneReach)
	scc     map[*ssa.Function]int    // a local function's strongly connected component of static calls
	states  map[*ssa.Function]stateFacts
	// catchingUp: solve's last worklist, where a callee's summary may
	// change after its callers' first computation (through an interface):
	// what was computed once from the callees is computed again.
	catchingUp bool
	byObj      map[*types.Func]*ssa.Function
	ext        map[*types.Func]*effect.Summary // facts and table, resolved once
	impls      map[*types.Func][]*types.Func   // interface method -> known implementations
	ifaces     map[*types.Interface][]types.Type
	indexed    []*types.Package // the package and its non-std imports, whose types implement interfaces
	// memos holds the classification memos of the subjects (the
	// functions the replay analysis will analyze): a component is
	// computed until nothing grows, the memo checks trace the same
	// function again, and so does the analysis (TakeMemo). Only theirs: a
	// memo kept for every function would hold every one of the package at
	// once.
	memos map[*ssa.Function]*effect.Memo
	// TooLarge reports that the fixpoint ran out of its work budget: the
	// summaries are incomplete and the package is reported, not analyzed.
	TooLarge bool
}

// Analyzer computes mutation summaries by induction over the call graph and
// exports them as facts.
var Analyzer = &analysis.Analyzer{
	Name:       "reentrychecksummary",
	Doc:        "summarizes which parameters and globals each function mutates",
	Run:        run,
	Requires:   []*analysis.Analyzer{config.Analyzer, directives.Analyzer, ssabuild.Analyzer, yields.Analyzer},
	FactTypes:  []analysis.Fact{new(Mutates)},
	ResultType: reflect.TypeFor[*Summaries](),
}

func run(pass *analysis.Pass) (any, error) {
	s := &Summaries{
		pass:    pass,
		dirs:    pass.ResultOf[directives.Analyzer].(*directives.Directives),
		yields:  pass.ResultOf[yields.Analyzer].(*yields.Yields),
		local:   map[*ssa.Function]*effect.Summary{},
		writes:  map[*ssa.Function][]bool{},
		creates: map[*ssa.Function][]bool{},
		dones:   map[*ssa.Function][]bool{},
		states:  map[*ssa.Function]stateFacts{},
		byObj:   map[*types.Func]*ssa.Function{},
		ext:     map[*types.Func]*effect.Summary{},
		impls:   map[*types.Func][]*types.Func{},
		ifaces:  map[*types.Interface][]types.Type{},
		memos:   map[*ssa.Function]*effect.Memo{},
	}
	prog := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.SSA)
	if prog == nil {
		return s, nil // standard library: described by the table
	}
	funcs := prog.SrcFuncs
	s.states = make(map[*ssa.Function]stateFacts, len(funcs))
	for _, fn := range funcs {
		s.local[fn] = &effect.Summary{}
		if obj, _ := fn.Object().(*types.Func); obj != nil && fn.Parent() == nil {
			s.byObj[obj] = fn
		}
	}
	s.solve(funcs)
	for _, fn := range funcs {
		if s.dirs.IsResumable(fn.Signature) && s.submitStyle(fn) {
			s.local[fn].SubmitStyle = true
		}
		if (s.dirs.IsResumable(fn.Signature) && s.memoized(fn)) || s.memoizedSubmit(fn) {
			s.local[fn].Memoized = true
		}
		if !s.local[fn].Pure() && s.cleanDone(fn) {
			s.local[fn].CleanDone = true
		}
	}
	for _, fn := range funcs {
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || fn.Parent() != nil {
			continue // closures cannot carry facts
		}
		sum := s.local[fn]
		if (sum.Pure() && len(sum.Locks) == 0 && !sum.LocksOverflow && sum.Reads == nil && len(sum.Transitions) == 0) || s.dirs.IsIdempotent(obj) {
			continue
		}
		pass.ExportObjectFact(obj, &Mutates{
			Clobber: fromBits(sum.Clobber), Blind: fromBits(sum.Blind &^ sum.Clobber),
			Globals: sum.Globals, Submits: sum.Submits, SubmitStyle: sum.SubmitStyle, Memoized: sum.Memoized, CleanDone: sum.CleanDone, Acquires: sum.OnlyAcquires(), Releases: sum.OnlyReleases(), Repolls: sum.Repolls, Sets: sum.Sets, SetsOverflow: sum.SetsOverflow, What: sum.What, WhatVerb: sum.WhatVerb,
			Locks: sum.Locks, LocksOverflow: sum.LocksOverflow, Reads: sum.Reads, Transitions: sum.Transitions,
		})
	}
	return s, nil
}

// memo returns the classification memo of fn, a subject, made on first
// use: what a value of fn refers to, and what a store that asks no callee
// does, do not change between the computations that ask. Nil for a
// function that is not a subject: its memo would not be kept.
func (s *Summaries) memo(fn *ssa.Function) *effect.Memo {
	m := s.memos[fn]
	if m == nil && (s.dirs.IsResumable(fn.Signature) || s.yields.Func(fn) != yields.None) {
		m = effect.NewMemo(fn)
		s.memos[fn] = m
	}
	return m
}

// tracer returns a tracer of fn: its memo's, or a new one.
func (s *Summaries) tracer(fn *ssa.Function) *persist.Tracer {
	if m := s.memo(fn); m != nil {
		return m.Tracer
	}
	return persist.NewTracer(fn)
}

// TakeMemo hands over fn's classification memo, with what was traced and
// classified while the summaries were computed, and forgets it; nil if
// there is none. The analysis of a subject calls it once, so that no memo
// outlives its use.
func (s *Summaries) TakeMemo(fn *ssa.Function) *effect.Memo {
	m := s.memos[fn]
	delete(s.memos, fn)
	return m
}

// DropMemos forgets the memos no analysis took: the summaries outlive the
// package's analysis (a driver keeps every pass's result), and a memo
// holds a function's traced values and classified stores.
func (s *Summaries) DropMemos() { clear(s.memos) }

// solve computes the summaries by induction over the call graph: callees
// first, then a worklist that revisits the callers of every summary that
// grew. Summaries only gain bits, so it terminates.
func (s *Summaries) solve(funcs []*ssa.Function) {
	callers := map[*ssa.Function][]*ssa.Function{}
	callees := map[*ssa.Function][]*ssa.Function{} // the static local calls, in order
	invokers := map[string][]*ssa.Function{}       // method name -> functions invoking it through an interface
	for _, fn := range funcs {
		invoked := map[string]bool{}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call := ssax.Call(instr)
				if call == nil {
					continue
				}
				if call.Common().IsInvoke() {
					if name := call.Common().Method.Name(); !invoked[name] {
						invoked[name] = true
						invokers[name] = append(invokers[name], fn)
					}
					continue
				}
				if callee := call.Common().StaticCallee(); callee != nil {
					if o := callee.Origin(); o != nil {
						callee = o
					}
					if _, local := s.local[callee]; local {
						callers[callee] = append(callers[callee], fn)
						callees[fn] = append(callees[fn], callee)
					}
				}
			}
		}
	}
	// Components of the static call graph, callees' first (Tarjan's
	// algorithm emits each after every component it calls).
	s.scc = make(map[*ssa.Function]int, len(funcs))
	var comps [][]*ssa.Function
	type node struct {
		index, low int
		onStack    bool
	}
	nodes := make(map[*ssa.Function]*node, len(funcs))
	var stack []*ssa.Function
	var visit func(fn *ssa.Function) *node
	visit = func(fn *ssa.Function) *node {
		n := &node{index: len(nodes), low: len(nodes), onStack: true}
		nodes[fn] = n
		stack = append(stack, fn)
		for _, callee := range callees[fn] {
			if c, seen := nodes[callee]; !seen {
				n.low = min(n.low, visit(callee).low)
			} else if c.onStack {
				n.low = min(n.low, c.index)
			}
		}
		if n.low != n.index {
			return n
		}
		k := len(stack) - 1
		for stack[k] != fn {
			k--
		}
		comp := slices.Clone(stack[k:])
		stack = stack[:k]
		for _, m := range comp {
			nodes[m].onStack = false
			s.scc[m] = len(comps)
		}
		comps = append(comps, comp)
		return n
	}
	for _, fn := range funcs {
		if _, seen := nodes[fn]; !seen {
			visit(fn)
		}
	}
	// Each summary only grows (it is joined with its previous value) in a
	// lattice of finite height, so every function is recomputed a bounded
	// number of times. The budget is a last guard against a mistake in that
	// argument: past it the package is reported as too large, never hung.
	//
	// Components are solved one at a time, callees' first: when one is
	// solved, every component it calls statically is final, which the
	// transitions and getters (stateView) rely on. What reaches a
	// function through an interface is caught up afterwards, by a
	// worklist over the whole package.
	left := budget.Summaries(len(funcs))
	queued := map[*ssa.Function]bool{}
	computed := map[*ssa.Function]bool{}
	var later []*ssa.Function // invokers computed before a method they invoke grew
	step := func(fn *ssa.Function, requeue func(*ssa.Function)) bool {
		if left--; left < 0 {
			s.TooLarge = true
			return false
		}
		queued[fn] = false
		computed[fn] = true
		prev := s.local[fn]
		next := prev.Join(s.compute(fn)) // the first description sticks: recursion must not grow it
		if next.Same(prev) {
			return true
		}
		s.local[fn] = next
		for _, c := range callers[fn] {
			requeue(c)
		}
		if fn.Signature.Recv() != nil {
			for _, c := range invokers[fn.Name()] { // may be reached through an interface
				requeue(c)
			}
		}
		return true
	}
	for ci, comp := range comps {
		work := append([]*ssa.Function(nil), comp...)
		for _, fn := range work {
			queued[fn] = true
		}
		for len(work) > 0 {
			fn := work[0]
			work = work[1:]
			if !step(fn, func(c *ssa.Function) {
				switch {
				case queued[c]:
				case s.scc[c] == ci:
					queued[c] = true
					work = append(work, c)
				case computed[c]:
					queued[c] = true
					later = append(later, c)
				}
			}) {
				return
			}
		}
	}
	work := later
	s.catchingUp = true
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		if !step(fn, func(c *ssa.Function) {
			if !queued[c] {
				queued[c] = true
				work = append(work, c)
			}
		}) {
			return
		}
	}
}

// setOf describes a blind write through a parameter as a Set, if its value
// is a constant or a parameter.
func setOf(fn *ssa.Function, e effect.Effect, val ssa.Value) *effect.Set {
	name := fn.Params[e.Loc.Root.Index].Name()
	if e.Loc.Collapsed || len(e.Loc.Path) <= len(name) {
		return nil
	}
	set := effect.Set{Param: e.Loc.Root.Index, Suffix: e.Loc.Path[len(name):], Arg: -1}
	switch v := val.(type) {
	case *ssa.Const:
		set.Const = effect.ConstKey(v)
	case *ssa.Parameter:
		for i, p := range fn.Params {
			if p == v {
				set.Arg = i
			}
		}
		if set.Arg < 0 {
			return nil
		}
	default:
		return nil
	}
	return &set
}

// addSet records x in out's Sets, or moves out to the overflow top.
func addSet(out *effect.Summary, x *effect.Set) {
	if x == nil || out.SetsOverflow {
		return
	}
	sets, over := effect.AddSet(out.Sets, *x)
	if over {
		out.Sets, out.SetsOverflow = nil, true
		return
	}
	out.Sets = sets
}

// compute derives fn's summary from its instructions and its callees' current
// summaries.
func (s *Summaries) compute(fn *ssa.Function) *effect.Summary {
	out := &effect.Summary{}
	if obj, _ := fn.Object().(*types.Func); obj != nil && s.dirs.IsIdempotent(obj) {
		return out
	}
	c := effect.New(fn, s)
	if m := s.memo(fn); m != nil {
		c = effect.NewFromMemo(m, fn, s)
	}
	c.ForSummary = true
	s.lockOps(fn, c, out)
	live := ssax.Live(fn)
	once, known := s.creates[fn]
	if !known || s.catchingUp {
		// A resumable function's writes under its own guards are its
		// progress (a copy of it that makes them loses them), not a memo:
		// only functions that cannot yield have creating branches. The
		// answer reads the SSA and the summaries of callees outside fn's
		// component, final once the component is solved (solve), so it is
		// computed once per function, and again while catching up.
		if !s.dirs.IsResumable(fn.Signature) && s.yields.Func(fn) == yields.None {
			once = createOnce(fn, c.Tracer, s)
		}
		s.creates[fn] = once
	}
	// Which blocks write (as the summary counts writes), kept for
	// cleanDone; the last computation, with the callees' final summaries,
	// is the one it reads.
	writes := s.writes[fn]
	if writes == nil {
		writes = make([]bool, len(fn.Blocks))
		s.writes[fn] = writes
	}
	clear(writes)
	for _, b := range fn.Blocks {
		if !live[b.Index] {
			continue // under a constant condition that rules it out
		}
		// A get-or-create's creating branch writes once per key: its writes
		// are not repeated by re-entry. (What it submits still counts: the
		// get-or-submit gates have a rule of their own, memoizedSubmit.)
		creates := once != nil && once[b.Index]
		for _, instr := range b.Instrs {
			if ci := ssax.Call(instr); ci != nil {
				if lock, unlock := effect.LockMethod(ci.Common()); lock || unlock {
					// What a lock method writes (its state, a lock-order
					// validator's package state) is the lock's bookkeeping;
					// the acquisition itself is recorded by lockOps.
					continue
				}
			}
			if call, ok := instr.(*ssa.Call); ok && s.repollsImpure(fn, &call.Call) {
				out.Repolls = true
				writes[b.Index] = true
			}
			if call, ok := instr.(*ssa.Call); ok {
				// A helper's recorded writes become this function's own when
				// they go through its parameters (setState called by advance);
				// a helper whose writes overflowed makes this one's overflow.
				sets, overflow := c.HelperWrites(&call.Call)
				if overflow {
					out.Sets, out.SetsOverflow = nil, true
				}
				for _, m := range sets {
					if m.Loc.Root.Kind != persist.Param {
						continue
					}
					name := fn.Params[m.Loc.Root.Index].Name()
					set := effect.Set{Param: m.Loc.Root.Index, Suffix: m.Loc.Path[len(name):], Arg: -1, Const: m.Const}
					if m.Val != nil {
						switch v := m.Val.(type) {
						case *ssa.Const:
							set.Const = effect.ConstKey(v)
						case *ssa.Parameter:
							for i, p := range fn.Params {
								if p == v {
									set.Arg = i
								}
							}
							if set.Arg < 0 {
								continue
							}
						default:
							continue
						}
					}
					addSet(out, &set)
				}
			}
			effs := c.Of(instr)
			if len(effs) > 0 && !(out.OtherThanAcquires && out.OtherThanReleases) {
				s.noteRefs(fn, instr, effs, creates, out)
			}
			for _, e := range effs {
				if creates && e.Kind != effect.Submit {
					continue
				}
				switch e.Kind {
				case effect.Clobber, effect.Blind, effect.Reset, effect.Restore, effect.Submit:
					writes[b.Index] = true
				}
				var clobber bool
				switch e.Kind {
				case effect.Clobber:
					clobber = true
				case effect.Blind, effect.Reset, effect.Restore:
				case effect.Submit:
					out.Submits = true
					if out.What == "" {
						out.What, out.WhatVerb = e.What(), e.Verb
					}
					continue
				default:
					continue
				}
				if e.Kind == effect.Blind && e.Loc.Root.Kind == persist.Param {
					if st, ok := e.Instr.(*ssa.Store); ok {
						addSet(out, setOf(fn, e, st.Val))
					}
				}
				switch e.Loc.Root.Kind {
				case persist.Param:
					if clobber {
						out.Clobber = out.Clobber.With(e.Loc.Root.Index)
					} else {
						out.Blind = out.Blind.With(e.Loc.Root.Index)
					}
				case persist.FreeVar:
					if clobber {
						out.FreeClobber = out.FreeClobber.With(e.Loc.Root.Index)
					} else {
						out.FreeBlind = out.FreeBlind.With(e.Loc.Root.Index)
					}
				case persist.Global:
					if clobber {
						out.Globals = true
					}
				}
				if clobber && out.What == "" && e.Verb.IsDirect() {
					out.What, out.WhatVerb = e.What(), e.Verb
				}
			}
		}
	}
	// Like the creating branches, the getter and the transitions read the
	// SSA and final callees only: computed once per function (and again
	// while catching up).
	// Only functions that cannot yield have them: a resumable callee is
	// re-polled, not guarded, and its writes are its progress.
	st, known := s.states[fn]
	if !known || s.catchingUp {
		st = stateFacts{}
		if !s.dirs.IsResumable(fn.Signature) && s.yields.Func(fn) == yields.None {
			v := stateView{s: s, fn: fn, tr: c.Tracer}
			st = stateFacts{reads: getterOf(v), transitions: s.transitionsOf(v)}
		}
		s.states[fn] = st
	}
	out.Reads, out.Transitions = st.reads, st.transitions
	return out
}

// noteRefs records in out whether an instruction's writes are other than
// taking a reference, or other than dropping one: a call of a reference
// method (effect.RefMethod) is one or the other, a call whose callees
// only take (only drop) references is that too, and any other write is
// neither.
func (s *Summaries) noteRefs(fn *ssa.Function, instr ssa.Instruction, effs []effect.Effect, creates bool, out *effect.Summary) {
	counted, handle := false, true
	for _, e := range effs {
		switch e.Kind {
		case effect.Clobber, effect.Blind, effect.Reset, effect.Restore:
			counted = counted || !creates
		case effect.Submit:
			counted = true
		}
		// A method clearing its own handle (*c = Context{} after
		// dropping what it held) is a release's own bookkeeping.
		handle = handle && e.Loc.Root.Kind == persist.Param && e.Loc.Root.Index == 0 && fn.Signature.Recv() != nil &&
			(e.Kind == effect.Reset || e.Kind == effect.Blind)
	}
	if !counted {
		return
	}
	if s.mayFail(fn) {
		if reach := s.doneReach(fn); reach != nil && !reach[instr.Block().Index] {
			return // on the way to an error exit: what a failure undoes is its own
		}
	}
	if handle {
		out.OtherThanAcquires = true
		return
	}
	acquires, releases := false, false
	if ci := ssax.Call(instr); ci != nil {
		if acquires, releases = effect.RefMethod(ci.Common()); !acquires && !releases {
			sums, _ := s.Callees(fn, ci.Common())
			acquires, releases = len(sums) > 0, len(sums) > 0
			for _, sum := range sums {
				if sum != nil {
					acquires = acquires && sum.OnlyAcquires()
					releases = releases && sum.OnlyReleases()
				}
			}
		}
	}
	out.TakesRef = out.TakesRef || acquires
	out.DropsRef = out.DropsRef || releases
	out.OtherThanAcquires = out.OtherThanAcquires || !acquires
	out.OtherThanReleases = out.OtherThanReleases || !releases
}

// mayFail reports whether fn has a result that can say it failed: an
// error, or a yield carrier in the error spelling.
func (s *Summaries) mayFail(fn *ssa.Function) bool {
	if _, sp := s.yields.Carrier(fn.Signature); sp != yields.None {
		return true
	}
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if ssax.IsError(res.At(i).Type()) {
			return true
		}
	}
	return false
}

// lockOps records in out the locks fn acquires or releases through its
// parameters on every path: an operation (a lock method, or a helper's
// recorded one) on the lock at a path below a parameter, in a block that
// dominates every return, with no opposite operation on the same lock
// anywhere in fn (a helper that locks and unlocks leaves the lock as it
// found it). A deferred unlock in a dominating block releases at every
// return too. One pass over the instructions and a dominance test per
// operation and return block.
func (s *Summaries) lockOps(fn *ssa.Function, c *effect.Classifier, out *effect.Summary) {
	type seen struct {
		lock, unlock bool
		everyPath    bool
	}
	var rets []*ssa.BasicBlock
	for _, b := range fn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, b)
		}
	}
	if len(rets) == 0 {
		return
	}
	ops := map[effect.LockOp]*seen{}
	var order []effect.LockOp
	note := func(b *ssa.BasicBlock, param int, suffix string, release, deferred bool) {
		if deferred && !release {
			return // a deferred lock is not a shape worth trusting
		}
		key := effect.LockOp{Param: param, Suffix: suffix}
		e := ops[key]
		if e == nil {
			e = &seen{everyPath: true}
			ops[key] = e
			order = append(order, key)
		}
		if release {
			e.unlock = true
		} else {
			e.lock = true
		}
		for _, r := range rets {
			if !b.Dominates(r) {
				e.everyPath = false
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call := ssax.Call(instr)
			if call == nil {
				continue
			}
			_, deferred := instr.(*ssa.Defer)
			cc := call.Common()
			if cc.IsInvoke() || cc.StaticCallee() == nil || len(cc.Args) == 0 {
				continue
			}
			if lock, unlock := effect.LockMethod(cc); lock || unlock {
				if l := c.Tracer.Of(cc.Args[0]); l.Root.Kind == persist.Param && !l.Collapsed {
					name := fn.Params[l.Root.Index].Name()
					note(b, l.Root.Index, l.Path[len(name):], unlock, deferred)
				}
				continue
			}
			sums, _ := s.Callees(fn, cc)
			for _, sum := range sums {
				if sum == nil {
					continue
				}
				if sum.LocksOverflow {
					out.LocksOverflow = true
					continue
				}
				for _, op := range sum.Locks {
					if op.Param >= len(cc.Args) {
						continue
					}
					l := c.Tracer.Of(cc.Args[op.Param]).Below(op.Suffix)
					if l.Root.Kind == persist.Param && !l.Collapsed {
						name := fn.Params[l.Root.Index].Name()
						note(b, l.Root.Index, l.Path[len(name):], op.Release, deferred)
					}
				}
			}
		}
	}
	for _, key := range order {
		e := ops[key]
		if !e.everyPath || e.lock == e.unlock || out.LocksOverflow {
			continue
		}
		key.Release = e.unlock
		var over bool
		if out.Locks, over = effect.AddLockOp(out.Locks, key); over {
			out.Locks, out.LocksOverflow = nil, true
		}
	}
}

// submitStyle reports whether a resumable function only submits I/O and
// yields on what it submitted: no stores to persistent state, no re-pollable
// calls, and every return that may be IO built from a submitted completion.
func (s *Summaries) submitStyle(fn *ssa.Function) bool {
	submitted := map[ssa.Value]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Store:
				if _, local := in.Addr.(*ssa.Alloc); !local {
					return false
				}
			case *ssa.MapUpdate, *ssa.Send:
				return false
			case *ssa.Call:
				sig := in.Call.Signature()
				fn := callee.Object(&in.Call)
				switch {
				case s.dirs.ReturnsCompletion(sig) && (fn == nil || !s.dirs.IsIdempotent(fn)):
					submitted[in] = true
				case s.yields.Call(&in.Call):
					if fn == nil || in.Call.IsInvoke() || sig.Recv() != nil {
						return false // drives another re-pollable call
					}
				}
			case *ssa.Extract:
				if submitted[in.Tuple] {
					submitted[in] = true
				}
			}
		}
	}
	if len(submitted) == 0 {
		return false
	}
	idx := s.dirs.IOResultIndexes(fn.Signature)
	yields := 0
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for _, i := range idx {
			switch v := ret.Results[i].(type) {
			case *ssa.Const:
			case *ssa.Call:
				if fn := callee.Object(&v.Call); fn != nil && s.dirs.IsDone(fn) {
					continue
				}
				fromSubmit := false
				for _, a := range v.Call.Args {
					if submitted[a] {
						fromSubmit = true
					}
				}
				if !fromSubmit {
					return false
				}
				yields++
			default:
				return false
			}
		}
	}
	return yields > 0
}

// Callees implements effect.Oracle.
func (s *Summaries) Callees(caller *ssa.Function, call *ssa.CallCommon) ([]*effect.Summary, *types.Func) {
	if call.IsInvoke() {
		var sums []*effect.Summary
		if sum := s.ofObject(call.Method); sum != nil {
			sums = append(sums, sum)
		}
		for _, impl := range s.implementations(call.Method) {
			if sum := s.ofObject(impl); sum != nil {
				sums = append(sums, sum)
			}
		}
		return sums, call.Method
	}
	fn := call.StaticCallee()
	if fn == nil {
		return nil, nil // a dynamic call: unknown, taken as effect-free
	}
	obj, _ := fn.Object().(*types.Func)
	if origin := fn.Origin(); origin != nil {
		fn = origin
	}
	if sum, ok := s.local[fn]; ok {
		return []*effect.Summary{sum}, obj
	}
	if obj == nil {
		return nil, nil
	}
	if sum := s.ofObject(obj); sum != nil {
		return []*effect.Summary{sum}, obj
	}
	return nil, obj
}

// ofObject returns the summary of a declared function or method: the local
// one, its fact, or the std table.
func (s *Summaries) ofObject(obj *types.Func) *effect.Summary {
	obj = obj.Origin()
	if fn, ok := s.byObj[obj]; ok {
		return s.local[fn]
	}
	if sum, ok := s.ext[obj]; ok {
		return sum
	}
	var sum *effect.Summary
	var m Mutates
	if s.pass.ImportObjectFact(obj, &m) {
		sum = &effect.Summary{Clobber: toBits(m.Clobber), Blind: toBits(m.Blind), Globals: m.Globals, Submits: m.Submits, SubmitStyle: m.SubmitStyle, Memoized: m.Memoized, CleanDone: m.CleanDone, OtherThanAcquires: !m.Acquires, OtherThanReleases: !m.Releases, TakesRef: m.Acquires, DropsRef: m.Releases, Repolls: m.Repolls, Sets: m.Sets, SetsOverflow: m.SetsOverflow, What: m.What, WhatVerb: m.WhatVerb, Locks: m.Locks, LocksOverflow: m.LocksOverflow, Reads: m.Reads, Transitions: m.Transitions}
	} else if obj.Pkg() != nil && obj.Pkg() != s.pass.Pkg {
		if std, ok := stdEffects[config.QualifiedName(obj)]; ok {
			sum = &std
		}
	}
	s.ext[obj] = sum
	return sum
}

// implementations lists the methods that an interface method may dispatch
// to among the named types of this package and its direct imports, standard
// library excluded (its methods are described by the table, by name).
func (s *Summaries) implementations(m *types.Func) []*types.Func {
	if impls, ok := s.impls[m]; ok {
		return impls
	}
	var out []*types.Func
	recv := m.Type().(*types.Signature).Recv()
	if recv != nil && m.Pkg() != nil && !isStdPath(m.Pkg().Path()) {
		if iface, ok := recv.Type().Underlying().(*types.Interface); ok {
			for _, t := range s.implementers(iface) {
				if sel, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name()); sel != nil {
					if f, ok := sel.(*types.Func); ok {
						out = append(out, f)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FullName() < out[j].FullName() })
	s.impls[m] = out
	return out
}

// implementers returns the candidate types (T or *T) that implement iface,
// memoized per interface. Candidates come from an index of the concrete
// types by method name, built once per package, so that each interface is
// checked only against the types that have its rarest method.
func (s *Summaries) implementers(iface *types.Interface) []types.Type {
	if ts, ok := s.ifaces[iface]; ok {
		return ts
	}
	if s.indexed == nil {
		s.indexed = []*types.Package{s.pass.Pkg}
		for _, p := range s.pass.Pkg.Imports() {
			if !isStdPath(p.Path()) {
				s.indexed = append(s.indexed, p)
			}
		}
	}
	var cands []*types.TypeName
	for _, p := range s.indexed {
		idx := indexOf(p)
		names := idx.types
		for i := 0; i < iface.NumMethods(); i++ {
			c := idx.byMethod[iface.Method(i).Name()]
			if i == 0 || len(c) < len(names) {
				names = c
			}
		}
		for _, name := range names {
			cands = append(cands, p.Scope().Lookup(name).(*types.TypeName))
		}
	}
	var ts []types.Type
	for _, tn := range cands {
		for _, t := range []types.Type{tn.Type(), types.NewPointer(tn.Type())} {
			if types.Implements(t, iface) {
				ts = append(ts, t)
				break
			}
		}
	}
	s.ifaces[iface] = ts
	return ts
}

// methodNames returns the names of the methods of *T for the named type
// T of tn (T's and *T's). Only a struct with embedded fields promotes
// methods; for every other type they are the declared ones, read without
// computing a method set (an index over generated code has thousands).
func methodNames(tn *types.TypeName) []string {
	st, isStruct := tn.Type().Underlying().(*types.Struct)
	embeds := false
	for i := 0; isStruct && i < st.NumFields(); i++ {
		embeds = embeds || st.Field(i).Embedded()
	}
	if embeds {
		mset := types.NewMethodSet(types.NewPointer(tn.Type()))
		out := make([]string, mset.Len())
		for i := range out {
			out[i] = mset.At(i).Obj().Name()
		}
		return out
	}
	named, ok := tn.Type().(*types.Named)
	if !ok {
		return nil
	}
	out := make([]string, named.NumMethods())
	for i := range out {
		out[i] = named.Method(i).Name()
	}
	return out
}

// isStdPath reports whether an import path belongs to the standard library,
// asking go/build once per path.
func isStdPath(path string) bool {
	if v, ok := stdPaths.Load(path); ok {
		return v.(bool)
	}
	first, _, _ := strings.Cut(path, "/")
	std := false
	if !strings.Contains(first, ".") {
		if p, err := build.Default.Import(path, "", build.FindOnly); err == nil && p.Goroot {
			std = true
		}
	}
	stdPaths.Store(path, std)
	return std
}

var stdPaths sync.Map

// repollsImpure reports whether call is a re-pollable call of a function
// that is not pure (or of an unknown one): what it does is not in the
// caller's summary, so the caller is not pure either.
func (s *Summaries) repollsImpure(fn *ssa.Function, call *ssa.CallCommon) bool {
	if !s.yields.Call(call) {
		return false
	}
	sums, obj := s.Callees(fn, call)
	if obj != nil && (s.dirs.IsIdempotent(obj) || s.dirs.IsDone(obj)) {
		return false
	}
	if len(sums) == 0 {
		return call.StaticCallee() == nil // dynamic and unknown
	}
	for _, sum := range sums {
		if sum != nil && !sum.Pure() {
			return true
		}
	}
	return false
}

// Resumable implements effect.Oracle.
func (s *Summaries) Resumable(call *ssa.CallCommon) bool { return s.yields.Call(call) }

// Yields returns the yields result the summaries were built with.
func (s *Summaries) Yields() *yields.Yields { return s.yields }

// ReturnsCompletion implements effect.Oracle.
func (s *Summaries) ReturnsCompletion(sig *types.Signature) bool {
	return s.dirs.ReturnsCompletion(sig)
}

// IsCompletion implements effect.Oracle.
func (s *Summaries) IsCompletion(t types.Type) bool { return s.dirs.IsCompletion(t) }

// IsIdempotent implements effect.Oracle.
func (s *Summaries) IsIdempotent(fn *types.Func) bool { return s.dirs.IsIdempotent(fn) }

// IsDone implements effect.Oracle.
func (s *Summaries) IsDone(fn *types.Func) bool { return s.dirs.IsDone(fn) }

// Summarized implements effect.Oracle: every package outside the standard
// library is summarized, and only functions with an effect export a fact.
func (s *Summaries) Summarized(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && !isStdPath(fn.Pkg().Path())
}

// Directives returns the directives result the summaries were built with.
func (s *Summaries) Directives() *directives.Directives { return s.dirs }
