package replay

import (
	"go/token"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
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
	// First the objects released by a deferred method call, then, in a
	// second pass, the method calls on them: two passes over the function
	// whatever the number of defers.
	acquired := map[ssa.Value]bool{}
	var out map[ssa.Instruction]bool
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			if acq := methodReceiver(&d.Call); acq != nil {
				if out == nil {
					out = map[ssa.Instruction]bool{}
				}
				acquired[acq] = true
				if call, ok := acq.(*ssa.Call); ok {
					out[call] = true
				}
			}
		}
	}
	if out == nil {
		return nil
	}
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if acq := methodReceiver(call.Common()); acq != nil && acquired[acq] {
				out[instr] = true // the deferred release among them
				a.perCallRecv[instr] = a.tr.Of(call.Common().Args[0]).Path
			}
		}
	}
	return out
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
func (a *analysis) perCallEffect(instr ssa.Instruction) func(e effect.Effect) bool {
	recv := a.perCallRecv[instr]
	return func(e effect.Effect) bool {
		return e.Loc.Root.Kind == persist.Global || !e.Loc.Root.Persistent() ||
			recv != "" && hasPrefixPath(e.Loc.Path, recv)
	}
}
