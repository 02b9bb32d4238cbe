package rules

import (
	"golang.org/x/tools/go/ssa"
)

// HeldAcrossYield: a mutex of persistent state locked and still held at a
// yield point, unless a deferred unlock releases it at that return.
var HeldAcrossYield = &Rule{
	Name: "held-across-yield", Default: true,
	Summary: "a sync.Mutex or sync.RWMutex locked in a resumable function is still held at a yield point",
	Title:   "a mutex still held at a yield point",
	Class:   "[C10](../../docs/bugs.md#c10-invariants-broken-at-a-yield-abandonment)",
	Related: "the yield point that re-enters",
	Judge: func(p *Pending) (bool, ssa.Instruction) {
		return p.Kind == Lock && !p.Released, nil
	},
	Message: func(f *Finding, c Context) string {
		return f.Effect.Loc.Path + " is locked and still held at the yield at " + c.Where(f.Yield) + ": re-entry locks it again and deadlocks, and other operations on the scheduler block; unlock before yielding, or defer the unlock"
	},
}
