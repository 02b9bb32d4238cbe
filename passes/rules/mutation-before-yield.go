package rules

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// MutationBeforeYield: a write to persistent state (or a submission) in the
// replay region of a yield point. Safe when re-running the prefix from the
// state re-entry sees leaves the same state: the state written on the path
// steers re-entry elsewhere (Masked), the write continues a call the yield
// re-polls first (Continued), a deferred write-back puts it back
// (Restored), or the write is the try-operation whose failure the yield
// reports (Forwarded). A deferred mutation runs at the return itself: nothing cuts it.
var MutationBeforeYield = &Rule{
	Name: "mutation-before-yield", Default: true,
	Summary: "persistent state is mutated before a yield point, so re-entry from the top mutates it again",
	Title:   "persistent state mutated before a yield point",
	Class:   "[C1](../../docs/bugs.md#c1-mutation-before-a-yield-in-the-same-state)",
	Related: "the yield point that re-enters",
	Judge: func(p *Pending) (bool, ssa.Instruction) {
		switch p.Kind {
		case DeferredMutation:
			return true, nil
		case Mutation, MoveOut:
			// Forwarded: the write is the call whose failure the yield
			// reports (a try-operation), the operation re-entry retries.
			return !p.Restored && !p.Continued && !p.Masked && !p.Forwarded, nil
		}
		return false, nil
	},
	Message: func(f *Finding, c Context) string {
		y := c.Where(f.Yield)
		switch {
		case f.Effect.Defer:
			return "deferred: " + f.Effect.What() + " at every return, including the yield at " + y + ": each re-entry repeats it; do it after the last yield instead of deferring it"
		case f.Effect.Callee != nil && f.Effect.Verb.IsSubmit():
			return f.Effect.What() + " before the yield at " + y + ": re-entry from the top submits it again; advance the state before yielding on its completion"
		}
		return f.Effect.What() + " before the yield at " + y + ": re-entry from the top repeats it; move it below the yield check or commit it with a state transition first"
	},
	Fix: func(f *Finding, c Context) *analysis.SuggestedFix {
		if f.Effect.Defer || f.Effect.Instr == nil {
			return nil
		}
		return c.MoveBelowCheck(f.Effect.Instr.Pos(), f.Yield)
	},
}
