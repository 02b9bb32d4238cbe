package rules

// LostCopy: a copy of persistent state (a struct or array local) that makes
// progress and is dropped at a yield without being written back. Two cases,
// both found by the engine: the copy is handed to a re-pollable call (the
// callee's progress, dropped at a yield or error exit), or it is changed
// otherwise (a store into it, a helper that writes through it) and the path
// to a yield then moves on an input of that change, so re-entry can no
// longer redo it. Safe when a deferred write-back or a write-back on every
// such path puts the copy back.
var LostCopy = &Rule{
	Name: "lost-copy", Default: true,
	Summary: "a copy of persistent state makes progress and is dropped at a yield point (or, after a re-pollable call, an error exit)",
	Title:   "a copy of persistent state makes progress and is dropped at a yield",
	Class:   "[C5](../../docs/bugs.md#c5-progress-on-a-copy)",
	Related: "the exit that drops the copy",
	Message: func(f *Finding, c Context) string {
		if f.Consumed != "" {
			return f.Effect.What() + ", and " + f.CallName + " changes the copy from " + f.Consumed + ", which is written before the yield at " + c.Where(f.Yield) + " while the copy is not written back: re-entry starts from the stale original with " + f.Consumed + " already moved on, and the change is lost; work in place (&" + f.Effect.Loc.Path + ") or write the copy back before the yield"
		}
		return f.Effect.What() + ", and " + f.CallName + " makes its progress on the copy, which is dropped at " + c.Where(f.Yield) + " (not written back): re-entry starts from the stale original; work in place (&" + f.Effect.Loc.Path + ") or write the copy back on every exit (a defer)"
	},
}
