package memio

import (
	"slices"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Op describes one operation submitted to a DeferringIO, as its Policy sees
// it.
type Op struct {
	Seq  int     // submission number on this backend, from 1
	Kind rt.Kind // rt.KindRead, rt.KindWrite (WriteAt and WriteV), rt.KindSync, rt.KindTruncate
	Path string  // the path the file was opened with
	Off  int64   // offset; the new size for a truncate
	Len  int     // bytes read or written; 0 for sync and truncate
}

// Policy decides, per submitted operation, whether a DeferringIO defers its
// completion to the next Step (true) or finishes it inside the submit call
// (false), as the synchronous IO does. Bytes move at submission either
// way. A Policy is called with the backend's lock held: it must not call the
// backend.
type Policy func(op Op) bool

// DeferAll defers every operation: the default policy.
func DeferAll(Op) bool { return true }

// DeferNth defers only the operations whose submission numbers (from 1)
// are listed and finishes every other one inline: "yield at the k-th I/O".
// Sweeping k over 1, 2, ... exercises each yield point alone.
func DeferNth(ks ...int) Policy {
	ks = slices.Clone(ks)
	return func(op Op) bool { return slices.Contains(ks, op.Seq) }
}

// DeferFrom defers the k-th operation and every later one: the first k-1
// finish inline.
func DeferFrom(k int) Policy {
	return func(op Op) bool { return op.Seq >= k }
}

// DeferKinds defers the operations of the listed kinds (for instance only
// reads, or only syncs) and finishes the others inline.
func DeferKinds(kinds ...rt.Kind) Policy {
	kinds = slices.Clone(kinds)
	return func(op Op) bool { return slices.Contains(kinds, op.Kind) }
}

// DeferPaths defers the operations on the listed paths and finishes the
// others inline.
func DeferPaths(paths ...string) Policy {
	paths = slices.Clone(paths)
	return func(op Op) bool { return slices.Contains(paths, op.Path) }
}
