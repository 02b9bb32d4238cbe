// Package rt is the core of reentrycheck's bundled async I/O runtime: a Go
// re-implementation of the cooperative I/O model of Turso's storage engine
// (docs/runtime.md; the model is specified in docs/model.md).
//
// Storage code does not block and does not start goroutines per operation.
// Every operation that may need I/O is a resumable function returning
// (IOResult[T], error): either Done(v), or IO(c), "not finished, wait for
// completion c and call me again from the top". All progress therefore lives
// in persistent state (receiver fields, usually a state enum), never in locals.
//
// The package provides:
//
//   - results: IOResult, Done, Wait (yield on a completion), Yield (explicit
//     yield), Forward (propagation), Map, ReturnAndRestore, and the checked
//     accessors Get and MustValue;
//   - completions: Completion, a one-shot, concurrency-safe result cell with
//     a kind-specific callback (Complete, Fail, Abort; one submission per
//     completion, MarkSubmitted), NewEvent for sources that user code
//     finishes, and the typed errors they carry;
//   - reuse: Reset, ResetRead and the other re-arming methods, which let a
//     finished completion (kept by value in an operation's state) stand for
//     the next operation without an allocation, and Ticket, a completion
//     bound to one generation, through which backends (Claim), groups and
//     observers act on their own operation only;
//   - groups: Group, fan-in of many completions into one, and GroupOnce, a
//     group build memoized in an operation's state;
//   - state machines: Transition, TransitionResult, ForwardTransition,
//     Machine;
//   - the File and IO interfaces that backends implement, with ready helpers
//     (WaitFor, DrainAll, AbortAll, WriteVFanIn);
//   - drivers: Block and BlockWith (run to completion), Run (a machine) and
//     Stepper (the statement-style three-way driver, with a context and
//     abandonment).
//
// The types declare themselves to the reentrycheck analyzer through the
// //reentrycheck: directives of docs/contract.md (ioresult, done, completion,
// idempotent); the analyzer has no special knowledge of this package.
//
// Backends live in sibling packages (memio, osio, sim), as does the dynamic
// re-entrancy checker (reentrytest).
package rt
