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
package memio
