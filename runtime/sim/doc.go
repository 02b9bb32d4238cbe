// Package sim is the deterministic simulator for code written against rt:
// a seeded backend with latency and fault injection, seeded yield
// injection at state boundaries, and an abandonment sweep (docs/model.md §7
// Test backends).
//
// # Backend
//
// IO (New) runs over a memio.Store. Every random decision comes from one
// generator seeded by Config.Seed, so the same seed and the same calls give
// the same schedule; Trace records it.
//
//   - Latency: with probability Config.Latency an operation is queued
//     instead of finishing inside its submit call. It is due 1..MaxDelay
//     ticks later; each Step advances one tick (or jumps to the next due
//     tick) and finishes what is due, ordered by due tick, then submission.
//     A queued operation moves its bytes at its Step.
//   - Faults, on both failure channels: with probability
//     Config.SubmitFaults the submit call returns a *Fault and the
//     completion never runs; with probability Config.CompletionFaults the
//     operation is queued and finishes with a *Fault at its Step, moving no
//     bytes. Faults match ErrInjected (errors.Is); completion faults also
//     match rt.ErrAborted, as Turso's MemorySimIO aborts.
//   - Sync faults are excluded unless Config.FaultSyncs is set, as in
//     Turso's simulators (issue #2091: a failed fsync leaves durability
//     undefined, and checking against it produced false positives).
//     SetFaults switches injection off, e.g. while preparing files.
//   - Each completion is submitted at most once: a second submission fails
//     with rt.ErrSubmittedTwice before any dice are drawn.
//   - Timers: After finishes an event completion (rt.NewEvent) when the
//     simulated clock reaches its tick.
//
// # Yield injection
//
// An Injector answers, at a Point (a member of a subsystem's small ordinal
// enum), whether a resumable function should yield explicitly
// (ShouldYield) or fail (ShouldFail). The hook at a state boundary is
//
//	if err := s.inj.ShouldFail(p.Point()); err != nil {
//		return rt.IOResult[T]{}, err
//	}
//	if s.inj.ShouldYield(p.Point()) {
//		// Re-entrancy: <why replaying this state is safe>
//		return rt.Yield[T](), nil
//	}
//
// Placement rules: prove re-entry at the point is safe first; move the
// state into its resumable state before the hook; never place a hook after
// a push, insert, counter increment, lock acquisition or cleanup in the
// same state unless repeating it is harmless; if a lock is held across the
// hook, test both resuming and abandoning there (Sweep).
//
// Injectors: Never (production), Fixed (unit tests: arm yields and
// failures at chosen points), Seeded (the simulator's: per subsystem, a
// seeded set of ordinals that each fire once) and Everywhere (every
// arrival at every point yields once; reentrytest uses it). The hooks are
// an interface call, not a build tag: production code passes Never.
//
// # Abandonment sweep
//
// Sweep abandons an operation after its N-th I/O, for N = 1, 2, ... until
// the operation completes without reaching N, calling its Abandon or Close
// and checking caller-supplied invariants each time (Turso's B38
// regression harness).
//
// FuzzSchedule (in the tests) fuzzes seeds and probabilities over a small
// chunked writer: it must either return exactly the bytes it wrote or fail
// with an injected fault, never corrupt the file.
package sim
