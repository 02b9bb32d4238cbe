package rules

import (
	"golang.org/x/tools/go/ssa"
)

// RepeatedCall: a re-pollable call that returned Done, in the replay region
// of a later yield point. Re-polling the call the yield forwards is not a
// repetition (Forwarded); nor is one that re-entry cannot reach again, nor
// a call of a memoized callee, which returns its Done again for free.
var RepeatedCall = &Rule{
	Name: "repeated-call", Default: true,
	Summary: "a re-pollable call that already returned Done runs again when a later yield point re-enters the function",
	Title:   "a re-pollable call that returned Done runs again",
	Class:   "[C2](../../docs/bugs.md#c2-several-yield-points-in-one-state)",
	Related: "the yield point that re-enters",
	Judge: func(p *Pending) (bool, ssa.Instruction) {
		return p.Kind == Call && !p.Idempotent && !p.Memoized && !p.Forwarded && !p.Restored && !p.Continued && !p.Masked, nil
	},
	Message: func(f *Finding, c Context) string {
		return f.Effect.What() + ", which already returned Done, runs again when the yield at " + c.Where(f.Yield) + " re-enters: give it a state of its own (advance the state after its Done) or mark the callee //reentrycheck:idempotent"
	},
}
