package memio

import (
	"context"
	"io/fs"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// open resolves path in the store according to flag and returns a handle
// that hands its outcomes to to.
func open(store *Store, to deliverer, path string, flag rt.OpenFlag) (rt.File, error) {
	switch flag {
	case rt.OpenReadOnly, rt.OpenReadWrite, rt.OpenCreate:
	default:
		return nil, &rt.IOError{Op: "open", Path: path, Err: fs.ErrInvalid}
	}
	n, ok := store.lookup(path, flag == rt.OpenCreate)
	if !ok {
		return nil, &rt.IOError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	return &file{path: path, node: n, to: to, flag: flag}, nil
}

// remove unlinks path from the store.
func remove(store *Store, path string) error {
	if !store.remove(path) {
		return &rt.IOError{Op: "remove", Path: path, Err: fs.ErrNotExist}
	}
	return nil
}

// IO is the synchronous in-memory backend (Turso's MemoryIO): every
// operation moves its bytes and finishes its completion inline, inside the
// submit call, before the call returns. Step has nothing to do.
//
// Errors: opening a missing file without OpenCreate fails with an
// *rt.IOError wrapping fs.ErrNotExist; a closed handle, a write or truncate
// on a read-only handle, a nil completion or one of the wrong kind are
// submission errors (the submit call returns the error and the completion
// never runs). Nothing fails at completion time; use the sim package for
// that.
type IO struct {
	store *Store
}

var _ rt.IO = (*IO)(nil)

// New returns a synchronous backend over a fresh store.
func New() *IO { return NewOn(NewStore()) }

// NewOn returns a synchronous backend over store.
func NewOn(store *Store) *IO { return &IO{store: store} }

// Store returns the backend's byte store.
func (m *IO) Store() *Store { return m.store }

// deliverOutcome finishes the completion inline.
func (m *IO) deliverOutcome(o outcome) { o.deliver() }

// Open opens path; see rt.OpenFlag for the modes.
func (m *IO) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	return open(m.store, m, path, flag)
}

// Remove unlinks path. Open handles keep working on the old bytes.
func (m *IO) Remove(path string) error { return remove(m.store, path) }

// Step does nothing: every completion finished inside its submit call.
func (m *IO) Step(ctx context.Context) error { return ctx.Err() }

// Pending is always 0 (rt.PendingCounter).
func (m *IO) Pending() int { return 0 }

// Wait returns c's error; c has normally finished already.
func (m *IO) Wait(ctx context.Context, c *rt.Completion) error { return rt.WaitFor(ctx, m, c) }

// Drain waits for every completion in cs.
func (m *IO) Drain(ctx context.Context, cs []*rt.Completion) error { return rt.DrainAll(ctx, m, cs) }

// Cancel aborts every completion in cs that has not finished.
func (m *IO) Cancel(cs []*rt.Completion) { rt.AbortAll(cs) }
