// Package effect classifies what one SSA instruction does to persistent
// state: a clobber (read-modify-write, whose replay changes the result), a
// blind overwrite (idempotent as a write), a reset, a restore of a saved
// value, an I/O submission, or a re-pollable call. Both the mutation
// summaries and the replay-region analysis are built on it, so the two agree
// on what counts as a mutation.
package effect

import (
	"go/token"
	"go/types"
	"slices"
	"sort"

	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"golang.org/x/tools/go/ssa"
)

// Kind classifies an effect.
type Kind uint8

const (
	Clobber Kind = iota // non-idempotent write or call: replay repeats it
	Blind               // overwrite whose value does not depend on the old one
	Reset               // blind overwrite that empties the location (s.buf[:0], clear, nil, make)
	Restore             // writes back a value loaded from the same location
	Submit              // submits I/O: the callee returns a completion
	Repoll              // a call of a resumable function (re-pollable)
	Read                // a load of persistent state whose value is used as data
)

// Effect is one effect of an instruction.
type Effect struct {
	Kind   Kind
	Loc    persist.Loc // the location affected (Submit and Repoll: the call's receiver, if any)
	Verb   Verb        // what it does, for messages (What spells it)
	Target string      // the location named in the message (a map, not its element)
	Name   string      // the callee (or local) named in the message
	Inner  string      // for VerbCallsMutating: what the callee itself does, "X appends to s.buf"
	Instr  ssa.Instruction
	Callee *types.Func // for calls: the callee, when known
	Defer  bool        // the instruction is a defer: the effect happens at every return
	// Idempotent marks a re-pollable call of an idempotent function: calling
	// it again repeats nothing, but skipping it still abandons its result.
	Idempotent bool
}

// Bits is a small set of parameter or free-variable indexes.
type Bits uint64

// Has reports whether i is in the set.
func (b Bits) Has(i int) bool { return i < 64 && b&(1<<uint(i)) != 0 }

// With returns the set with i added.
func (b Bits) With(i int) Bits {
	if i >= 64 {
		return b
	}
	return b | 1<<uint(i)
}

// Summary is what a function does to the state its caller passes it.
type Summary struct {
	Clobber, Blind Bits // parameters (receiver first) written non-idempotently / blindly
	// Empties: parameters the callee empties whatever they held
	// (strings.Builder.Reset): for its caller, a reset of the argument.
	Empties                Bits
	FreeClobber, FreeBlind Bits // free variables (closures only)
	Globals                bool // clobbers package-level state
	Submits                bool // submits I/O
	// SubmitStyle marks a resumable function whose every IO is a completion
	// it has just submitted itself, keeping no progress: its IO means
	// "submitted", like a submit call's completion (docs/bugs.md §2.1).
	SubmitStyle bool
	// Memoized marks a resumable function that, once it returned Done,
	// returns Done again at once and with no effect when called with the
	// same arguments (a cache hit, a done flag): repeating it is free. On
	// a function that returns a completion and is not resumable it marks a
	// get-or-submit gate: once it returned a completion, calling it again
	// with the same key returns that completion, submitting nothing.
	Memoized bool
	// CleanDone marks a resumable function that writes nothing on any path
	// that can end in Done (its writes lead to a yield or an error): once
	// it returned Done, calling it again repeats nothing, whatever it
	// answers then (a readiness check polled again).
	CleanDone bool
	// OtherThanAcquires and OtherThanReleases mark a function with a
	// write that is not a reference taken (a call of a RefMethod that
	// acquires, or of a function whose every write is one), respectively
	// dropped. A function with writes and without the first only takes
	// references (a route's Acquire, a context's constructor that acquires
	// the route it returns); without the second it only drops them. Both
	// only ever turn on, so the lattice stays finite and joins stay
	// monotone.
	OtherThanAcquires, OtherThanReleases bool
	// TakesRef and DropsRef mark a function that takes, respectively
	// drops, at least one reference.
	TakesRef, DropsRef bool
	// Repolls marks a function that calls a re-pollable function which is
	// not pure (or whose callee is unknown). Re-pollable calls leave no
	// other trace in a summary, so without it a function that only
	// forwards another's effects would look pure.
	Repolls bool
	// What describes the function's first direct write or submission, for
	// its callers' messages; WhatVerb is its verb. Only direct writes are
	// described, so descriptions never nest.
	What     string
	WhatVerb Verb
	// Sets records blind writes of a constant, or of another parameter, into
	// a field reached from a parameter: a helper such as setState(st) or
	// finish(). Callers treat them as writes of their own locations, so a
	// state transition made through a helper still cuts.
	Sets []Set
	// SetsOverflow is the top of the Sets lattice: the function makes more
	// recorded writes than MaxSets, and none of them is trusted as a
	// transition. Once set it stays set, so summaries only grow.
	SetsOverflow bool
	// Locks records the locks a helper acquires or releases through its
	// parameters on every path (release() { s.mu.Unlock() }): for its
	// caller the call is that lock operation, so a lock released by a
	// helper before a yield is not held across it. LocksOverflow is the top
	// of that lattice, as SetsOverflow is of Sets.
	Locks         []LockOp
	LocksOverflow bool
	// Reads marks a getter of a state: the function returns the value at
	// Suffix below parameter Param, converted at most (State() returning
	// e.state.Load()). Once known it stays: the first one found sticks.
	Reads *Getter
	// Transitions records the function's must-writes: on every return
	// that may be a success it has stored this constant (or parameter)
	// at this location, and nothing changed it after that store. At most
	// MaxSets. They are computed against callees whose summaries are
	// final (summary.stateView), so within the fixpoint they only shrink;
	// a join keeps the newer.
	Transitions []Set
}

// Getter is what a getter returns: the value at Suffix below parameter
// Param (receiver first).
type Getter struct {
	Param  int
	Suffix string
}

// LockOp is one lock operation recorded in a summary: the lock at Suffix
// below parameter Param (receiver first) is acquired, or released.
type LockOp struct {
	Param   int
	Suffix  string
	Release bool
}

// AddLockOp returns ops with x added, sorted and free of duplicates; it
// reports overflow (and returns ops unchanged) past MaxSets entries.
func AddLockOp(ops []LockOp, x LockOp) ([]LockOp, bool) {
	less := func(a, b LockOp) bool {
		if a.Param != b.Param {
			return a.Param < b.Param
		}
		if a.Suffix != b.Suffix {
			return a.Suffix < b.Suffix
		}
		return !a.Release && b.Release
	}
	i := sort.Search(len(ops), func(i int) bool { return !less(ops[i], x) })
	if i < len(ops) && ops[i] == x {
		return ops, false
	}
	if len(ops) >= MaxSets {
		return ops, true
	}
	out := make([]LockOp, 0, len(ops)+1)
	out = append(append(append(out, ops[:i]...), x), ops[i:]...)
	return out, false
}

// Set is one blind write recorded in a summary.
type Set struct {
	Param  int    // the parameter written through (receiver first)
	Suffix string // the path below it: ".state", ".sub.phase"
	Arg    int    // the parameter whose value is written, or -1
	Const  string // the constant written when Arg is -1 (constKey spelling)
}

// MaxSets bounds the recorded writes per function.
const MaxSets = 8

// Join returns the least summary above both s and t: every bit of either,
// the union of their recorded writes (past MaxSets, the overflow top), and
// s's description when it has one. Summaries form a finite lattice (at most
// 64 parameter bits per set, a few flags, and sets of recorded writes whose
// suffixes are k-limited access paths), so a fixpoint that only joins
// terminates.
func (s *Summary) Join(t *Summary) *Summary {
	out := &Summary{
		Clobber: s.Clobber | t.Clobber, Blind: s.Blind | t.Blind, Empties: s.Empties | t.Empties,
		FreeClobber: s.FreeClobber | t.FreeClobber, FreeBlind: s.FreeBlind | t.FreeBlind,
		Globals: s.Globals || t.Globals, Submits: s.Submits || t.Submits, SubmitStyle: s.SubmitStyle || t.SubmitStyle, Memoized: s.Memoized || t.Memoized,
		Repolls: s.Repolls || t.Repolls, OtherThanAcquires: s.OtherThanAcquires || t.OtherThanAcquires, OtherThanReleases: s.OtherThanReleases || t.OtherThanReleases,
		TakesRef: s.TakesRef || t.TakesRef, DropsRef: s.DropsRef || t.DropsRef,
		What: s.What, WhatVerb: s.WhatVerb, SetsOverflow: s.SetsOverflow || t.SetsOverflow,
	}
	if out.What == "" {
		out.What, out.WhatVerb = t.What, t.WhatVerb
	}
	if !out.SetsOverflow {
		sets := s.Sets
		for i := range t.Sets {
			var over bool
			if sets, over = AddSet(sets, t.Sets[i]); over {
				out.SetsOverflow = true
				break
			}
		}
		if !out.SetsOverflow {
			out.Sets = sets
		}
	}
	out.Reads = s.Reads
	if out.Reads == nil {
		out.Reads = t.Reads
	}
	// Transitions are must-writes: they hold against what the callees are
	// known to do, and only shrink as more is known. The newer computation
	// (t) replaces the older.
	out.Transitions = t.Transitions
	out.LocksOverflow = s.LocksOverflow || t.LocksOverflow
	if !out.LocksOverflow {
		ops := s.Locks
		for _, x := range t.Locks {
			var over bool
			if ops, over = AddLockOp(ops, x); over {
				out.LocksOverflow = true
				break
			}
		}
		if !out.LocksOverflow {
			out.Locks = ops
		}
	}
	return out
}

// AddSet returns sets with x added, kept sorted and free of duplicates; it
// reports overflow (and returns sets unchanged) when the result would hold
// more than MaxSets entries. It never modifies its argument.
func AddSet(sets []Set, x Set) ([]Set, bool) {
	i := sort.Search(len(sets), func(i int) bool { return !sets[i].less(x) })
	if i < len(sets) && sets[i] == x {
		return sets, false
	}
	if len(sets) >= MaxSets {
		return sets, true
	}
	out := make([]Set, 0, len(sets)+1)
	out = append(append(append(out, sets[:i]...), x), sets[i:]...)
	return out, false
}

func (s Set) less(t Set) bool {
	if s.Param != t.Param {
		return s.Param < t.Param
	}
	if s.Suffix != t.Suffix {
		return s.Suffix < t.Suffix
	}
	if s.Arg != t.Arg {
		return s.Arg < t.Arg
	}
	return s.Const < t.Const
}

// Same reports whether two summaries record the same effects (What aside).
func (s *Summary) Same(t *Summary) bool {
	if s.Clobber != t.Clobber || s.Blind != t.Blind || s.Empties != t.Empties || s.FreeClobber != t.FreeClobber || s.FreeBlind != t.FreeBlind ||
		s.Globals != t.Globals || s.Submits != t.Submits || s.SubmitStyle != t.SubmitStyle || s.Memoized != t.Memoized || s.CleanDone != t.CleanDone || s.Repolls != t.Repolls || s.OtherThanAcquires != t.OtherThanAcquires || s.OtherThanReleases != t.OtherThanReleases || s.TakesRef != t.TakesRef || s.DropsRef != t.DropsRef || len(s.Sets) != len(t.Sets) ||
		s.SetsOverflow != t.SetsOverflow || s.LocksOverflow != t.LocksOverflow || !slices.Equal(s.Locks, t.Locks) ||
		!slices.Equal(s.Transitions, t.Transitions) || (s.Reads == nil) != (t.Reads == nil) || (s.Reads != nil && *s.Reads != *t.Reads) {
		return false
	}
	for i := range s.Sets {
		if s.Sets[i] != t.Sets[i] {
			return false
		}
	}
	return true
}

// ConstKey spells a constant as the dispatch analysis does.
func ConstKey(c *ssa.Const) string {
	if c.Value == nil {
		return "nil"
	}
	return c.Value.ExactString()
}

// Empty reports whether the summary records no effect at all.
func (s *Summary) Empty() bool {
	return s == nil || (s.Clobber == 0 && s.Blind == 0 && s.Empties == 0 && s.FreeClobber == 0 && s.FreeBlind == 0 && !s.Globals && !s.Submits && !s.SubmitStyle)
}

// Pure reports whether calling the function changes nothing: no write, no
// submission, no call of a re-pollable function that is not pure itself.
// Calling it again, whenever, is free.
func (s *Summary) Pure() bool { return s.Empty() && (s == nil || !s.Repolls) }

// Oracle answers the questions about callees that classification needs.
type Oracle interface {
	// Callees returns the summaries of the functions a call may reach
	// (nil entries are skipped), and the static callee's object if any.
	Callees(fn *ssa.Function, call *ssa.CallCommon) ([]*Summary, *types.Func)
	// Resumable reports whether a call may yield (its callee is resumable
	// in any spelling), which makes it a re-pollable call.
	Resumable(call *ssa.CallCommon) bool
	ReturnsCompletion(sig *types.Signature) bool
	IsCompletion(t types.Type) bool
	IsIdempotent(fn *types.Func) bool
	IsDone(fn *types.Func) bool
	// Summarized reports whether fn's package is summarized (every package
	// outside the standard library is): a missing summary then means that
	// the function has no effect, not that nothing is known about it.
	Summarized(fn *types.Func) bool
}

// Classifier classifies the instructions of one function.
type Classifier struct {
	Fn     *ssa.Function
	Tracer *persist.Tracer
	Oracle Oracle
	// ForSummary skips what only the replay analysis needs (reads and
	// re-pollable calls), to keep summary computation cheap.
	ForSummary bool

	memo   *Memo  // shared with the function's other classifiers (NewFromMemo), or nil
	asked  bool   // the oracle was asked something (oracle), since store cleared it
	inputs []bool // per parameter: nothing is written through it (isInput)
	// seen is the visited set of one operand walk (dependsOnLoad,
	// mutableDep), cleared and reused: a walk is at most 24 deep, and a
	// fresh map per store was most of what classifying one allocated.
	seen map[ssa.Value]bool
	ops  []*ssa.Value // the operand stack of the walks (operands)
}

// opRange is where one instruction's operands sit on the classifier's
// operand stack.
type opRange struct{ lo, hi int }

// operands pushes instr's operands on the operand stack, shared by the
// recursive walks: a local array handed to Operands escapes, and a walk
// visits hundreds of values per store on a long chain of updates.
// Indexes, not a slice, because a deeper walk may grow the stack.
func (c *Classifier) operands(instr ssa.Instruction) opRange {
	lo := len(c.ops)
	c.ops = instr.Operands(c.ops)
	return opRange{lo, len(c.ops)}
}

// popOperands drops what operands pushed, and anything a deeper walk left.
func (c *Classifier) popOperands(r opRange) { c.ops = c.ops[:r.lo] }

// walkSeen returns the cleared visited set for an operand walk.
func (c *Classifier) walkSeen() map[ssa.Value]bool {
	if c.seen == nil {
		c.seen = map[ssa.Value]bool{}
	}
	clear(c.seen)
	return c.seen
}

// New returns a classifier for fn.
func New(fn *ssa.Function, o Oracle) *Classifier {
	return &Classifier{Fn: fn, Tracer: persist.NewTracer(fn), Oracle: o}
}

// Memo is what classifying a function's instructions leaves for the
// function's later classifiers: its tracer, and the effects of its stores
// whose classification asked the oracle nothing. Those depend on the SSA
// alone, so they are the same for the summaries, computed while the
// callees' summaries still grow, and for the replay, which asks the final
// ones; a store whose classification asked (a key computed by a call, a
// parameter that may be written) is classified again by each.
type Memo struct {
	Tracer *persist.Tracer
	stores map[*ssa.Store][]Effect
}

// NewMemo returns an empty memo for fn.
func NewMemo(fn *ssa.Function) *Memo {
	// Sized once, at a tenth of the function's instructions (about how
	// many are stores), so that the memo of a large function is not
	// rehashed as it grows.
	return &Memo{Tracer: persist.NewTracer(fn), stores: make(map[*ssa.Store][]Effect, ssax.Instrs(fn)/10)}
}

// NewFromMemo returns a classifier for fn that reads and fills m, which
// must be fn's. The effects it returns for a store may be those of an
// earlier classifier: they are shared, and must not be modified.
func NewFromMemo(m *Memo, fn *ssa.Function, o Oracle) *Classifier {
	return &Classifier{Fn: fn, Tracer: m.Tracer, Oracle: o, memo: m}
}

// oracle returns the oracle and notes that it was asked: what the answer
// then depends on is not the SSA's alone (Memo).
func (c *Classifier) oracle() Oracle {
	c.asked = true
	return c.Oracle
}

// Of returns the effects of instr on persistent state (and fresh-object
// effects are dropped: objects allocated during the call never count).
func (c *Classifier) Of(instr ssa.Instruction) []Effect {
	switch in := instr.(type) {
	case *ssa.Store:
		return c.store(in)
	case *ssa.MapUpdate:
		m := c.Tracer.Of(in.Map)
		if !m.Root.Persistent() {
			return nil
		}
		loc := m.Elem()
		if c.dependsOnMutable(in.Key, 0) || c.dependsOnMutable(in.Value, 0) {
			return []Effect{{Kind: Clobber, Loc: loc, Verb: VerbInserts, Target: m.Path, Instr: in}}
		}
		return []Effect{{Kind: Blind, Loc: loc, Verb: VerbInserts, Target: m.Path, Instr: in}}
	case *ssa.Send:
		ch := c.Tracer.Of(in.Chan)
		if ch.Root.Persistent() {
			return []Effect{{Kind: Clobber, Loc: ch, Verb: VerbSends, Target: ch.Path, Instr: in}}
		}
	case *ssa.Call:
		return c.call(in, in.Common(), false)
	case *ssa.Defer:
		return c.call(in, in.Common(), true)
	case *ssa.UnOp:
		if in.Op == token.MUL && !c.ForSummary {
			loc := c.Tracer.Of(in.X)
			if loc.Root.Persistent() && c.usedAsData(in, loc.Path) {
				return []Effect{{Kind: Read, Loc: loc, Instr: in}}
			}
		}
	case *ssa.Lookup:
		// A map entry read as data (v := s.m[k], v, ok := s.m[k]): a later
		// delete or overwrite of the map's entries is a move-out.
		if _, isMap := in.X.Type().Underlying().(*types.Map); isMap && !c.ForSummary {
			m := c.Tracer.Of(in.X)
			if !m.Root.Persistent() {
				return nil
			}
			loc := m.Elem()
			if c.lookupUsedAsData(in, loc.Path) {
				return []Effect{{Kind: Read, Loc: loc, Instr: in}}
			}
		}
	}
	return nil
}

// usedAsData reports whether a loaded value is used for more than tests:
// a guard flag or state tag that is only compared is a dispatch read, and a
// later write of it is a transition, not a clobber. Uses that only update
// the same location (s.n++, s.buf = s.buf[:0]) or clear it do not carry its value anywhere either.
func (c *Classifier) usedAsData(v ssa.Value, path string) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.If, *ssa.DebugRef:
			continue
		case *ssa.BinOp:
			switch r.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
				continue
			}
			if c.onlyStoredTo(r, path) {
				continue
			}
		case *ssa.UnOp:
			if r.Op == token.NOT {
				continue
			}
		case *ssa.TypeAssert:
			if r.CommaOk {
				continue
			}
		case *ssa.Slice:
			if c.onlyStoredTo(r, path) {
				continue
			}
		case *ssa.Call:
			if b, ok := r.Call.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "clear":
					continue
				case "append", "min", "max":
					if c.onlyStoredTo(r, path) {
						continue
					}
				}
			}
		case *ssa.Store:
			if l := c.Tracer.Of(r.Addr); l.Path == path {
				continue
			}
		}
		return true
	}
	return false
}

// lookupUsedAsData reports whether the value a map lookup yields (the
// first result of a comma-ok lookup) is used as data.
func (c *Classifier) lookupUsedAsData(l *ssa.Lookup, path string) bool {
	if !l.CommaOk {
		return c.usedAsData(l, path)
	}
	refs := l.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 && c.usedAsData(ex, path) {
			return true
		}
	}
	return false
}

// onlyStoredTo reports whether v's only use is a store back to path.
func (c *Classifier) onlyStoredTo(v ssa.Value, path string) bool {
	refs := v.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Val != v || c.Tracer.Of(r.Addr).Path != path {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func (c *Classifier) store(st *ssa.Store) []Effect {
	if c.memo == nil {
		return c.classifyStore(st)
	}
	if effs, ok := c.memo.stores[st]; ok {
		return effs
	}
	outer := c.asked
	c.asked = false
	effs := c.classifyStore(st)
	if !c.asked {
		c.memo.stores[st] = effs
	}
	c.asked = c.asked || outer
	return effs
}

func (c *Classifier) classifyStore(st *ssa.Store) []Effect {
	loc := c.Tracer.Of(st.Addr)
	if !loc.Root.Persistent() {
		return nil
	}
	if _, ok := st.Addr.(*ssa.IndexAddr); ok {
		ia := st.Addr.(*ssa.IndexAddr)
		if c.dependsOnMutable(ia.Index, 0) || c.dependsOnMutable(st.Val, 0) {
			return []Effect{{Kind: Clobber, Loc: loc, Verb: VerbStoresElem, Target: trimElem(loc.Path), Instr: st}}
		}
		return []Effect{{Kind: Blind, Loc: loc, Verb: VerbStoresElem, Target: trimElem(loc.Path), Instr: st}}
	}
	if isReset(st.Val) {
		return []Effect{{Kind: Reset, Loc: loc, Verb: VerbResets, Target: loc.Path, Instr: st}}
	}
	if a, ok := persist.IsLoad(st.Val); ok {
		if l := c.Tracer.Of(a); l.Root.Persistent() && l.Path == loc.Path {
			return []Effect{{Kind: Restore, Loc: loc, Verb: VerbRestores, Target: loc.Path, Instr: st}}
		}
	}
	if c.idempotentUpdate(st.Val, loc.Path) {
		return []Effect{{Kind: Blind, Loc: loc, Verb: VerbOverwrites, Target: loc.Path, Instr: st}}
	}
	if c.dependsOnLoad(st.Val, loc.Path, 0, c.walkSeen()) {
		verb := VerbUpdates
		if call, ok := st.Val.(*ssa.Call); ok {
			if b, ok := call.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
				verb = VerbAppends
			}
		}
		if bin, ok := st.Val.(*ssa.BinOp); ok {
			switch bin.Op {
			case token.ADD:
				verb = VerbIncrements
			case token.SUB:
				verb = VerbDecrements
			}
		}
		return []Effect{{Kind: Clobber, Loc: loc, Verb: verb, Target: loc.Path, Instr: st}}
	}
	return []Effect{{Kind: Blind, Loc: loc, Verb: VerbOverwrites, Target: loc.Path, Instr: st}}
}

func trimElem(p string) string {
	if len(p) > 2 && p[len(p)-2:] == "[]" {
		return p[:len(p)-2]
	}
	return p
}

// idempotentUpdate recognizes updates f(old) with f(f(x)) = f(x): setting
// or clearing bits (x | m, x & m, x &^ m) and clamping (min(x, c),
// max(x, c)), where the other operand does not depend on the location or on
// anything else re-entry may have changed. Repeating them leaves the same
// value, so they are blind writes, not accumulations.
func (c *Classifier) idempotentUpdate(v ssa.Value, path string) bool {
	isOld := func(x ssa.Value) bool {
		if a, ok := persist.IsLoad(x); ok {
			if l := c.Tracer.Of(a); l.Root.Persistent() && l.Path == path {
				return true
			}
		}
		return false
	}
	switch v := v.(type) {
	case *ssa.BinOp:
		switch v.Op {
		case token.OR, token.AND, token.AND_NOT:
			return isOld(v.X) && !c.dependsOnMutable(v.Y, 0)
		}
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && (b.Name() == "min" || b.Name() == "max") && len(v.Call.Args) == 2 {
			x, y := v.Call.Args[0], v.Call.Args[1]
			return (isOld(x) && !c.dependsOnMutable(y, 0)) || (isOld(y) && !c.dependsOnMutable(x, 0))
		}
	}
	return false
}

// isReset recognizes values that empty a location whatever it held: a
// zero-length reslice (x[:0], of any slice), nil, a zero constant, or a
// make(...). Composite literals and other fresh values are blind
// overwrites, not resets.
func isReset(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil() || v.Value == nil
	case *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan:
		return true
	case *ssa.Slice:
		if hi, ok := v.High.(*ssa.Const); ok && hi.Value != nil && hi.Value.String() == "0" {
			if v.Low == nil || isZero(v.Low) {
				return true
			}
		}
	}
	return false
}

func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.String() == "0"
}

// dependsOnLoad reports whether v is computed from a load of the location
// named path: a read-modify-write.
func (c *Classifier) dependsOnLoad(v ssa.Value, path string, depth int, seen map[ssa.Value]bool) bool {
	if v == nil || depth > 24 || seen[v] {
		return false
	}
	seen[v] = true
	if a, ok := persist.IsLoad(v); ok {
		if l := c.Tracer.Of(a); l.Root.Persistent() && l.Path == path {
			return true
		}
	}
	instr := ssax.Instr(v)
	if instr == nil {
		return false
	}
	ops := c.operands(instr)
	defer c.popOperands(ops)
	for i := ops.lo; i < ops.hi; i++ {
		if op := c.ops[i]; op != nil && *op != nil && c.dependsOnLoad(*op, path, depth+1, seen) {
			return true
		}
	}
	return false
}

// dependsOnMutable reports whether v derives from persistent state or from
// a call: a key or value that may differ on replay. Constants, parameters
// and values built from them are independent.
func (c *Classifier) dependsOnMutable(v ssa.Value, depth int) bool {
	return c.mutableDep(v, depth, c.walkSeen())
}

func (c *Classifier) mutableDep(v ssa.Value, depth int, seen map[ssa.Value]bool) bool {
	if v == nil || depth > 24 || seen[v] {
		return false
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const, *ssa.Parameter, *ssa.Global, *ssa.Function, *ssa.Builtin, *ssa.FreeVar:
		return false
	case *ssa.UnOp:
		if v.Op == token.MUL {
			l := c.Tracer.Of(v.X)
			if l.Root.Persistent() && !c.isInput(l.Root) {
				return true
			}
		}
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok {
			switch b.Name() {
			case "len", "cap", "min", "max", "real", "imag", "complex":
				// pure: depends on its arguments only
			default:
				return true
			}
		} else if skip, ok := c.stableCall(&v.Call); ok {
			for i, a := range callArgs(&v.Call) {
				if i != skip && c.mutableDep(a, depth+1, seen) {
					return true
				}
			}
			return false
		} else {
			return true
		}
	}
	instr := ssax.Instr(v)
	if instr == nil {
		return false
	}
	ops := c.operands(instr)
	defer c.popOperands(ops)
	for i := ops.lo; i < ops.hi; i++ {
		if op := c.ops[i]; op != nil && *op != nil && c.mutableDep(*op, depth+1, seen) {
			return true
		}
	}
	return false
}

// isInput reports whether root is a parameter the function writes nothing
// through (a context, options, a waker's holder the caller hands in): what
// is read through it is this call's input, as the parameter itself is,
// and a re-entry reads the input of the re-entry. Computed once per
// classifier, on first use: one pass over the function's writes (stores,
// map updates, sends, the builtins that change a container) and its
// calls' arguments (a callee that writes one, by its summary, or a callee
// not known, writes through it).
func (c *Classifier) isInput(root persist.Root) bool {
	if root.Kind != persist.Param {
		return false
	}
	c.asked = true // computed once from the callees' summaries, and read since
	if c.inputs == nil {
		c.inputs = c.inputParams()
	}
	return root.Index < len(c.inputs) && c.inputs[root.Index]
}

func (c *Classifier) inputParams() []bool {
	in := make([]bool, len(c.Fn.Params))
	for i := range in {
		in[i] = true
	}
	written := func(v ssa.Value) {
		if l := c.Tracer.Of(v); l.Root.Kind == persist.Param && l.Root.Index < len(in) {
			in[l.Root.Index] = false
		}
	}
	for _, b := range c.Fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				written(x.Addr)
			case *ssa.MapUpdate:
				written(x.Map)
			case *ssa.Send:
				written(x.Chan)
			case ssa.CallInstruction:
				call := x.Common()
				args := callArgs(call)
				if b, ok := call.Value.(*ssa.Builtin); ok {
					switch b.Name() {
					case "delete", "clear", "close", "copy", "append":
						if len(args) > 0 {
							written(args[0]) // the container they change
						}
					}
					continue
				}
				sums, callee := c.oracle().Callees(c.Fn, call)
				// No summary: no effect when the callee's package is
				// summarized (pure functions export no fact), unknown
				// otherwise (a dynamic call, the standard library off
				// its table), which may write what it is handed.
				unknown := len(sums) == 0 && !c.oracle().Summarized(callee)
				for i, a := range args {
					if _, isFunc := a.Type().Underlying().(*types.Signature); isFunc {
						continue
					}
					writes := unknown
					for _, sum := range sums {
						if sum != nil && (sum.Clobber.Has(i) || sum.Blind.Has(i) || sum.Empties.Has(i)) {
							writes = true
						}
					}
					if writes {
						written(a)
					}
				}
			}
		}
	}
	return in
}

// stableCall reports whether a call's result is the same on re-entry
// whenever its arguments are, and which argument (a receiver) need not be
// compared, or -1. Two kinds of callee qualify, both statically known:
//
//   - a pure function (no write, no submission, no re-pollable call) that
//     is not resumable and is handed no pointer into persistent state: it
//     computes its result from its arguments (engine.Rec(page, 0),
//     IOResult.Value);
//   - a memoized resumable function: once it returned Done for some
//     arguments it returns that Done again at once, so the replayed call
//     (which re-entry reaches with the same arguments) yields the same
//     value. Its receiver holds the memo and is left out of the
//     comparison: the memo is what makes the answer stable.
//
// So a key computed from a memoized page read through a pure helper is the
// same key on re-entry, and a set insert under it is a blind write. Reading
// package variables is not recorded in summaries, so a pure function that
// reads a global the operation also changes is trusted wrongly: a known
// gap, bounded to keys computed that way.
func (c *Classifier) stableCall(call *ssa.CallCommon) (int, bool) {
	if call.IsInvoke() || call.StaticCallee() == nil {
		return 0, false
	}
	sums, callee := c.oracle().Callees(c.Fn, call)
	if callee == nil {
		return 0, false
	}
	if c.oracle().Resumable(call) {
		if len(sums) != 1 || sums[0] == nil || !sums[0].Memoized {
			return 0, false
		}
		if r := receiver(call); r != nil {
			return 0, true
		}
		return -1, true
	}
	if len(sums) == 0 && !c.oracle().Summarized(callee) {
		return 0, false
	}
	for _, s := range sums {
		if !s.Pure() {
			return 0, false
		}
	}
	for _, a := range callArgs(call) {
		if c.Tracer.Of(a).Root.Persistent() {
			return 0, false // it may read what the operation changes
		}
	}
	return -1, true
}

// memoizedGate reports whether a call of a function returning a
// completion reaches a get-or-submit gate memoized in its key (its summary
// says so) with arguments that are the same on re-entry: the receiver,
// which holds the memo, and function values, which only run on a miss,
// aside. Re-entry then gets back the completion the first call recorded,
// so the call repeats nothing: no submission, and its insert into the
// gate's map is the record that makes the repeat a hit. Summaries still
// record its effects; only the replay, which asks what re-entry repeats,
// drops them.
func (c *Classifier) memoizedGate(call *ssa.CallCommon, sums []*Summary) bool {
	sig := call.Signature()
	if sig == nil || call.IsInvoke() || !c.oracle().ReturnsCompletion(sig) || c.oracle().Resumable(call) {
		return false
	}
	if len(sums) != 1 || sums[0] == nil || !sums[0].Memoized {
		return false
	}
	recv := receiver(call)
	for _, a := range call.Args {
		if a == recv {
			continue
		}
		if _, isFunc := a.Type().Underlying().(*types.Signature); isFunc {
			continue
		}
		if c.dependsOnMutable(a, 0) {
			return false
		}
	}
	return true
}

// call classifies a call (or deferred call).
func (c *Classifier) call(instr ssa.Instruction, call *ssa.CallCommon, deferred bool) []Effect {
	if b, ok := call.Value.(*ssa.Builtin); ok && !call.IsInvoke() {
		return c.builtin(instr, b, call.Args, deferred)
	}
	sig := call.Signature()
	sums, callee := c.oracle().Callees(c.Fn, call)
	idempotent := callee != nil && c.oracle().IsIdempotent(callee)
	if idempotent && (c.ForSummary || sig == nil || !c.oracle().Resumable(call)) {
		return nil
	}
	var nameMemo string
	name := func() string {
		if nameMemo == "" {
			nameMemo = c.calleeName(call, callee)
		}
		return nameMemo
	}
	if sig != nil && c.oracle().Resumable(call) {
		if c.ForSummary || (callee != nil && c.oracle().IsDone(callee)) {
			return nil
		}
		var recv persist.Loc
		if r := receiver(call); r != nil {
			recv = c.Tracer.Of(r)
		}
		return []Effect{{Kind: Repoll, Loc: recv, Verb: VerbCalls, Name: name(), Instr: instr, Callee: callee, Defer: deferred, Idempotent: idempotent}}
	}
	if !c.ForSummary && c.memoizedGate(call, sums) {
		return nil
	}
	var out []Effect
	if sig != nil && c.oracle().ReturnsCompletion(sig) {
		out = append(out, Effect{Kind: Submit, Verb: VerbSubmits, Name: name(), Instr: instr, Callee: callee, Defer: deferred})
	}
	args := callArgs(call)
	// A method of a completion type that writes its receiver completes it:
	// completing twice is not idempotent even though the write is blind.
	completionMethod := false
	if sig != nil && sig.Recv() != nil && c.oracle().IsCompletion(sig.Recv().Type()) {
		completionMethod = true
	}
	var bindings []ssa.Value
	var writeBacks Bits
	if mc, ok := call.Value.(*ssa.MakeClosure); ok {
		bindings = mc.Bindings
		if deferred {
			var restores []Effect
			restores, writeBacks = c.closureWrites(instr, mc)
			out = append(out, restores...)
		}
	}
	for _, s := range sums {
		if s == nil {
			continue
		}
		if s.Submits && len(out) == 0 {
			out = append(out, Effect{Kind: Submit, Verb: VerbSubmitsIn, Name: name(), Instr: instr, Callee: callee, Defer: deferred})
		}
		if s.Globals {
			out = append(out, Effect{Kind: Clobber, Loc: persist.Loc{Root: persist.Root{Kind: persist.Global}, Path: "package state"}, Verb: VerbCallsGlobals, Name: name(), Instr: instr, Callee: callee, Defer: deferred})
		}
		for i, a := range args {
			kind, ok := Kind(0), false
			switch {
			case s.Clobber.Has(i), completionMethod && i == 0 && s.Blind.Has(0):
				kind, ok = Clobber, true
			case s.Empties.Has(i):
				kind, ok = Reset, true
			case s.Blind.Has(i):
				kind, ok = Blind, true
			}
			if !ok {
				continue
			}
			loc := c.Tracer.Of(a)
			if !loc.Root.Persistent() {
				continue
			}
			e := Effect{Kind: kind, Loc: loc, Verb: VerbCallsMutating, Target: loc.Path, Name: name(), Instr: instr, Callee: callee, Defer: deferred}
			if s.What != "" && callee != nil && s.WhatVerb.IsDirect() {
				e.Inner = callee.Name() + " " + s.What
			}
			out = append(out, e)
		}
		for i, b := range bindings {
			kind, ok := Kind(0), false
			switch {
			case s.FreeClobber.Has(i) && writeBacks.Has(i):
				// Its only clobbers are write-backs of copies, restores
				// above.
			case s.FreeClobber.Has(i):
				kind, ok = Clobber, true
			case s.FreeBlind.Has(i):
				kind, ok = Blind, true
			}
			if !ok {
				continue
			}
			loc := c.Tracer.Captured(b)
			if !loc.Root.Persistent() {
				continue
			}
			out = append(out, Effect{Kind: kind, Loc: loc, Verb: VerbCallsClosure, Target: loc.Path, Instr: instr, Callee: callee, Defer: deferred})
		}
	}
	return dedupe(out)
}

func dedupe(es []Effect) []Effect {
	if len(es) < 2 {
		return es
	}
	type key struct {
		kind Kind
		path string
	}
	seen := map[key]bool{}
	out := es[:0]
	for _, e := range es {
		k := key{e.Kind, e.Loc.Path}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}

func (c *Classifier) builtin(instr ssa.Instruction, b *ssa.Builtin, args []ssa.Value, deferred bool) []Effect {
	switch b.Name() {
	case "delete":
		m := c.Tracer.Of(args[0])
		if !m.Root.Persistent() {
			return nil
		}
		loc := m.Elem()
		kind := Blind
		if c.dependsOnMutable(args[1], 0) {
			kind = Clobber
		}
		return []Effect{{Kind: kind, Loc: loc, Verb: VerbDeletes, Target: m.Path, Instr: instr, Defer: deferred}}
	case "clear":
		m := c.Tracer.Of(args[0])
		if m.Root.Persistent() {
			return []Effect{{Kind: Reset, Loc: m, Verb: VerbClears, Target: m.Path, Instr: instr, Defer: deferred}}
		}
	case "copy":
		d := c.Tracer.Of(args[0])
		if d.Root.Persistent() {
			kind := Blind
			if c.dependsOnMutable(args[1], 0) {
				kind = Clobber
			}
			return []Effect{{Kind: kind, Loc: d.Elem(), Verb: VerbCopies, Target: d.Path, Instr: instr, Defer: deferred}}
		}
	case "close":
		ch := c.Tracer.Of(args[0])
		if ch.Root.Persistent() {
			return []Effect{{Kind: Clobber, Loc: ch, Verb: VerbCloses, Target: ch.Path, Instr: instr, Defer: deferred}}
		}
	}
	return nil
}

// callArgs returns the arguments with the receiver first, in both modes.
func callArgs(call *ssa.CallCommon) []ssa.Value {
	if call.IsInvoke() {
		return append([]ssa.Value{call.Value}, call.Args...)
	}
	return call.Args
}

// Receiver returns the receiver of a method call, or nil.
func Receiver(call *ssa.CallCommon) ssa.Value { return receiver(call) }

// CallArgs returns the values a call passes, an interface call's receiver
// first.
func CallArgs(call *ssa.CallCommon) []ssa.Value { return callArgs(call) }

// receiver returns the receiver of a method call, or nil.
func receiver(call *ssa.CallCommon) ssa.Value {
	if call.IsInvoke() {
		return call.Value
	}
	if sig := call.Signature(); sig != nil && sig.Recv() != nil && len(call.Args) > 0 {
		return call.Args[0]
	}
	if fn, ok := call.Value.(*ssa.Function); ok && fn.Signature.Recv() != nil && len(call.Args) > 0 {
		return call.Args[0]
	}
	return nil
}

// calleeName names the callee for messages: "s.cur.Next" style when the
// receiver is traceable, else the function's name.
func (c *Classifier) calleeName(call *ssa.CallCommon, callee *types.Func) string {
	if r := receiver(call); r != nil {
		method := ""
		switch {
		case call.IsInvoke():
			method = call.Method.Name()
		case callee != nil:
			method = callee.Name()
		}
		if l := c.Tracer.Of(r); method != "" && (l.Root.Persistent() || (l.Root.Kind == persist.Fresh && l.Path != r.Name())) {
			return l.Path + "." + method
		}
	}
	if call.IsInvoke() {
		return call.Method.Name()
	}
	if callee != nil {
		if sig, ok := callee.Type().(*types.Signature); ok && sig.Recv() != nil {
			return callee.Name()
		}
		if callee.Pkg() != nil {
			return callee.Pkg().Name() + "." + callee.Name()
		}
		return callee.Name()
	}
	if fn, ok := call.Value.(*ssa.Function); ok {
		return fn.Name()
	}
	return "a function value"
}

// closureWrites maps the blind writes of a deferred closure onto the
// caller's locations: `defer func() { s.sub = sub }()` restores s.sub at
// every return, the yield points included. A write-back of a copy
// (`t := s.Tasks[i]` in the enclosing call, `defer func() { s.Tasks[i] = t }()`)
// is such a restore too, although its value is not blind (the copy made
// progress): it puts the copy, which holds the call's progress, back where
// re-entry will copy it from again. writeBacks lists the bindings whose
// every non-idempotent write in the closure is such a write-back: the
// closure's summary marks them clobbered, and the caller must not count
// that.
func (c *Classifier) closureWrites(instr ssa.Instruction, mc *ssa.MakeClosure) (out []Effect, writeBacks Bits) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return nil, 0
	}
	inner := New(fn, c.oracle())
	var other Bits // bindings written in the closure other than by a write-back
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			st, isStore := in.(*ssa.Store)
			for _, e := range inner.Of(in) {
				if e.Loc.Root.Kind != persist.FreeVar || e.Loc.Root.Index >= len(mc.Bindings) {
					continue
				}
				if e.Kind == Clobber || !isStore {
					if isStore && e.Kind == Clobber && writesBackCopy(st) {
						writeBacks = writeBacks.With(e.Loc.Root.Index)
					} else {
						if e.Kind == Clobber {
							other = other.With(e.Loc.Root.Index)
						}
						continue
					}
				}
				name := fn.FreeVars[e.Loc.Root.Index].Name()
				outer := c.Tracer.Captured(mc.Bindings[e.Loc.Root.Index])
				if !outer.Root.Persistent() && outer.Root.Kind != persist.Fresh {
					continue
				}
				loc := outer.Below(e.Loc.Path[len(name):])
				if loc.Collapsed {
					continue
				}
				out = append(out, Effect{Kind: Restore, Loc: loc,
					Verb: VerbRestoresOnReturn, Target: loc.Path, Instr: instr, Defer: true})
			}
		}
	}
	return out, writeBacks &^ other
}

// writesBackCopy reports whether a store writes a local copy back to the
// location it was copied from: the stored value is a load of a variable
// cell (in this function or, through captures, an enclosing one) whose only
// store is a load of the very address written, the same field or element
// of the same base with the same index value. The copy is the call's own
// (its cell is allocated by the call), so writing it back is how its
// progress reaches the persistent location.
func writesBackCopy(st *ssa.Store) bool {
	ld, ok := st.Val.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	cell, ok := resolveCapture(ld.X).(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return false
	}
	init := ssax.OnlyStore(cell)
	if init == nil {
		return false // reassigned: the copy may hold something else
	}
	src, ok := init.Val.(*ssa.UnOp)
	if !ok || src.Op != token.MUL {
		return false
	}
	return sameAddr(st.Addr, src.X, 0)
}

// resolveCapture follows a free variable to the value its closure was
// made with in the enclosing function, through nested closures.
func resolveCapture(v ssa.Value) ssa.Value {
	for depth := 0; depth < 8; depth++ {
		fv, ok := v.(*ssa.FreeVar)
		if !ok {
			return v
		}
		fn := fv.Parent()
		idx := slices.Index(fn.FreeVars, fv)
		parent := fn.Parent()
		if idx < 0 || parent == nil {
			return v
		}
		var binding ssa.Value
		for _, b := range parent.Blocks {
			for _, in := range b.Instrs {
				if mc, ok := in.(*ssa.MakeClosure); ok && mc.Fn == fn {
					if binding != nil {
						return v // made twice: which binding is unknown
					}
					binding = mc.Bindings[idx]
				}
			}
		}
		if binding == nil {
			return v
		}
		v = binding
	}
	return v
}

// sameAddr reports whether two addresses, possibly in a closure and its
// enclosing function, name the same location: the same value once
// captures are resolved, or the same field or element (same index value,
// or equal constants) of the same base.
func sameAddr(a, b ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	a, b = resolveCapture(a), resolveCapture(b)
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.FieldAddr:
		b, ok := b.(*ssa.FieldAddr)
		return ok && a.Field == b.Field && sameAddr(a.X, b.X, depth+1)
	case *ssa.IndexAddr:
		b, ok := b.(*ssa.IndexAddr)
		return ok && sameIndex(a.Index, b.Index) && sameAddr(a.X, b.X, depth+1)
	case *ssa.UnOp:
		b, ok := b.(*ssa.UnOp)
		return ok && a.Op == token.MUL && b.Op == token.MUL && sameAddr(a.X, b.X, depth+1)
	}
	return false
}

// sameIndex reports whether two index values are the same value, once
// captures are resolved, or equal constants. Two loads of one location are
// not the same index: the location may have moved on between them
// (`defer func() { s.T[s.cur] = t }()` after `s.cur++`).
func sameIndex(a, b ssa.Value) bool {
	a, b = resolveCapture(a), resolveCapture(b)
	if a == b {
		return true
	}
	// Loads of one variable cell stored into once (i := s.cur, captured by
	// reference) read that one value.
	if la, ok := a.(*ssa.UnOp); ok && la.Op == token.MUL {
		if lb, ok := b.(*ssa.UnOp); ok && lb.Op == token.MUL {
			ca, _ := resolveCapture(la.X).(*ssa.Alloc)
			if ca != nil && ca == resolveCapture(lb.X) && ca.Referrers() != nil && ssax.OnlyStore(ca) != nil {
				return true
			}
		}
	}
	ca, ok1 := a.(*ssa.Const)
	cb, ok2 := b.(*ssa.Const)
	return ok1 && ok2 && ca.Value != nil && cb.Value != nil && ca.Value.ExactString() == cb.Value.ExactString()
}

// MappedSet is a helper's recorded write seen from its caller.
type MappedSet struct {
	Loc   persist.Loc
	Val   ssa.Value // the argument written, or nil when Const is set
	Const string
}

// HelperSets maps the Sets of a call's callees onto the caller's locations.
func (c *Classifier) HelperSets(call *ssa.CallCommon) []MappedSet {
	sets, _ := c.HelperWrites(call)
	return sets
}

// HelperWrites maps the Sets of a call's callees onto the caller's
// locations, and reports overflow: a callee has more recorded writes than
// its summary keeps (SetsOverflow) and the call passes it persistent state,
// so the caller cannot know which of its locations the callee set and its
// own recorded writes overflow too.
func (c *Classifier) HelperWrites(call *ssa.CallCommon) ([]MappedSet, bool) {
	sums, _ := c.oracle().Callees(c.Fn, call)
	if len(sums) == 0 {
		return nil, false
	}
	args := callArgs(call)
	var out []MappedSet
	overflow := false
	for _, sum := range sums {
		if sum == nil {
			continue
		}
		if sum.SetsOverflow {
			for _, a := range args {
				if c.Tracer.Of(a).Root.Persistent() {
					overflow = true
				}
			}
			continue
		}
		for _, set := range sum.Sets {
			if set.Param >= len(args) {
				continue
			}
			base := c.Tracer.Of(args[set.Param])
			if !base.Root.Persistent() {
				continue
			}
			loc := base.Below(set.Suffix)
			if loc.Collapsed {
				continue // past the path bound: not one location a dispatch can test
			}
			m := MappedSet{Loc: loc}
			if set.Arg >= 0 {
				if set.Arg >= len(args) {
					continue
				}
				m.Val = args[set.Arg]
			} else {
				m.Const = set.Const
			}
			out = append(out, m)
		}
	}
	return out, overflow
}

// OnlyAcquires reports whether every write of the function takes a
// reference.
func (s *Summary) OnlyAcquires() bool { return s.TakesRef && !s.OtherThanAcquires }

// OnlyReleases reports whether every write of the function drops a
// reference.
func (s *Summary) OnlyReleases() bool { return s.DropsRef && !s.OtherThanReleases }
