// Package memio provides in-memory rt.IO backends over a shared byte store.
//
// Two backends, two types, so a test says which one it runs on:
//
//   - IO (New, NewOn) is synchronous, like Turso's MemoryIO: every operation
//     moves its bytes and finishes its completion inside the submit call.
//     Code under test takes its yield path only where it yields on a
//     finished completion or yields explicitly.
//   - DeferringIO (NewDeferring, NewDeferringOn, NewDeferringWith) is
//     Turso's MemoryYieldIO (docs/model.md §7 Test backends): bytes still
//     move inside the submit call, but completions wait for the next Step.
//     With the default policy every I/O forces a yield and a re-entry,
//     which is what finds re-entrancy bugs; a Policy defers only some
//     operations (DeferNth: only the k-th; DeferFrom, DeferKinds,
//     DeferPaths, or any predicate over an Op) and finishes the rest
//     inline. Step takes the whole pending queue first; completions
//     submitted by callbacks during a Step wait for the following one.
//     Schedule finishes an event completion (rt.NewEvent) at the next Step.
//
// Both sit on a Store (one byte slice per path). Backends on the same
// Store see each other's bytes; Store.Snapshot copies everything for
// comparisons between runs.
//
// Reads that cross the end of a file complete with the bytes copied; the
// read callback decides whether that is a short read (rt.File), usually by
// returning *rt.ShortReadError, which becomes the completion's error.
// Submission errors (closed handle, write on a read-only handle, nil or
// wrong-kind completion, a completion already submitted:
// rt.ErrSubmittedTwice) are returned by the submit call as *rt.IOError, the
// completion never runs and the call moves no bytes. Nothing fails at
// completion time here; the sim package injects such faults.
//
// # Crash model
//
// A Store remembers, per file, the synced image (what survives any crash)
// and the writes and truncates since then, in order. Store.Crash(rng)
// returns the store a restart would find:
//
//   - Durability comes only from a sync submitted through a SyncTracker
//     (TrackSyncs wraps IO, DeferringIO or the simulator). Such a sync
//     covers every operation that had taken effect on the file when it was
//     submitted; once its completion has succeeded, those operations are
//     folded into the synced image. A sync that failed or is still in
//     flight at the crash guarantees nothing, like a failed fsync. Syncs
//     through an untracked backend make nothing durable, and SetBytes counts
//     as synced.
//   - Each unsynced operation meets its fate independently of the others
//     and they are replayed over the synced image in their original order:
//     a truncate is kept or lost; a write vanishes, persists whole, or tears
//     (only a strict prefix of its bytes persists, at byte granularity,
//     which is harsher than a sector-granular disk). Any subset therefore
//     survives, not only a prefix of the history; a lost write below a kept
//     one leaves the synced bytes or a zero-filled hole there.
//   - So after a crash every byte of a file is a synced byte, a byte of some
//     unsynced write at that offset, or a zero in a hole; bytes that no
//     unsynced operation touched are exactly the synced ones.
//   - A write the simulator still holds queued has not taken effect on the
//     store and simply vanishes. Creating and removing a file is durable at
//     once. Handles on the crashed store keep working on the old bytes; the
//     new store shares nothing with it.
//
// A nil rng is the deterministic worst case: every unsynced operation
// vanishes. Store.Synced and Store.Unsynced expose the model to tests.
package memio
