package rules

import (
	"golang.org/x/tools/go/ssa"
)

// LocalProgress: progress that lives in locals. Three cases: a re-pollable
// call goes around a loop whose progress is held in locals (judged at the
// call's own yield: re-entry restarts the loop), a call is driven on an
// object allocated on every entry (found by the engine's check of the
// objects that forwarded calls run on), and a local computed in one
// state's arm is read after a yield whose state re-entry cannot bring back
// to that arm (found by the engine's check of carried locals).
var LocalProgress = &Rule{
	Name: "local-progress", Default: true,
	Summary: "a re-pollable call runs in a loop whose progress is held in locals, or on an object allocated on every entry, or a local set in an earlier state is read after a yield: re-entry starts it over",
	Title:   "progress held in locals or in a per-call object",
	Class:   "[C4](../../docs/bugs.md#c4-progress-kept-in-locals-or-per-call-objects)",
	Related: "the yield point that re-enters",
	Judge: func(p *Pending) (bool, ssa.Instruction) {
		return p.Kind == LoopedCall && !p.Idempotent && p.Forwarded && !p.Restored && !p.Continued && !p.Masked, nil
	},
	Message: func(f *Finding, c Context) string {
		y := c.Where(f.Yield)
		if f.Carried {
			return f.Effect.Name + " is read here with the value an earlier state's arm gave it, but when the function yields (at " + y + ") the state has moved past that arm: re-entry skips it and reads " + f.Effect.Name + "'s initial value instead; keep the value in persistent state, written in the arm that computes it and read back from there"
		}
		if f.InLoop {
			return f.Effect.Name + " runs in a loop whose progress is held in locals: when it yields (at " + y + "), re-entry restarts the loop from the beginning and repeats the iterations already done; keep the loop's progress in persistent state (for s.i < n { ...; s.i++ })"
		}
		return c.AssignedName(f.Position(), "the object") + " is allocated on every entry and drives " + f.CallName + ", whose IO is propagated at " + y + ": re-entry allocates a new one and the operation's progress is lost; create it in an earlier state and keep it in persistent state"
	},
}
