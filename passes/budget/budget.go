package budget

// Scale multiplies every budget. It is 1 in use; tests lower it to 0 to
// exercise the too-large path on small inputs.
var Scale = 1

// Transfers is the budget of a dataflow over a function of blocks basic
// blocks, in block transfers: a worklist in reverse postorder transfers each
// block once per pass, and a gen/kill problem needs a pass more per loop
// nesting level, so 64 passes is far above need.
func Transfers(blocks int) int { return Scale * (64*blocks + 4096) }

// Summaries is the budget of the summary fixpoint over a package of funcs
// functions, in summary computations: each summary is recomputed only when
// a callee's grew, and a summary can grow only a bounded number of times
// (at most 64 bits in each of four parameter sets, a few flags, and
// MaxSets recorded writes before the overflow top).
func Summaries(funcs int) int { return Scale * (256*funcs + 4096) }
