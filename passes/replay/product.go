package replay

import (
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"golang.org/x/tools/go/ssa"
)

// recordsProduct reports whether the write of v at instr into the state
// location loc records the product of its own arm: loc is tested against
// nil, the write lies in the arm that test admits only for nil, and v is the
// Done value (r.Value(), possibly sliced or converted) of a re-pollable call
// made in that same arm:
//
//	if q.got == nil {
//		r, err := q.rd.Fill()
//		if err != nil || r.IsIO() { return rt.Forward[int](r, err) }
//		q.got = r.Value()
//	}
//
// Such a location is a memo of the call's Done value: its nil test says
// "not produced yet", so the arm runs until it has the value and the write
// is where it records it. The write therefore leaves the arm, like a
// pointer-typed call result stored under a nil test (abstractWrite's memo),
// and re-entry does not repeat the call. The assumption is the memo's own:
// a callee whose Done value may be nil for a real product (an empty read
// answered with nil rather than an empty slice) is one the nil test cannot
// tell from "not produced", and a memo over it is wrong whoever checks it.
func (a *analysis) recordsProduct(instr ssa.Instruction, v ssa.Value, loc string) bool {
	if loc == "" || !nilOnly(a.armSet(instr.Block(), loc)) || !nilable(v.Type()) {
		return false
	}
	call := a.doneValueOf(v, 0)
	return call != nil && nilOnly(a.armSet(call.Block(), loc))
}

// nilOnly reports whether an arm set admits exactly nil.
func nilOnly(s vset) bool {
	return !s.top && !s.neg && len(s.keys) == 1 && s.keys[0] == "nil"
}

// nilable reports whether values of t may be nil.
func nilable(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Slice, *types.Pointer, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	}
	return false
}

// doneValueOf returns the re-pollable call whose Done value v is: an
// accessor method called on the call's ioresult (r.Value()), or a slice or
// conversion of one (a slice of a non-nil slice is not nil).
func (a *analysis) doneValueOf(v ssa.Value, depth int) *ssa.Call {
	if depth > 4 {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Slice:
		if _, ok := v.X.Type().Underlying().(*types.Slice); ok {
			return a.doneValueOf(v.X, depth+1)
		}
	case *ssa.ChangeType:
		return a.doneValueOf(v.X, depth+1)
	case *ssa.Convert:
		if _, ok := v.X.Type().Underlying().(*types.Slice); ok {
			return a.doneValueOf(v.X, depth+1)
		}
	case *ssa.Call:
		common := v.Common()
		if common.IsInvoke() || common.Signature().Recv() == nil || len(common.Args) != 1 {
			return nil
		}
		if a.isIOResultValue(v) || a.o.IsCompletion(v.Type()) {
			return nil // the ioresult itself, or its completion: not the Done value
		}
		r := a.direct(common.Args[0])
		if r == nil {
			if load, ok := common.Args[0].(*ssa.UnOp); ok {
				if cell, ok := load.X.(*ssa.Alloc); ok {
					if st := ssax.ReachingStore(cell, load); st != nil {
						r = st.Val
					}
				}
			}
		}
		if ex, ok := r.(*ssa.Extract); ok {
			r = ex.Tuple
		}
		if c, ok := r.(*ssa.Call); ok && a.o.Resumable(&c.Call) {
			return c
		}
	}
	return nil
}
