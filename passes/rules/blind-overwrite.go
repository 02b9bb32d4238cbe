package rules

import (
	"golang.org/x/tools/go/ssa"
)

// BlindOverwrite (off by default): a blind overwrite of persistent state
// that is not a state location, in the replay region of a yield point.
var BlindOverwrite = &Rule{
	Name: "blind-overwrite", Default: false,
	Summary: "a blind overwrite of persistent state before a yield point (idempotent as a write; reported on request)",
	Title:   "a blind overwrite before a yield point",
	Class:   "—",
	Related: "the yield point that re-enters",
	Judge: func(p *Pending) (bool, ssa.Instruction) {
		return p.Kind == BlindWrite && !p.Restored && !p.Continued && !p.Masked, nil
	},
	Message: func(f *Finding, c Context) string {
		return f.Effect.What() + " before the yield at " + c.Where(f.Yield) + " (a blind overwrite: idempotent as a write, reported on request)"
	},
}
