// Package analyzer defines reentrycheck, a go/analysis pass that finds
// re-entrancy bugs in code written in the cooperative async I/O model.
//
// # Analyzer reentrycheck
//
// reentrycheck: report persistent state mutated before a point where a resumable function may yield
//
// A resumable function returns an ioresult type (a type whose declaration
// carries //reentrycheck:ioresult). When it returns the IO variant, its caller
// waits for the completion and calls it again from its first statement. Every
// mutation of persistent state (the receiver, pointer-like parameters, package
// variables, captured variables) that runs before such a yield point therefore
// runs again on re-entry: an append duplicates data, a counter counts twice, a
// submit call submits the I/O again.
//
// The analyzer reports, at the mutation, with related information at the
// yield point:
//
//   - mutation-before-yield: a read-modify-write of persistent state (append,
//     ++, op=, map insert, element store, a mutating call, a submit call, a
//     deferred mutation) on a path to a yield point that no state transition
//     cuts;
//   - repeated-call: a re-pollable call that already returned Done and runs
//     again because a later yield point in the same state re-enters it;
//   - premature-transition: a state transition written before a re-pollable
//     call whose IO is propagated, so re-entry never drives the call again;
//   - dropped-result: the ioresult of a resumable call is discarded;
//   - local-progress: a re-pollable call in a loop whose progress is held in
//     locals, or driven on an object allocated on every entry;
//   - lost-copy: a copy of persistent state makes progress through a
//     re-pollable call and is dropped at a yield point or error exit;
//   - held-across-yield: a sync.Mutex or RWMutex still held at a yield point;
//   - callback-ignores-error: a completion callback publishes state without
//     reading its error, although callbacks run on failure too;
//   - blind-overwrite (off by default): a blind overwrite before a yield.
//
// Correct shapes stay silent: mutations after the yield check, state
// transitions that leave the arm, progress committed per loop iteration,
// reset-then-rebuild, return-and-restore, objects allocated during the call,
// and calls of functions marked //reentrycheck:idempotent.
//
// Directives: //reentrycheck:ioresult, //reentrycheck:done,
// //reentrycheck:completion, //reentrycheck:idempotent, and for yields spelled
// as errors or status constants //reentrycheck:yielderr and
// //reentrycheck:yieldvalue, on declarations, and //reentrycheck:ignore REASON
// on or above a flagged line. The flags -ioresult, -done, -completion,
// -idempotent, -yielderr and -yieldvalue declare the same for code that cannot
// be annotated; -rules selects rules. See docs/rules.md for the catalogue and
// docs/declaring.md for the spellings.
package analyzer
