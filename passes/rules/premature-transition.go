package rules

import (
	"golang.org/x/tools/go/ssa"
)

// PrematureTransition: the state is advanced while a re-pollable call is
// still to be driven, and the call's IO is propagated: re-entry dispatches
// on the new state and never drives the call again. Safe when re-entry
// still reaches the call (the written value selects its block, or an arm
// it selects makes the same call), or when the callee's IO means
// "submitted" (advancing first is then required, as for a submit call).
var PrematureTransition = &Rule{
	Name: "premature-transition", Default: true,
	Summary: "the state is advanced before a re-pollable call whose IO is propagated, so re-entry never drives the call again",
	Title:   "the state advanced before a re-pollable call",
	Class:   "[C3](../../docs/bugs.md#c3-state-advanced-before-a-re-pollable-call)",
	Related: "the yield point that re-enters",
	Judge: func(p *Pending) (bool, ssa.Instruction) {
		if p.Kind != Transition || p.Restored {
			return false, nil
		}
		for _, w := range p.Waits {
			if !w.Reaches && !w.SubmitStyle && !w.Redriven {
				return true, w.Call
			}
		}
		return false, nil
	},
	Message: func(f *Finding, c Context) string {
		return "state " + f.Effect.Loc.Path + " is advanced before " + f.CallName + ", whose IO is propagated at " + c.Where(f.Yield) + ": re-entry dispatches past the call and abandons it; advance the state after the call returns Done"
	},
}
