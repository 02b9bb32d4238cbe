package replay

import (
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/ssa"
)

// findIgnoredIO reports rule dropped-result, case (b) of rule R8 in docs/bugs.md: in a
// resumable function, the result of a re-pollable call is looked at (IsIO,
// Value) but its IO never reaches a return, a store or another function:
// when the call is not finished, the function carries on as if it were
// (Turso B18: `if let Done(..) = btree_destroy()?` with no IO arm).
// Discarding the result altogether is reported by the analyzer's own check.
func (a *analysis) findIgnoredIO() {
	propagated := map[ssa.Instruction]bool{}
	for _, info := range a.yields {
		for src := range info.sources {
			propagated[src] = true
		}
	}
	for call := range a.handedOnNotDone() {
		propagated[call] = true
	}
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !a.o.Resumable(&call.Call) || a.isConstructor(call) {
				continue
			}
			if fn := callee.Object(&call.Call); fn != nil && a.o.IsDone(fn) {
				continue
			}
			if a.spelling != yields.Result || a.y != nil && a.y.CarrierOf(&call.Call) >= 0 {
				// Even a forwarded yield may be turned into "finished" on
				// another path.
				a.swallowedYield(call, propagated[call])
				continue
			}
			if propagated[call] {
				continue
			}
			results := a.ioresultValues(call)
			if len(results) == 0 {
				continue // discarded entirely: the analyzer's dropped-result check
			}
			inspected := false
			for _, v := range results {
				switch a.useOfResult(v) {
				case useHandled:
					inspected = false
					results = nil
				case useInspected:
					inspected = true
				}
				if results == nil {
					break
				}
			}
			if !inspected || results == nil {
				continue
			}
			name := a.repollName(call)
			a.findings = append(a.findings, Finding{Rule: rules.DroppedResult, Call: call, CallName: name,
				Effect: effect.Effect{Kind: effect.Repoll, Instr: call, Verb: effect.VerbCalls, Name: name}})
		}
	}
}

// swallowedYield reports, in the error and status spellings, a call known
// to yield whose yield is looked at but reaches no yield of this function:
// it is compared, tested or returned only at exits that are not yields, so
// when the callee would block the function carries on, or reports success,
// as if it had finished. A value stored, passed on or merged is handled
// elsewhere.
func (a *analysis) swallowedYield(call *ssa.Call, forwarded bool) {
	if !a.y.Known(&call.Call) {
		return
	}
	v := a.carrierValue(call)
	if v == nil || v.Referrers() == nil {
		return // discarded entirely: the analyzer's dropped-result check
	}
	if a.inCycle(call.Block()) {
		return // a loop that waits and calls again handles the yield
	}
	if a.convertedCalls()[call] { // some finishing return drops it
		a.reportSwallowed(call)
		return
	}
	if a.parked[call] {
		return // the blocked operation is queued for a retry: handed over
	}
	if forwarded {
		return // it reaches a yield: what else it is used for is handled there
	}
	// An error flattened into a message (fmt.Errorf with %v) has lost its
	// yield as surely as one tested and dropped.
	inspected := yields.Flattened(v)
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp, *ssa.TypeAssert:
			inspected = true
		case *ssa.ChangeInterface, *ssa.MakeInterface:
			if !inspected {
				return // boxed and passed on: handled where it goes
			}
		case *ssa.Call:
			if fn := r.Call.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "errors" {
				inspected = true
				continue
			}
			return // passed to a function: handled there
		case *ssa.Return:
			if a.yields[r] != nil {
				return
			}
		default:
			return // stored, converted, merged: handled elsewhere
		}
	}
	if !inspected {
		return
	}
	a.reportSwallowed(call)
}

// carrierValue returns the value holding the call's yield carrier (the
// call itself, or its component), or nil when it has none or it is unused.
func (a *analysis) carrierValue(call *ssa.Call) ssa.Value {
	i := a.y.CarrierOf(&call.Call)
	if i < 0 {
		return nil
	}
	if _, ok := call.Type().(*types.Tuple); !ok {
		return call
	}
	if call.Referrers() == nil {
		return nil
	}
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
			return ex
		}
	}
	return nil
}

// convertDepth bounds how far up the dominator tree a finishing return
// looks for the test that its callee yielded.
const convertDepth = 8

// convertedCalls returns the calls whose yield the function turns into
// "finished": a return that is no yield (a success, a nil error, in the
// error spelling; any other status in the status spelling) in a branch
// taken only when the call's result is the yield. That is the inverse of
// the ready! idiom, which answers the callee's yield with a fresh one. It
// is computed once per function: each finishing return looks a bounded
// number of dominators up for the test (TestedCall) and checks that its
// branch is the yield's.
func (a *analysis) convertedCalls() map[*ssa.Call]bool {
	if a.converted != nil {
		return a.converted
	}
	a.converted = map[*ssa.Call]bool{}
	a.parked = map[*ssa.Call]bool{}
	carrier := a.resIdx[0]
	for _, b := range a.fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || a.yields[ret] != nil || carrier >= len(ret.Results) {
			continue
		}
		success := true
		if a.spelling == yields.Error {
			if c, ok := ret.Results[carrier].(*ssa.Const); !ok || !c.IsNil() {
				success = false // an error exit: it may still park the work
			}
		}
		for d, k := b.Idom(), 0; d != nil && k < convertDepth; d, k = d.Idom(), k+1 {
			ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
			if !ok {
				continue
			}
			if call := a.y.TestedCall(ifi.Cond); call != nil {
				if v := a.carrierValue(call); v != nil && a.y.GuardedYield(v, b) {
					if a.parksWork(call, b, d) {
						a.parked[call] = true
					} else if success {
						a.converted[call] = true
					}
				}
			}
		}
	}
	return a.converted
}

// parksWork reports whether the branch from the test in block test to the
// finishing return in block ret hands the blocked operation to persistent
// state: the yielding call's receiver or one of its arguments goes into
// state that outlives the call, stored there (`s.waiting = append(s.waiting,
// req)`, `s.byID[id] = req`) or given to a call that writes it (a queue of
// packets waiting for link resolution). The operation is then not reported
// finished and dropped, but kept for whoever drains the queue when the
// would-block clears, and re-entry is not needed: the yield is handed over,
// not swallowed.
func (a *analysis) parksWork(call *ssa.Call, ret, test *ssa.BasicBlock) bool {
	inputs := map[ssa.Value]bool{}
	for _, arg := range effect.CallArgs(&call.Call) {
		if _, isConst := arg.(*ssa.Const); !isConst {
			inputs[arg] = true
		}
	}
	if len(inputs) == 0 {
		return false
	}
	if a.cls == nil {
		a.cls = effect.New(a.fn, a.o)
		a.tr = a.cls.Tracer
	}
	for b, k := ret, 0; b != nil && b != test && k < convertDepth; b, k = b.Idom(), k+1 {
		for _, instr := range b.Instrs {
			given := false
			switch in := instr.(type) {
			case *ssa.Call:
				if in == call {
					continue
				}
				for _, arg := range effect.CallArgs(&in.Call) {
					given = given || inputs[arg]
				}
			case *ssa.Store:
				given = carries(in.Val, inputs, parkDepth)
			case *ssa.MapUpdate:
				given = carries(in.Value, inputs, parkDepth)
			}
			if !given {
				continue
			}
			for _, e := range a.cls.Of(instr) {
				if (e.Kind == effect.Clobber || e.Kind == effect.Blind) && e.Loc.Root.Persistent() {
					return true
				}
			}
		}
	}
	return false
}

// parkDepth bounds how far a stored value is traced back to the blocked
// call's inputs (an append of a slice literal holding one is three steps).
const parkDepth = 4

// carries reports whether v is one of inputs, or is built from one by an
// append, a slice, a conversion or the elements stored into a fresh array
// (append's variadic operand), up to depth steps.
func carries(v ssa.Value, inputs map[ssa.Value]bool, depth int) bool {
	if inputs[v] {
		return true
	}
	if depth == 0 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
			for _, arg := range v.Call.Args {
				if carries(arg, inputs, depth-1) {
					return true
				}
			}
		}
	case *ssa.Slice:
		return carries(v.X, inputs, depth-1)
	case *ssa.MakeInterface:
		return carries(v.X, inputs, depth-1)
	case *ssa.ChangeType:
		return carries(v.X, inputs, depth-1)
	case *ssa.Alloc:
		for _, r := range *v.Referrers() {
			if ia, ok := r.(*ssa.IndexAddr); ok && ia.Referrers() != nil {
				for _, rr := range *ia.Referrers() {
					if st, ok := rr.(*ssa.Store); ok && st.Addr == ia && carries(st.Val, inputs, depth-1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// reportSwallowed reports call's yield as swallowed.
func (a *analysis) reportSwallowed(call *ssa.Call) {
	if a.cls == nil { // Swallowed builds no classifier until it reports
		a.cls = effect.New(a.fn, a.o)
		a.tr = a.cls.Tracer
	}
	name := a.repollName(call)
	a.findings = append(a.findings, Finding{Rule: rules.DroppedResult, Call: call, CallName: name, Swallowed: true,
		Effect: effect.Effect{Kind: effect.Repoll, Instr: call, Verb: effect.VerbCalls, Name: name}})
}

// Swallowed reports the swallowed yields of a function that does not yield
// itself but could (it has a result that can carry the yield): the very
// mistake that made it stop yielding.
func Swallowed(fn *ssa.Function, o Oracle) []Finding {
	y := o.Yields()
	if fn.Blocks == nil || y == nil || y.Set().Empty() {
		return nil
	}
	carrier, sp := y.Carrier(fn.Signature)
	if sp != yields.Error && sp != yields.Value {
		return nil
	}
	a := &analysis{fn: fn, o: o, y: y, spelling: sp, resIdx: []int{carrier}, yields: map[*ssa.Return]*yieldInfo{}}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && !a.isConstructor(call) {
				a.swallowedYield(call, false)
			}
		}
	}
	return a.findings
}

// inCycle reports whether b can reach itself: it lies in a loop. The
// strongly connected components are computed once per function.
func (a *analysis) inCycle(b *ssa.BasicBlock) bool {
	if a.cyclic == nil {
		a.cyclic = cyclicBlocks(a.fn)
	}
	return a.cyclic[b.Index]
}

// cyclicBlocks marks the blocks that lie on a cycle of the control-flow
// graph: those of a strongly connected component with more than one block,
// or with an edge to itself (Tarjan's algorithm, iteratively, linear).
func cyclicBlocks(fn *ssa.Function) []bool {
	n := len(fn.Blocks)
	index, low := make([]int, n), make([]int, n)
	onStack, cyclic := make([]bool, n), make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next := 0
	type frame struct{ b, succ int }
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		calls := []frame{{b: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			top := &calls[len(calls)-1]
			succs := fn.Blocks[top.b].Succs
			if top.succ < len(succs) {
				w := succs[top.succ].Index
				top.succ++
				if w == top.b {
					cyclic[w] = true
				}
				switch {
				case index[w] < 0:
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{b: w})
				case onStack[w]:
					low[top.b] = min(low[top.b], index[w])
				}
				continue
			}
			v := top.b
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				parent := calls[len(calls)-1].b
				low[parent] = min(low[parent], low[v])
			}
			if low[v] == index[v] {
				size := 0
				for i := len(stack) - 1; i >= 0; i-- {
					size++
					if stack[i] == v {
						break
					}
				}
				for k := 0; k < size; k++ {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					if size > 1 {
						cyclic[w] = true
					}
				}
			}
		}
	}
	return cyclic
}

// ioresultValues returns the SSA values holding the call's ioresult(s).
func (a *analysis) ioresultValues(call *ssa.Call) []ssa.Value {
	if _, ok := call.Type().(*types.Tuple); !ok {
		if call.Referrers() != nil && len(*call.Referrers()) > 0 {
			return []ssa.Value{call}
		}
		return nil
	}
	var out []ssa.Value
	if call.Referrers() == nil {
		return nil
	}
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && a.isIOResultValue(ex) {
			out = append(out, ex)
		}
	}
	return out
}

type resultUse uint8

const (
	useNone      resultUse = iota
	useInspected           // only tested or read through accessors
	useHandled             // stored, returned, passed on, or its completion taken
)

// useOfResult classifies how an ioresult value is used.
func (a *analysis) useOfResult(v ssa.Value) resultUse {
	use := useNone
	var visit func(v ssa.Value, depth int) bool
	visit = func(v ssa.Value, depth int) bool {
		if depth > 4 || v.Referrers() == nil {
			return false
		}
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Call:
				c := r.Common()
				if !c.IsInvoke() && c.Signature().Recv() != nil && len(c.Args) > 0 && c.Args[0] == v {
					// a method of the result itself: a test or an accessor,
					// unless it hands out the completion
					if a.o.IsCompletion(r.Type()) {
						return true
					}
					use = useInspected
					continue
				}
				// Forwarded only where the function exits with an error
				// (if err != nil { return Forward(r, err) }): the IO of r
				// is still dropped on every other path.
				if a.isConstructor(r) && a.onlyErrorExits(r) {
					use = useInspected
					continue
				}
				// A pass-through (rt.Map(r, f)): a function with no effect
				// that makes an ioresult out of this one carries its IO,
				// so how its result is used decides.
				if a.isConstructor(r) && a.isIOResultValue(r) {
					if visit(r, depth+1) {
						return true
					}
					continue
				}
				return true // passed to another function
			case *ssa.Store:
				if cell, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v {
					// a local variable: follow its loads
					if cell.Referrers() != nil {
						for _, cr := range *cell.Referrers() {
							if ld, ok := cr.(*ssa.UnOp); ok && visit(ld, depth+1) {
								return true
							}
							if fa, ok := cr.(*ssa.FieldAddr); ok && fa.Referrers() != nil {
								// r.c read through the cell
								for _, fr := range *fa.Referrers() {
									if ld, ok := fr.(*ssa.UnOp); ok && a.o.IsCompletion(ld.Type()) && ld.Referrers() != nil && len(*ld.Referrers()) > 0 {
										return true
									}
								}
								use = useInspected
							}
						}
					}
					continue
				}
				return true
			case *ssa.Field:
				if a.o.IsCompletion(r.Type()) {
					return true
				}
				use = useInspected
			default:
				return true // returned, converted, put in a phi: handled elsewhere
			}
		}
		return false
	}
	if visit(v, 0) {
		return useHandled
	}
	return use
}

// onlyErrorExits reports whether every use of call's results is a return
// that is an error exit.
func (a *analysis) onlyErrorExits(call *ssa.Call) bool {
	var visit func(v ssa.Value, depth int) bool
	visit = func(v ssa.Value, depth int) bool {
		refs := v.Referrers()
		if refs == nil || len(*refs) == 0 || depth > 2 {
			return false
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Extract:
				if !visit(r, depth+1) {
					return false
				}
			case *ssa.Return:
				if !a.errExits[r] {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return visit(call, 0)
}
