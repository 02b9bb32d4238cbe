// Package reentrytest is the dynamic re-entrancy check, the runtime twin of
// the reentrycheck linter.
//
// A resumable operation returns rt.IO to mean "wait for this completion,
// then call me again from the top". A correct one does not care how often
// it is called again: the number of re-entries changes when things happen,
// never what happens. The check therefore runs the operation several
// times, each time on fresh state, with different numbers of re-entries,
// and compares what each run leaves behind: the result, the error, the
// files, the persistent state (a snapshot the caller provides) and the
// number of I/O submissions of each kind.
//
// # The runs
//
//   - inline: the synchronous memio backend and sim.Never. Every
//     completion has finished when its submit call returns, so the
//     operation re-enters only where it yields regardless.
//   - re-entrant: memio.DeferringIO and sim.Everywhere. Every I/O and
//     every injection point makes the operation return and be called
//     again.
//   - deferred: memio.DeferringIO and sim.Never, the polled run's
//     baseline.
//   - polled: as deferred, but whenever the operation yields on a
//     completion that is still pending, the harness calls it again
//     (Options.Polls times, default once) before letting the completion
//     finish. An operation that keeps what it has in flight and checks it
//     on re-entry (if !c.Finished() { return rt.Wait(c) }) yields on the
//     same completion again and changes nothing: it absorbs the poll. The
//     polled run then differs from the deferred one only in the number of
//     re-entries, so any write that is repeated per re-entry before such
//     a yield shows up, whatever the yield style.
//
// Inline is compared with re-entrant, deferred with polled. Only the
// latter pair compares I/O submission counts too: the former differ in
// timing, and an operation may choose its I/O by what has finished.
//
// The model lets an operation assume that it is re-entered only after the
// completion it yielded on has finished (or, after an explicit yield,
// whenever the driver likes). A poll breaks that assumption, so the
// polled run only keeps the polls an operation absorbs: if a poll makes
// it do anything else (yield on another completion, finish, fail), the
// polled run starts over on fresh state without polling there, and the
// poll is listed in Report.Polls.Refused. Options.PollTolerant turns
// those refusals into findings, for operations written to be polled (two
// callers sharing one sub-operation, say). The one refusal that is always
// a finding is a poll that fails with rt.ErrLinkedTwice or
// rt.ErrGroupBuilt: only group bookkeeping repeated on re-entry produces
// those. Absorption is judged by the completion alone, so an operation
// that, re-entered early, uses a completion's result (its N, its buffer)
// before checking that it finished, and then waits on that same
// completion again, is misjudged: check Finished first.
//
// # What it sees
//
//   - C1, a mutation before a yield, repeated on re-entry: an append
//     duplicates data, a counter counts twice, a submit is issued again.
//     Inline versus re-entrant sees it when the yield depends on timing or
//     is an injection point; deferred versus polled sees it before any
//     yield that absorbs polls, including the unconditional
//     "submit, record, return rt.Wait(c)" style.
//   - C2, a second re-pollable call in one state: a later call's yield
//     re-runs the first one. Seen when the first call moves without
//     yielding (a cursor step), or, with PollTolerant, when it starts I/O.
//   - C3, a state advanced before a re-pollable call: re-entry skips the
//     call. Seen by inline versus re-entrant when the call yields only on
//     unfinished I/O; in the unconditional style every run skips it alike,
//     and only PollTolerant sees it (the operation moves on while the call
//     it yielded through is still waiting).
//   - C4, progress held in locals, restarts on re-entry: seen by inline
//     versus re-entrant, when the yields depend on timing or are injection
//     points (in the unconditional style every run restarts alike).
//   - C5, progress made on a copy of the state and dropped at the yield:
//     the lost progress is redone per re-entry.
//   - C8, completion bookkeeping repeated on re-entry: a group rebuilt
//     over children that are still pending fails with rt.ErrLinkedTwice.
//   - I/O submissions that grow with the number of re-entries, even when
//     the bytes come out the same.
//   - With Options.RequireSettled, an operation that returns while I/O it
//     caused is still pending, as one that drops a callee's IO result at
//     its end does (C9).
//
// # What it cannot see
//
//   - An operation whose yields move on whenever they are re-entered (a
//     callee that takes "I was waiting" to mean "my I/O landed", without
//     looking at the completion) in the unconditional style, with no
//     injection points. Every driver the model allows re-enters it exactly
//     once per I/O, so a write repeated per re-entry cannot be told from
//     one made per I/O by any run. Report.Polls says so: Sites > 0 and
//     Absorbed == 0 means the polled run learned nothing. The linter sees
//     those shapes statically; dynamically, make the callee keep its
//     completion and check it, or add injection points.
//   - Without PollTolerant, anything that shows only as moving on while a
//     completion is pending (C3, and C2 whose first call is I/O, in the
//     unconditional style).
//   - A dropped or half-tested IO result (C9) that every run drops alike:
//     in the unconditional style the callee yields on its first call in
//     every run, so the caller goes on with a zero value in every run.
//     RequireSettled sees it only when the dropped I/O is still pending
//     at the end; the linter's dropped-result rule sees it statically.
//   - Paths the runs do not take: error paths (no faults are injected;
//     use the sim backend), abandonment at a yield (sim.Sweep), other
//     operations interleaved with this one.
//   - Effects outside Env.IO, Env.Store and Run.Snapshot, and anything a
//     snapshot leaves out. An operation that behaves differently on
//     purpose when re-entered (it reads a clock, counts its calls) needs a
//     snapshot that leaves that out. The operation must be deterministic.
//
// Findings come back as a Report: Verify returns it without reporting
// anything (Report.OK, Report.Findings, each naming the run that diverged
// and the run it was compared with); Check and CheckWith report through a
// Reporter (*testing.T satisfies it). Differences carry the path to the
// differing value, computed by Diff, a structural comparison written for
// this purpose (nil and empty slices and maps are equal; functions and
// channels are not compared).
//
// Usage, in a test:
//
//	reentrytest.Check(t, func(env reentrytest.Env) (reentrytest.Run[int], error) {
//		f, err := env.IO.Open("db", rt.OpenCreate)
//		if err != nil {
//			return reentrytest.Run[int]{}, err
//		}
//		op := newInsert(f, env.Inject, key, value)
//		return reentrytest.Run[int]{Op: op.Resume, Snapshot: op.State}, nil
//	})
//
// and, for a verdict without a test (a mutation harness, say):
//
//	rep := reentrytest.Verify(reentrytest.Options{PollTolerant: true}, setup)
//	if !rep.OK() {
//		for _, f := range rep.Findings {
//			fmt.Println(f) // "deferred vs polled: state.N: 30 != 60"
//		}
//	}
package reentrytest
