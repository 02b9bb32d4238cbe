// Package callbacks finds completion callbacks that publish state without
// reading their error (docs/bugs.md C12, rule R10). A completion callback runs on
// failure too, so a callback that sets "ready" unconditionally publishes a
// success that did not happen (Turso B35).
//
// A completion callback is a function literal passed to a function whose
// result is a completion type (such a function submits I/O, or builds the
// completion that will be submitted), or to a constructor of a completion
// builder: a function whose result has a method without parameters that
// returns a completion (rt.NewGroup's *Group, whose Build turns what was
// given to the group into the completion its callback completes).
package callbacks

import (
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// Finding is one write inside a callback that ignores its error: the
// write's effect, and the callback's declaration as the related position
// (rules.CallbackIgnoresError words it).
type Finding = rules.Finding

// Oracle is what the check needs to know about declarations.
type Oracle interface {
	effect.Oracle
}

// Check inspects the callbacks that fn passes to completion-returning calls.
func Check(fn *ssa.Function, o Oracle) []Finding {
	var out []Finding
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call := ssax.Call(instr)
			if call == nil {
				continue
			}
			// Only a call given a function literal can take a callback; the
			// question of what it returns (a method set per result type)
			// is asked of those alone.
			lits := literals(fn, call.Common())
			if len(lits) == 0 {
				continue
			}
			if sig := call.Common().Signature(); sig == nil || !o.ReturnsCompletion(sig) && !buildsCompletion(sig, o) {
				continue
			}
			for _, lit := range lits {
				out = append(out, checkCallback(fn, lit.fn, lit.bindings, o)...)
			}
		}
	}
	return out
}

// literal is a function literal passed to a call: its function and the
// variables it captures.
type literal struct {
	fn       *ssa.Function
	bindings []ssa.Value
}

// literals returns the arguments of call that Check inspects: closures,
// and literals of fn that capture nothing.
func literals(fn *ssa.Function, call *ssa.CallCommon) []literal {
	var out []literal
	for _, arg := range call.Args {
		switch arg := arg.(type) {
		case *ssa.MakeClosure: // a literal that captures variables
			if cb, ok := arg.Fn.(*ssa.Function); ok {
				out = append(out, literal{cb, arg.Bindings})
			}
		case *ssa.Function: // a literal that captures nothing
			if arg.Parent() == fn {
				out = append(out, literal{arg, nil})
			}
		}
	}
	return out
}

// buildsCompletion reports whether a function of this signature returns a
// completion builder: a value with a method that takes no parameters and
// returns a completion. Such a method makes the completion out of what the
// builder was given, its constructor's callback included, so the callback
// runs with that completion's outcome, failure included (a group's callback
// gets the first child's error). A method that takes arguments (a device's
// Write(buf)) starts a new operation per call instead: the object is no
// builder, and a callback its constructor keeps (an error handler) is not
// run with one completion's outcome.
func buildsCompletion(sig *types.Signature, o Oracle) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		t := types.Unalias(sig.Results().At(i).Type())
		if p, ok := t.(*types.Pointer); ok {
			t = types.Unalias(p.Elem())
		}
		named, ok := t.(*types.Named)
		if !ok || o.IsCompletion(named) {
			continue
		}
		var ms *types.MethodSet
		if types.IsInterface(named) {
			ms = types.NewMethodSet(named)
		} else {
			ms = types.NewMethodSet(types.NewPointer(named)) // *T's methods include T's
		}
		for j := 0; j < ms.Len(); j++ {
			if msig, ok := ms.At(j).Type().(*types.Signature); ok && msig.Params().Len() == 0 && o.ReturnsCompletion(msig) {
				return true
			}
		}
	}
	return false
}

// checkCallback reports the callback's writes to state that outlives the
// function creating it: captured variables bound to its receiver, parameters
// or package state, and package variables. Captured locals of the creating
// function (a test's "called" flag, an order log) are observations within
// that call, not state the callback publishes.
func checkCallback(parent, cb *ssa.Function, bindings []ssa.Value, o Oracle) []Finding {
	outer := persist.NewTracer(parent)
	errParam := -1
	for i, p := range cb.Params {
		if types.Identical(p.Type(), types.Universe.Lookup("error").Type()) {
			errParam = i
		}
	}
	if errParam < 0 {
		return nil
	}
	if testsError(cb, cb.Params[errParam]) || observesError(parent, outer, cb, bindings, cb.Params[errParam]) {
		return nil
	}
	var out []Finding
	c := effect.New(cb, o)
	for _, b := range cb.Blocks {
		for _, instr := range b.Instrs {
			for _, e := range c.Of(instr) {
				switch e.Kind {
				case effect.Clobber, effect.Blind, effect.Reset:
				default:
					continue
				}
				switch {
				case e.Loc.Root.Kind == persist.Global:
				case e.Loc.Root.Kind == persist.FreeVar && e.Loc.Root.Index < len(bindings):
					if !outlives(parent, outer, bindings[e.Loc.Root.Index], 0) {
						continue // a local of a creating function
					}
				default:
					continue // the callback's own parameters (its buffer) are its to fill
				}
				out = append(out, Finding{Rule: rules.CallbackIgnoresError, Pos: instr.Pos(), Effect: e, Yield: cb.Pos()})
			}
		}
	}
	return out
}

// outlives reports whether a closure binding made in fn refers to state that
// outlives the outermost enclosing declared function: its receiver, its
// parameters or package state. A binding that is itself one of fn's free
// variables (a callback made inside a callback) is resolved in fn's creator.
func outlives(fn *ssa.Function, tr *persist.Tracer, binding ssa.Value, depth int) bool {
	loc := tr.Captured(binding)
	if loc.Root.Kind != persist.FreeVar {
		return loc.Root.Persistent()
	}
	parent := fn.Parent()
	if parent == nil || depth > 8 {
		return true
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || loc.Root.Index >= len(mc.Bindings) {
				continue
			}
			return outlives(parent, persist.NewTracer(parent), mc.Bindings[loc.Root.Index], depth+1)
		}
	}
	return true
}

// testsError reports whether the callback examines its error: tests it
// (err != nil, a switch on it) or hands it to a function that can
// (errors.Is(err, ...), assert.NoError(t, err), s.fail(err)). Then it
// handles the failure itself, whatever it does on both outcomes (a fan-in
// counter moves on failure too). Only storing or returning the error, or
// appending it somewhere, leaves every write unconditional: success is
// published on failure.
func testsError(cb *ssa.Function, err *ssa.Parameter) bool {
	for _, b := range cb.Blocks {
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && mentions(ifi.Cond, err, 0) {
			return true
		}
	}
	refs := err.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		call := ssax.Call(r)
		if call == nil {
			continue
		}
		if _, builtin := call.Common().Value.(*ssa.Builtin); !builtin {
			return true
		}
	}
	return false
}

// observesError reports whether the callback stores its error into a local
// of the creating function (`seen = err`): the creator examines it there.
func observesError(parent *ssa.Function, outer *persist.Tracer, cb *ssa.Function, bindings []ssa.Value, err *ssa.Parameter) bool {
	refs := err.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != err {
			continue
		}
		fv, ok := st.Addr.(*ssa.FreeVar)
		if !ok {
			continue
		}
		for i, v := range cb.FreeVars {
			if v == fv && i < len(bindings) && !outlives(parent, outer, bindings[i], 0) {
				return true
			}
		}
	}
	return false
}

// mentions reports whether v is computed from err.
func mentions(v ssa.Value, err *ssa.Parameter, depth int) bool {
	if v == err {
		return true
	}
	instr := ssax.Instr(v)
	if instr == nil || depth > 4 {
		return false
	}
	var ops [8]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		if op != nil && *op != nil && mentions(*op, err, depth+1) {
			return true
		}
	}
	return false
}
