package yields

import (
	"go/token"
	"go/types"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"golang.org/x/tools/go/ssa"
)

// ---- callers decide, error spelling ----
//
// A yield error asks to be called again, but only a caller can do the
// calling. Re-entry repeats the prefix before a yield only if somebody
// re-enters: a caller that calls again (it loops back to the call on the
// error path), one that tells the yield from other errors (it may wait and
// call again), one that keeps the error where others can read it later, or
// one that hands the yield up to its own driven caller. A caller that only
// tests `err != nil` and then drops the work, counts it, closes, or passes
// the error to a callback, treats the would-block as a failure: nothing
// re-enters the function with the same input, so nothing it did before the
// yield runs twice (a link layer's EAGAIN, for which the packet is dropped
// or the next frame read). Such a function is not resumable.
//
// Only a function whose callers are all visible can be decided so: an
// unexported function whose value is never taken, or an unexported method
// (its name can only be called from its own package, through its type or
// through an interface of the package the type implements) none of whose
// method values is taken. Exported functions and methods, closures and
// generic functions keep the answer of their bodies: their callers are
// unknown.

// driverSite is what one call site of a decidable function does with the
// yield: drives it itself, or forwards it to its caller's results.
type driverSite struct {
	drives  bool // retry included
	forward bool
	retry   bool
}

// driversDecide turns the decidable error-spelling functions that no
// caller drives from resumable to not. Drivenness is a greatest fixpoint
// (a cycle of functions forwarding to each other with no caller outside
// stays driven, since the analysis cannot tell who calls into it): every
// decidable function starts driven and turns undriven when none of its
// sites drives and none forwards to a driven caller. A turn re-queues only
// the functions forwarding into the one that turned, so the visits number
// at most the functions plus the forwarding sites.
func (y *Yields) driversDecide(funcs []*ssa.Function, carriers map[*ssa.Function]int, sites map[*ssa.Function][]*ssa.Call, addrTaken map[*ssa.Function]bool) {
	invokes := map[string][]*ssa.Call{} // unexported method name -> its invoke sites
	y.invoked = map[string]bool{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c := ssax.Call(instr); c != nil && c.Common().IsInvoke() && !c.Common().Method.Exported() {
					y.invoked[c.Common().Method.Name()] = true
					if call, ok := c.(*ssa.Call); ok {
						invokes[call.Call.Method.Name()] = append(invokes[call.Call.Method.Name()], call)
					}
				}
			}
		}
	}
	boundTaken := map[string]bool{} // method names some method value or expression is taken of
	for g := range addrTaken {
		if g.Synthetic != "" {
			name := strings.TrimSuffix(strings.TrimSuffix(g.Name(), "$bound"), "$thunk")
			boundTaken[name] = true
		}
	}
	callSites := func(fn *ssa.Function) []*ssa.Call {
		out := sites[fn]
		if fn.Signature.Recv() == nil {
			return out
		}
		for _, call := range invokes[fn.Name()] {
			m := call.Call.Method
			if m.Pkg() != fn.Pkg.Pkg {
				continue
			}
			// Every invoke of the name in the package, whatever the
			// interface: a type embedding fn's may satisfy one fn's own
			// type does not.
			out = append(out, call)
		}
		return out
	}
	decidable := func(fn *ssa.Function) bool {
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || obj.Exported() || fn.Parent() != nil || addrTaken[fn] || fn.TypeParams().Len() > 0 {
			return false
		}
		if fn.Signature.Recv() != nil {
			if boundTaken[fn.Name()] {
				return false
			}
			if named, ok := derefType(fn.Signature.Recv().Type()).(*types.Named); ok && named.TypeParams().Len() > 0 {
				return false
			}
		}
		return len(callSites(fn)) > 0
	}

	// Discover the decidable functions that matter: the error-spelling
	// functions that may yield, and the callers they forward to.
	type node struct {
		direct  bool
		targets []*ssa.Function // callers forwarded to, decidable ones only
		fixed   bool            // forwards to a caller that is not decidable
	}
	nodes := map[*ssa.Function]*node{}
	var work []*ssa.Function
	var discover func(fn *ssa.Function)
	discover = func(fn *ssa.Function) {
		if nodes[fn] != nil {
			return
		}
		n := &node{}
		nodes[fn] = n
		work = append(work, fn)
		i, ok := carriers[fn]
		if !ok {
			i, _ = y.Carrier(fn.Signature)
		}
		for _, call := range callSites(fn) {
			s := y.classifySite(call, i)
			if s.drives {
				n.direct = true
			}
			if s.forward {
				g := call.Parent()
				if decidable(g) {
					n.targets = append(n.targets, g)
				} else {
					n.fixed = true
				}
			}
		}
		for _, g := range n.targets {
			discover(g)
		}
	}
	for _, fn := range funcs {
		if _, sp := y.Carrier(fn.Signature); sp == Error && y.resumable[fn] && decidable(fn) {
			if _, ok := carriers[fn]; ok {
				discover(fn)
			}
		}
	}
	driven := make(map[*ssa.Function]bool, len(nodes))
	forwardersOf := map[*ssa.Function][]*ssa.Function{}
	for fn, n := range nodes {
		driven[fn] = true
		for _, g := range n.targets {
			forwardersOf[g] = append(forwardersOf[g], fn)
		}
	}
	drain(work, func(fn *ssa.Function) []*ssa.Function {
		n := nodes[fn]
		if !driven[fn] || n.direct || n.fixed {
			return nil
		}
		for _, g := range n.targets {
			if driven[g] {
				return nil
			}
		}
		driven[fn] = false
		return forwardersOf[fn]
	})
	for fn, d := range driven {
		if !d {
			y.resumable[fn] = false
		}
	}
}

// CallSites returns every call of fn in the package, and whether they are
// all of its calls: fn is unexported, not generic, its value (or a method
// value of its name) is never taken, no interface call of its name could
// reach it, and no go or defer statement calls it. It is false when the
// package declares no yield (the call graph is not built).
func (y *Yields) CallSites(fn *ssa.Function) ([]*ssa.Call, bool) {
	if y.sites == nil {
		return nil, false
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Exported() || fn.Parent() != nil || y.addrTaken[fn] || fn.TypeParams().Len() > 0 || fn.Synthetic != "" {
		return nil, false
	}
	if fn.Signature.Recv() != nil {
		if y.invoked[fn.Name()] {
			return nil, false
		}
		if named, ok := derefType(fn.Signature.Recv().Type()).(*types.Named); ok && named.TypeParams().Len() > 0 {
			return nil, false
		}
		for g := range y.addrTaken {
			if g.Synthetic != "" && strings.TrimSuffix(strings.TrimSuffix(g.Name(), "$bound"), "$thunk") == fn.Name() {
				return nil, false
			}
		}
	}
	if y.goDefer[fn] {
		return nil, false
	}
	return y.sites[fn], len(y.sites[fn]) > 0
}

// Recalls reports whether a call's caller calls it again, with the same
// input, on a path where the error in its i-th result is not known to be
// nil (i < 0: whatever its results).
func (y *Yields) Recalls(call *ssa.Call, i int) bool {
	return y.classifySite(call, i).retry
}

// classifySite follows the carrier result (the i-th) of a call through the
// caller: into its returns (a forward), into a comparison with a yield, an
// errors.Is or errors.As, a type assertion to a yield type, or persistent
// memory (it drives), and decides whether the call is reached again from
// it on a path where the error is not known to be nil (a retry, which
// drives too). Passing the error to another function (a callback, a
// logger) or testing it against nil only is neither.
func (y *Yields) classifySite(call *ssa.Call, i int) driverSite {
	var s driverSite
	var carriers []ssa.Value
	if n := call.Call.Signature().Results().Len(); n == 1 || n > 1 && i < 0 {
		// One result, or no carrier among several: follow the call
		// itself (a tuple goes nowhere but its extracts), for the retry.
		carriers = []ssa.Value{call}
	} else if refs := call.Referrers(); refs != nil {
		for _, r := range *refs {
			if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
				carriers = append(carriers, ex)
			}
		}
	}
	nilEdges := map[[2]*ssa.BasicBlock]bool{} // an If's edge on which the error is nil
	seen := map[ssa.Value]bool{}
	work := append([]ssa.Value(nil), carriers...)
	follow := func(v ssa.Value) {
		if !seen[v] {
			seen[v] = true
			work = append(work, v)
		}
	}
	for _, v := range carriers {
		seen[v] = true
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Return:
				s.forward = true
			case *ssa.Phi:
				follow(r)
			case *ssa.MakeInterface:
				follow(r)
			case *ssa.ChangeInterface:
				follow(r)
			case *ssa.ChangeType:
				follow(r)
			case *ssa.TypeAssert:
				if y.set.ErrType(r.AssertedType) != "" {
					s.drives = true
				} else if _, ok := r.AssertedType.Underlying().(*types.Interface); ok && !r.CommaOk {
					follow(r)
				}
			case *ssa.BinOp:
				if r.Op != token.EQL && r.Op != token.NEQ {
					continue
				}
				other := r.X
				if other == v {
					other = r.Y
				}
				if y.IsYieldValue(other) {
					s.drives = true
					continue
				}
				if c, ok := other.(*ssa.Const); ok && c.IsNil() {
					nilTestEdges(r, nilEdges)
				}
			case *ssa.Call:
				switch {
				case isErrorsIs(&r.Call) || isErrorsAs(&r.Call):
					s.drives = true
				case isWrapper(&r.Call) && r.Call.Value != v:
					follow(r)
				}
			case *ssa.Store:
				if r.Val != v {
					continue
				}
				switch addr := r.Addr.(type) {
				case *ssa.Alloc:
					if addr.Heap {
						s.drives = true // shared with a closure: read elsewhere
						continue
					}
					for _, load := range *addr.Referrers() {
						if u, ok := load.(*ssa.UnOp); ok && u.Op == token.MUL {
							follow(u)
						}
					}
				case *ssa.IndexAddr:
					// An element of a local array: the variadic arguments
					// of a call, which follows its callee (a wrapper's
					// result carries the error on, any other call drops it).
					arr, ok := addr.X.(*ssa.Alloc)
					if !ok || arr.Heap && arr.Comment != "varargs" {
						s.drives = true
						continue
					}
					for _, c := range varargCalls(arr) {
						if isWrapper(&c.Call) {
							follow(c)
						}
					}
				default:
					s.drives = true // a field, a global, an element: persistent
				}
			case *ssa.Send, *ssa.MapUpdate:
				s.drives = true
			case *ssa.DebugRef, *ssa.If, *ssa.Go, *ssa.Defer, *ssa.Slice, *ssa.IndexAddr:
			}
		}
	}
	if reachesAgain(call, nilEdges) {
		s.retry, s.drives = true, true
	}
	return s
}

// nilTestEdges records the edge of every If on cmp (err == nil, err !=
// nil, possibly negated) on which the error is nil.
func nilTestEdges(cmp *ssa.BinOp, into map[[2]*ssa.BasicBlock]bool) {
	var cond ssa.Value = cmp
	nilOnTrue := cmp.Op == token.EQL
	for neg := 0; neg < 3 && cond != nil; neg++ {
		var next ssa.Value
		for _, r := range *cond.Referrers() {
			switch r := r.(type) {
			case *ssa.If:
				b := r.Block()
				if nilOnTrue {
					into[[2]*ssa.BasicBlock{b, b.Succs[0]}] = true
				} else {
					into[[2]*ssa.BasicBlock{b, b.Succs[1]}] = true
				}
			case *ssa.UnOp:
				if r.Op == token.NOT {
					next = r
				}
			}
		}
		cond, nilOnTrue = next, !nilOnTrue
	}
}

// maxRecallWalk bounds the blocks reachesAgain walks from one call site,
// so that a function with many call sites in a very large caller costs a
// constant per site.
const maxRecallWalk = 2048

// reachesAgain reports whether control can come back to call's block from
// after the call without taking an edge on which its error is nil, with
// the same input: the caller calls again on the error path. A call whose
// arguments depend on a phi of that cycle (a range element, an index the
// loop advances) gets the next item on the way back, not the same one: the
// caller has moved on, as when it drops a frame and sends the next.
func reachesAgain(call *ssa.Call, nilEdges map[[2]*ssa.BasicBlock]bool) bool {
	start := call.Block()
	reached := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	push := func(from *ssa.BasicBlock) {
		for _, to := range from.Succs {
			if nilEdges[[2]*ssa.BasicBlock{from, to}] || reached[to] {
				continue
			}
			reached[to] = true
			stack = append(stack, to)
		}
	}
	push(start)
	for len(stack) > 0 {
		if len(reached) > maxRecallWalk {
			// Too far to tell: the answer that keeps the callee
			// resumable, so that nothing is exempted unseen.
			return true
		}
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b != start {
			push(b)
		}
	}
	if !reached[start] {
		return false
	}
	// The cycle: the reached blocks from which the call's block is reached
	// again, over the same edges.
	cycle := map[*ssa.BasicBlock]bool{start: true}
	stack = append(stack[:0], start)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range b.Preds {
			if reached[p] && !cycle[p] && !nilEdges[[2]*ssa.BasicBlock{p, b}] {
				cycle[p] = true
				stack = append(stack, p)
			}
		}
	}
	args := call.Call.Args
	if call.Call.Signature().Recv() != nil && !call.Call.IsInvoke() && len(args) > 0 {
		args = args[1:] // the receiver: the object, not the input
	}
	for _, a := range args {
		if dependsOnPhi(a, cycle, 0, map[ssa.Value]bool{}) {
			return false
		}
	}
	return true
}

// dependsOnPhi reports whether v is computed from a phi of one of the
// blocks (through a few operands).
func dependsOnPhi(v ssa.Value, blocks map[*ssa.BasicBlock]bool, depth int, seen map[ssa.Value]bool) bool {
	if depth > 6 || seen[v] {
		return false
	}
	seen[v] = true
	instr := ssax.Instr(v)
	if instr == nil {
		return false
	}
	if phi, ok := v.(*ssa.Phi); ok && blocks[phi.Block()] {
		return true
	}
	for _, op := range instr.Operands(nil) {
		if op != nil && *op != nil && dependsOnPhi(*op, blocks, depth+1, seen) {
			return true
		}
	}
	return false
}

func isErrorsAs(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "errors" && fn.Name() == "As"
}

func derefType(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
