package summary

import (
	"go/token"
	"go/types"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"golang.org/x/tools/go/ssa"
)

// State transitions across calls.
//
// A state location (an endpoint's state, a phase field) is often read
// through a getter (State()) or an atomic load, and set through a setter
// (setState(Bound)) or a method that moves it on success (BindAndThen).
// Two summary entries let a caller see through both:
//
//   - Reads, a getter's: the function returns the value at a location below
//     one of its parameters, converted at most;
//   - Transitions, a function's must-writes: on every return that may be a
//     success, the function has stored this constant (or this parameter's
//     value) at this location below a parameter, and nothing after that
//     store changed it again.
//
// createOnce uses them to recognize a transition guarded by the state it
// changes: `if e.State() == Initial { ...; e.bind() }` where bind moves the
// state to Bound on success. Both entries are bounded (one read, at most
// effect.MaxSets transitions, k-limited suffixes) and only grow with what
// the callees are known to do, so the fixpoint still terminates.

// stateFacts is what transition.go computes for a function's summary.
type stateFacts struct {
	reads       *effect.Getter
	transitions []effect.Set
}

// stateView answers, inside one function, which location a value reads
// and which locations an instruction sets, through the callees' summaries
// when s is not nil.
type stateView struct {
	s  *Summaries
	fn *ssa.Function
	tr *persist.Tracer
}

// stateStore is a write of a state location: a store, an atomic store,
// or a call whose callee sets it.
type stateStore struct {
	instr ssa.Instruction
	loc   persist.Loc
	val   string // the constant stored (effect.ConstKey), or ""
	param int    // the caller's parameter whose value is stored, or -1
	// may marks a write of unknown value, or one that happens on some
	// paths only, or later (a deferred call): it can undo a transition,
	// never make one.
	may bool
}

// changes reports whether a write of w's location may change the value at
// path p below the same root: a write of p itself, of a location whose
// path is a prefix of p (p then names another object), or a write of
// unknown places below a prefix of p.
func changes(w persist.Loc, p string) bool {
	if w.Path == p {
		return true
	}
	if !strings.HasPrefix(p, w.Path) {
		return false
	}
	next := p[len(w.Path)]
	return next == '.' || next == '['
}

// reads returns the location v reads: a load, an atomic load or a
// getter's result, through numeric conversions.
func (v stateView) reads(x ssa.Value) (persist.Loc, bool) {
	x = unconvert(x)
	var loc persist.Loc
	switch x := x.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return loc, false
		}
		loc = v.tr.Of(x.X)
	case *ssa.Call:
		if addr, ok := atomicLoad(&x.Call); ok {
			loc = v.tr.Of(addr)
			break
		}
		sum := v.final(&x.Call)
		if sum == nil || sum.Reads == nil || sum.Reads.Param >= len(x.Call.Args) {
			return loc, false
		}
		r := sum.Reads
		loc = v.tr.Of(x.Call.Args[r.Param]).Below(r.Suffix)
	default:
		return loc, false
	}
	if loc.Collapsed || !loc.Root.Persistent() {
		return loc, false
	}
	return loc, true
}

// stores returns the state writes instr makes.
func (v stateView) stores(instr ssa.Instruction) []stateStore {
	switch in := instr.(type) {
	case *ssa.Store:
		return []stateStore{v.storeOf(in, v.tr.Of(in.Addr), in.Val)}
	case *ssa.Call:
		return v.callStores(in)
	case *ssa.Defer, *ssa.Go:
		// It runs later (at the return, or concurrently): it may change
		// what it writes, it never makes a transition where it stands.
		out := v.callStores(instr.(ssa.CallInstruction))
		for i := range out {
			out[i].may = true
		}
		return out
	}
	return nil
}

// callStores returns the state writes of a call: an atomic store, or
// what its callee's summary says it sets.
func (v stateView) callStores(in ssa.CallInstruction) []stateStore {
	call := in.Common()
	if addr, val, ok := atomicStore(call); ok {
		return []stateStore{v.storeOf(in, v.tr.Of(addr), val)}
	}
	if lock, unlock := effect.LockMethod(call); lock || unlock {
		return nil // a lock's bookkeeping
	}
	args := effect.CallArgs(call)
	sum := v.final(call)
	if sum == nil {
		// An unknown callee (an interface or dynamic call, one in this
		// function's own recursion, none known) may write anything it is
		// passed.
		return v.writesBelow(in, args, ^effect.Bits(0))
	}
	var out []stateStore
	for _, set := range sum.Transitions {
		if set.Param >= len(args) || set.Arg >= len(args) {
			continue
		}
		loc := v.tr.Of(args[set.Param]).Below(set.Suffix)
		if set.Arg >= 0 {
			out = append(out, v.storeOf(in, loc, args[set.Arg]))
		} else {
			out = append(out, stateStore{instr: in, loc: loc, val: set.Const, param: -1})
		}
	}
	// What else it writes (its Sets, a computed value, a clobber) may
	// reach anything below an argument it writes through: a write of
	// unknown value there, which changes every location below it. A
	// closure's writes of what it captured reach its bindings.
	out = append(out, v.writesBelow(in, args, sum.Clobber|sum.Blind|sum.Empties)...)
	if mc, ok := call.Value.(*ssa.MakeClosure); ok {
		out = append(out, v.writesBelow(in, mc.Bindings, sum.FreeClobber|sum.FreeBlind)...)
	}
	return out
}

// writesBelow returns a write of unknown value at each value of vals that
// the bits select and that reaches persistent state.
func (v stateView) writesBelow(in ssa.Instruction, vals []ssa.Value, which effect.Bits) []stateStore {
	var out []stateStore
	for i, a := range vals {
		if !which.Has(i) {
			continue
		}
		if l := v.tr.Of(a); l.Root.Persistent() {
			out = append(out, stateStore{instr: in, loc: l, param: -1, may: true})
		}
	}
	return out
}

// final returns the summary of a static call's one callee when it is
// final: known, and not in the recursion of the function being
// summarized, so that what a caller concludes from its transitions or
// its getter holds for the rest of the fixpoint (docs/analyzer.md, the
// termination argument). Otherwise nil.
func (v stateView) final(call *ssa.CallCommon) *effect.Summary {
	if v.s == nil || call.IsInvoke() || call.StaticCallee() == nil {
		return nil
	}
	callee := call.StaticCallee()
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if c, ok := v.s.scc[callee]; ok && c == v.s.scc[v.fn] {
		return nil
	}
	sums, obj := v.s.Callees(v.fn, call)
	if len(sums) == 0 && v.s.Summarized(obj) {
		return &effect.Summary{} // summarized, no fact: no effect
	}
	if len(sums) != 1 {
		return nil
	}
	return sums[0]
}

func (v stateView) storeOf(instr ssa.Instruction, loc persist.Loc, val ssa.Value) stateStore {
	w := stateStore{instr: instr, loc: loc, param: -1}
	switch x := unconvert(val).(type) {
	case *ssa.Const:
		if x.Value != nil {
			w.val = effect.ConstKey(x)
		}
	case *ssa.Parameter:
		for i, p := range v.fn.Params {
			if p == x {
				w.param = i
			}
		}
	}
	return w
}

// unconvert strips conversions between basic types (and to and from the
// defined types over them): a state read or stored as uint32 and used as
// State is the same value.
func unconvert(x ssa.Value) ssa.Value {
	for range 4 {
		switch c := x.(type) {
		case *ssa.Convert:
			x = c.X
		case *ssa.ChangeType:
			x = c.X
		default:
			return x
		}
	}
	return x
}

// atomicLoad recognizes a sync/atomic load and returns the loaded address.
func atomicLoad(call *ssa.CallCommon) (ssa.Value, bool) {
	name, ok := atomicOp(call)
	if !ok || !strings.HasPrefix(name, "Load") || len(call.Args) != 1 {
		return nil, false
	}
	return call.Args[0], true
}

func isAtomicStore(call *ssa.CallCommon) bool {
	_, _, ok := atomicStore(call)
	return ok
}

// atomicStore recognizes a sync/atomic store and returns the address and
// the value stored.
func atomicStore(call *ssa.CallCommon) (addr, val ssa.Value, ok bool) {
	name, ok := atomicOp(call)
	if !ok || !strings.HasPrefix(name, "Store") || len(call.Args) != 2 {
		return nil, nil, false
	}
	return call.Args[0], call.Args[1], true
}

func atomicOp(call *ssa.CallCommon) (string, bool) {
	if call.IsInvoke() {
		return "", false
	}
	fn := callee.Object(call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" {
		return "", false
	}
	return fn.Name(), true
}

// getterOf returns what fn reads when it is a getter: it has one result,
// of a basic type or a defined type over one (how states are spelled: type
// State uint32 and its constants), and every return returns the value at
// one location below one of its parameters. Accessors of pointers, slices
// and structs are left out: no state is compared with their constants.
func getterOf(v stateView) *effect.Getter {
	fn := v.fn
	res := fn.Signature.Results()
	if res.Len() != 1 || len(fn.Blocks) == 0 {
		return nil
	}
	if _, basic := res.At(0).Type().Underlying().(*types.Basic); !basic {
		return nil
	}
	var read *persist.Loc
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		loc, ok := v.reads(ret.Results[0])
		if !ok || loc.Root.Kind != persist.Param || (read != nil && (loc.Root != read.Root || loc.Path != read.Path)) {
			return nil
		}
		read = &loc
	}
	if read == nil {
		return nil
	}
	name := fn.Params[read.Root.Index].Name()
	return &effect.Getter{Param: read.Root.Index, Suffix: read.Path[len(name):]}
}

// transitionsOf returns fn's must-writes: the state stores through its
// parameters that every return which may be a success passes, with no
// other write of the same location after them.
func (s *Summaries) transitionsOf(v stateView) []effect.Set {
	fn := v.fn
	type key struct {
		path  string
		root  persist.Root
		val   string
		param int
	}
	// The candidates first, from the writes that can make a transition
	// (stores, atomic stores, calls of callees with transitions).
	var groups map[key][]ssa.Instruction
	var order []key
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if !canMake(v, instr) {
				continue
			}
			if groups == nil {
				groups = map[key][]ssa.Instruction{}
			}
			for _, w := range v.stores(instr) {
				if w.loc.Root.Kind != persist.Param || w.loc.Collapsed || w.may || (w.val == "" && w.param < 0) {
					continue
				}
				k := key{w.loc.Path, w.loc.Root, w.val, w.param}
				if _, ok := groups[k]; !ok {
					if len(order) == effect.MaxSets {
						continue // bounded: the rest are not recorded
					}
					order = append(order, k)
				}
				groups[k] = append(groups[k], w.instr)
			}
		}
	}
	if len(order) == 0 {
		return nil // most functions: then their other writes need not be traced
	}
	reach := s.doneReach(fn)
	if reach == nil {
		return nil
	}
	// Then the writes that could undo one: those in the blocks a making
	// write reaches (its own included), and deferred calls anywhere.
	after := make([]bool, len(fn.Blocks))
	var stack []*ssa.BasicBlock
	for _, k := range order {
		for _, m := range groups[k] {
			if b := m.Block(); !after[b.Index] {
				after[b.Index] = true
				stack = append(stack, b)
			}
		}
	}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, sb := range b.Succs {
			if !after[sb.Index] {
				after[sb.Index] = true
				stack = append(stack, sb)
			}
		}
	}
	byPath := map[string][]stateStore{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, deferred := instr.(*ssa.Defer); !after[b.Index] && !deferred {
				continue
			}
			for _, w := range v.stores(instr) {
				if w.loc.Root.Kind == persist.Param {
					byPath[w.loc.Path] = append(byPath[w.loc.Path], w)
				}
			}
		}
	}
	var out []effect.Set
	for _, k := range order {
		makes := groups[k]
		var others []ssa.Instruction
		deferredUndo := false
		for _, path := range pathAndPrefixes(k.path) {
			for _, w := range byPath[path] {
				if w.loc.Root == k.root && changes(w.loc, k.path) && (w.may || w.loc.Path != k.path || w.val != k.val || w.param != k.param) {
					others = append(others, w.instr)
					if _, deferred := w.instr.(*ssa.Defer); deferred {
						deferredUndo = true // it runs at the return, after any store
					}
				}
			}
		}
		via := make([]*ssa.BasicBlock, len(makes))
		for i, m := range makes {
			via[i] = m.Block()
		}
		done := func(b *ssa.BasicBlock) bool { return reach[b.Index] }
		if deferredUndo || !throughBefore(fn.Blocks[0], via, done) || rearms(makes, others) {
			continue
		}
		name := fn.Params[k.root.Index].Name()
		set := effect.Set{Param: k.root.Index, Suffix: k.path[len(name):], Arg: k.param, Const: k.val}
		out, _ = effect.AddSet(out, set)
	}
	return out
}

// pathAndPrefixes returns p and the paths of the locations above it, at
// its selector boundaries: "e.net.state" gives itself, "e.net" and "e".
func pathAndPrefixes(p string) []string {
	out := []string{p}
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '.' || p[i] == '[' {
			out = append(out, p[:i])
		}
	}
	return out
}

// canMake reports whether instr is a write that could make a transition:
// a store or an atomic store of a constant or a parameter, or a call of a
// final callee that has transitions.
func canMake(v stateView, instr ssa.Instruction) bool {
	switch in := instr.(type) {
	case *ssa.Store:
		return constOrParam(in.Val)
	case *ssa.Call:
		if _, val, ok := atomicStore(&in.Call); ok {
			return constOrParam(val)
		}
		sum := v.final(&in.Call)
		return sum != nil && len(sum.Transitions) > 0
	}
	return false
}

func constOrParam(x ssa.Value) bool {
	switch x := unconvert(x).(type) {
	case *ssa.Const:
		return x.Value != nil
	case *ssa.Parameter:
		return true
	}
	return false
}
