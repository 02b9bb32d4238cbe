package rules

import "fmt"

// LostCopy: a copy of persistent state (a struct or array local) handed to
// a re-pollable call that makes progress on it, dropped at a yield or error
// exit without being written back. Found by the engine's check of the
// arguments of re-pollable calls; safe when a deferred write-back or a
// write-back on every such exit puts the copy back.
var LostCopy = &Rule{
	Name: "lost-copy", Default: true,
	Summary: "a copy of persistent state makes progress through a re-pollable call and is dropped at a yield point or error exit",
	Title:   "a copy of persistent state makes progress and is dropped at a yield",
	Class:   "[C5](../../docs/bugs.md#c5-progress-on-a-copy)",
	Related: "the exit that drops the copy",
	Message: func(f *Finding, c Context) string {
		return fmt.Sprintf("%s, and %s makes its progress on the copy, which is dropped at %s (not written back): re-entry starts from the stale original; work in place (&%s) or write the copy back on every exit (a defer)", f.Effect.What(), f.CallName, c.Where(f.Yield), f.Effect.Loc.Path)
	},
}
