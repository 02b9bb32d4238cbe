package summary

import (
	"go/token"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"golang.org/x/tools/go/ssa"
)

// maxCreateGuards bounds the lookups createOnce examines in one function
// (each costs a walk of the blocks below it). Past it the remaining ones are
// not trusted: their effects count, as they would without this rule.
const maxCreateGuards = 32

// createOnce marks the blocks of fn that run at most once per map key: the
// creating branch of a get-or-create. The branch is entered when a lookup
// of key k in map m found nothing (`v, ok := m[k]; !ok`, `!m[k]` on a
// map of booleans, `m[k] == nil`), and every way out of it that returns
// passes through an insert of the same key into the same map (m[k] = v).
// Whatever the branch does (build the value, evict another entry, submit
// the work for k, record a stack trace in a memo) therefore happens the
// first time the function runs for k; when it runs again with the same key,
// the lookup finds the entry and the branch is skipped. Re-entry from the
// top repeats none of it, so none of it counts in fn's summary.
//
// The key must be the same SSA value in the lookup and the insert, and the
// map the same access path from the same root; the branch is the region the
// absent edge's target dominates, and that target must have the lookup's
// block as its only predecessor. Anything else is not trusted.
func createOnce(fn *ssa.Function, tr *persist.Tracer) []bool {
	type insert struct {
		upd *ssa.MapUpdate
		m   persist.Loc
	}
	var inserts []insert
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if u, ok := instr.(*ssa.MapUpdate); ok {
				inserts = append(inserts, insert{u, tr.Of(u.Map)})
			}
		}
	}
	if len(inserts) == 0 {
		return nil
	}
	var once []bool
	guards := 0
	for _, b := range fn.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		look, absent := absentEdge(ifi)
		if look == nil || len(absent.Preds) != 1 || (once != nil && once[absent.Index]) {
			continue
		}
		m := tr.Of(look.X)
		if m.Root.Kind == persist.Unknown || m.Collapsed {
			continue
		}
		for _, in := range inserts {
			if in.upd.Key != look.Index || in.m.Root != m.Root || in.m.Path != m.Path || in.m.Collapsed {
				continue
			}
			if !absent.Dominates(in.upd.Block()) {
				continue
			}
			if guards++; guards > maxCreateGuards {
				return once
			}
			if !alwaysThrough(absent, in.upd.Block()) {
				continue
			}
			if once == nil {
				once = make([]bool, len(fn.Blocks))
			}
			markDominated(absent, once)
			break
		}
	}
	return once
}

// absentEdge returns the map lookup an If tests for a missing key, and the
// successor taken when the key is missing; nil when the If tests something
// else.
func absentEdge(ifi *ssa.If) (*ssa.Lookup, *ssa.BasicBlock) {
	succs := ifi.Block().Succs
	cond, negated := ifi.Cond, false
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond, negated = not.X, true
	}
	var look *ssa.Lookup
	present := true // the true successor is taken when the key is present
	switch c := cond.(type) {
	case *ssa.Extract:
		if l, ok := c.Tuple.(*ssa.Lookup); ok && l.CommaOk && c.Index == 1 {
			look = l
		}
	case *ssa.Lookup:
		// m[k] on a map of booleans: the zero value is what a missing key
		// reads as.
		if basic, ok := c.Type().Underlying().(*types.Basic); ok && basic.Kind() == types.Bool && !c.CommaOk {
			look = c
		}
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			break
		}
		l, _ := c.X.(*ssa.Lookup)
		k, _ := c.Y.(*ssa.Const)
		if l == nil || k == nil || !k.IsNil() || l.CommaOk {
			break
		}
		look = l
		present = c.Op == token.NEQ
	}
	if look == nil {
		return nil, nil
	}
	if _, isMap := look.X.Type().Underlying().(*types.Map); !isMap {
		return nil, nil
	}
	if present != negated {
		return look, succs[1]
	}
	return look, succs[0]
}

// alwaysThrough reports whether every path from start to a return passes
// through block via (panicking paths need not).
func alwaysThrough(start, via *ssa.BasicBlock) bool {
	if start == via {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{start: true}
	stack := []*ssa.BasicBlock{start}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ret := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ret {
			return false
		}
		for _, s := range b.Succs {
			if s != via && !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return true
}

// markDominated marks b and every block it dominates.
func markDominated(b *ssa.BasicBlock, marks []bool) {
	stack := []*ssa.BasicBlock{b}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		marks[d.Index] = true
		stack = append(stack, d.Dominees()...)
	}
}
