package replay

import (
	"go/token"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/ssa"
)

// perCallObjects finds the objects a function acquires from a call and
// releases with a deferred method call on them (ctx := acquire(); defer
// ctx.Release(); pkt := newBuffer(); defer pkt.DecRef()). Such an object
// lives for one call: whatever its acquisition, its use and its release do
// to package state (a pool, a leak registry, a reference count) is undone
// by the time the call returns, at a yield as anywhere, so re-entry repeats
// nothing there. It returns the acquiring calls and the calls on the
// objects (the deferred releases included).
func (a *analysis) perCallObjects() map[ssa.Instruction]bool {
	a.perCallRecv = map[ssa.Instruction]string{}
	a.perCallParams = a.findPerCallParams()
	// First the objects released by a deferred method call, then, in a
	// second pass, the method calls on them (and on the per-call
	// parameters): two passes over the function whatever the number of
	// defers.
	acquired := releasedObjects(a.fn)
	if len(acquired) == 0 && len(a.perCallParams) == 0 {
		return nil
	}
	out := map[ssa.Instruction]bool{}
	for acq := range acquired {
		if call, ok := acq.(*ssa.Call); ok {
			out[call] = true
		}
	}
	a.refPaired = a.pairedReferences()
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			call := ssax.Call(instr)
			if call == nil {
				continue
			}
			if acq := methodReceiver(call.Common()); acq != nil && acquired[acq] || a.perCallParamRecv(call.Common()) {
				out[instr] = true // the deferred release among them
				a.perCallRecv[instr] = a.tr.Of(call.Common().Args[0]).Path
			}
		}
	}
	return out
}

// releasedObjects returns what makes each object fn releases by a deferred
// method call on it (see producer).
func releasedObjects(fn *ssa.Function) map[ssa.Value]bool {
	var acquired map[ssa.Value]bool
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			if acq := methodReceiver(&d.Call); acq != nil {
				if acquired == nil {
					acquired = map[ssa.Value]bool{}
				}
				acquired[acq] = true
			}
		}
	}
	return acquired
}

// findPerCallParams finds the parameters for which every caller passes a
// per-call object of its own (send(&ctx) after ctx := acquire(); defer
// ctx.Release()). Such a parameter is per-call here too: the function is
// re-entered only through its callers (all of them are visible), none of
// them calls it again with the same object on the error path, so a
// re-entry comes from a caller's own re-entry, which acquires a new
// object; what the function did to the old one, and to package state
// through calls on it, the caller's release has undone or dropped.
func (a *analysis) findPerCallParams() map[int]bool {
	if a.y == nil || len(a.fn.Params) == 0 {
		return nil
	}
	sites, ok := a.y.CallSites(a.fn)
	if !ok {
		return nil
	}
	carrier := -1
	if a.spelling == yields.Error || a.spelling == yields.Value {
		carrier = a.resIdx[0]
	}
	released := map[*ssa.Function]map[ssa.Value]bool{}
	for _, c := range sites {
		if a.y.Recalls(c, carrier) {
			return nil
		}
		if g := c.Parent(); released[g] == nil {
			released[g] = releasedObjects(g)
		}
	}
	var out map[int]bool
	for k := range a.fn.Params {
		all := true
		for _, c := range sites {
			if k >= len(c.Call.Args) {
				all = false
				break
			}
			acq := producer(c.Call.Args[k], 0)
			if acq == nil || !released[c.Parent()][acq] {
				all = false
				break
			}
		}
		if all {
			if out == nil {
				out = map[int]bool{}
			}
			out[k] = true
		}
	}
	return out
}

// perCallParamRecv reports whether a static method call's receiver is a
// per-call parameter.
func (a *analysis) perCallParamRecv(c *ssa.CallCommon) bool {
	if len(a.perCallParams) == 0 || c.IsInvoke() || c.Signature().Recv() == nil || len(c.Args) == 0 {
		return false
	}
	p, ok := c.Args[0].(*ssa.Parameter)
	if !ok {
		return false
	}
	for k, q := range a.fn.Params {
		if q == p {
			return a.perCallParams[k]
		}
	}
	return false
}

// methodReceiver returns what makes the receiver of a static method call
// (see producer), or nil.
func methodReceiver(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() || c.Signature().Recv() == nil || len(c.Args) == 0 {
		return nil
	}
	return producer(c.Args[0], 0)
}

// producer returns what makes the object v: the call whose result it is
// (directly, as a component, or through the local variable it was stored
// in), or a local variable declared here and never assigned (var b
// Buffer), or nil. A field of a local variable is made by what made the
// variable (info, err := prepare(); defer info.ctx.Release()): a struct
// returned by value is a copy that belongs to the call, and so do the
// objects it holds by value. A field reached through a pointer is not (p
// := lookup(); p.mu may be shared with every other holder of p).
func producer(v ssa.Value, depth int) ssa.Value {
	if depth > 4 {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Call:
		return v
	case *ssa.Extract:
		if c, ok := v.Tuple.(*ssa.Call); ok {
			return c
		}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return producer(v.X, depth+1)
		}
	case *ssa.FieldAddr:
		if x, ok := v.X.(*ssa.Alloc); ok {
			return producer(x, depth+1)
		}
	case *ssa.Alloc:
		var st *ssa.Store
		for _, r := range *v.Referrers() {
			if s, ok := r.(*ssa.Store); ok && s.Addr == v {
				if st != nil {
					return nil
				}
				st = s
			}
		}
		if st == nil {
			return v // declared here, zero: made by this call
		}
		if _, zero := st.Val.(*ssa.Const); zero {
			return v
		}
		return producer(st.Val, depth+1)
	}
	return nil
}

// perCallEffect reports whether an effect of a per-call object's call is
// one the object's release undoes: package state, or the object itself.
// Any instruction's effect on a per-call parameter is one too.
func (a *analysis) perCallEffect(instr ssa.Instruction, onObject bool) func(e effect.Effect) bool {
	recv := a.perCallRecv[instr]
	paired := a.refPaired[instr]
	return func(e effect.Effect) bool {
		if paired {
			return true
		}
		if e.Loc.Root.Kind == persist.Param && a.perCallParams[e.Loc.Root.Index] {
			return true
		}
		return onObject && (e.Loc.Root.Kind == persist.Global || !e.Loc.Root.Persistent() ||
			recv != "" && hasPrefixPath(e.Loc.Path, recv))
	}
}

// pairedReferences finds the calls that only take references (every write
// of every callee is a reference method's acquisition, effect.RefMethod)
// and return an object that a deferred call, which only drops references,
// releases: `ctx := e.AcquireContextForWrite(); defer ctx.Release()`, the
// context holding the route it acquired. What the acquisition did to the
// receiver (a reference count on an object reached from it) the release
// undoes at every return after the defer, a yield included, so re-entry
// takes and drops it again and repeats nothing that lasts. The pairing is
// by the methods' names and the object the defer is made on, not by the
// reference itself: an acquisition and a release of references to
// different objects would also pair.
func (a *analysis) pairedReferences() map[ssa.Instruction]bool {
	var out map[ssa.Instruction]bool
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			acq, ok := methodReceiver(&d.Call).(*ssa.Call)
			if !ok || !a.onlyRefs(acq, true) || !a.onlyRefs(d, false) {
				continue
			}
			if out == nil {
				out = map[ssa.Instruction]bool{}
			}
			out[acq] = true
		}
	}
	return out
}

// onlyRefs reports whether every callee a call may reach only takes
// references (acquire) or only drops them.
func (a *analysis) onlyRefs(call ssa.CallInstruction, acquire bool) bool {
	if acq, rel := effect.RefMethod(call.Common()); acq && acquire || rel && !acquire {
		return true
	}
	return a.everyCallee(call, func(s *effect.Summary) bool {
		return s != nil && (acquire && s.OnlyAcquires() || !acquire && s.OnlyReleases())
	})
}
