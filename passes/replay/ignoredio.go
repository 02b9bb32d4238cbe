package replay

import (
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/rules"
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
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || propagated[call] || !a.o.Resumable(&call.Call) || a.isConstructor(call) {
				continue
			}
			if fn := callee.Object(&call.Call); fn != nil && a.o.IsDone(fn) {
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
