package replay

import (
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// findFreshDrivers reports rule local-progress for its precise case (docs/bugs.md
// C4, R4 c): the receiver of a re-pollable call, whose IO a yield point
// propagates, is an object allocated during this call (&T{...}, new(T), or a
// New... constructor). Every re-entry allocates it again, so the progress of
// the operation it holds is lost (Turso B18 recreated its cursor, and with it
// the destroy's state machine, on every call). An object allocated in an
// earlier state and kept in persistent state is loaded, not allocated, here.
func (a *analysis) findFreshDrivers() {
	reported := map[ssa.Value]bool{}
	for ret, info := range a.yields {
		for src := range info.sources {
			call, ok := src.(*ssa.Call)
			if !ok || a.isConstructor(call) || !a.o.Resumable(&call.Call) {
				continue
			}
			recv := effect.Receiver(&call.Call)
			if recv == nil {
				continue
			}
			alloc := freshObject(recv, 0)
			if alloc == nil || reported[alloc] {
				continue
			}
			reported[alloc] = true
			instr, ok := alloc.(ssa.Instruction)
			if !ok {
				continue
			}
			name := a.repollName(call)
			a.findings = append(a.findings, Finding{Rule: rules.LocalProgress, Yield: ret.Pos(), Call: call, CallName: name,
				Effect: effect.Effect{Kind: effect.Clobber, Instr: instr, Loc: persist.Loc{Root: persist.Root{Kind: persist.Fresh}}}})
		}
	}
}

// freshObject returns the allocation a receiver value comes from, if it was
// allocated during this call.
func freshObject(v ssa.Value, depth int) ssa.Value {
	if depth > 6 {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Alloc:
		// &T{...}, new(T), or a zero local variable; a local variable
		// initialized as a copy of persistent state is lost-copy's case.
		if v.Referrers() != nil {
			for _, r := range *v.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == v {
					if _, isConst := st.Val.(*ssa.Const); !isConst {
						return nil
					}
				}
			}
		}
		return v
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil && fn.Signature.Recv() == nil && isPointerLike(v.Type()) {
			name := fn.Name()
			if strings.HasPrefix(name, "New") || strings.HasPrefix(name, "new") {
				return v
			}
		}
	case *ssa.UnOp:
		if cell, ok := v.X.(*ssa.Alloc); ok && cell.Referrers() != nil {
			// a local variable holding the object
			for _, r := range *cell.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
					if f := freshObject(st.Val, depth+1); f != nil {
						return f
					}
				}
			}
		}
	case *ssa.ChangeType:
		return freshObject(v.X, depth+1)
	case *ssa.MakeInterface:
		return freshObject(v.X, depth+1)
	}
	return nil
}
