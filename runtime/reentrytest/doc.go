// Package reentrytest is the dynamic re-entrancy check, the runtime twin of
// the reentrycheck linter.
//
// Check runs a resumable operation twice, each time on fresh state:
// once with every completion finishing inline (the synchronous memio
// backend, no injected yields), so the operation is re-entered only where
// it chooses to be; and once with every I/O and every injection point
// forcing a re-entry (memio.DeferringIO, whose completions all wait for the
// next Step, and sim.Everywhere as the yield injector). A correct operation
// cannot tell the two apart: its result, its error, the files it wrote and
// its persistent state (a snapshot the caller provides) must be equal. The
// classic re-entrancy bugs make them differ:
//
//   - C1, a mutation before a yield, is replayed on re-entry: an append
//     duplicates data, a counter counts twice;
//   - C3, a state advanced before a re-pollable call, skips the call on
//     re-entry: its I/O is never finished;
//   - C4, progress held in locals, restarts on re-entry.
//
// Differences are reported through a Reporter (*testing.T satisfies it),
// each with the path to the differing value, computed by Diff, a
// structural comparison written for this purpose (nil and empty slices
// and maps are equal; functions and channels are not compared).
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
// Like the linter, the check only finds what it exercises: paths the
// operation does not take in these two runs stay unchecked, and an
// operation that behaves differently on purpose when re-entered (it reads
// a clock, say) needs a snapshot that leaves that out.
package reentrytest
