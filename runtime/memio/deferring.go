package memio

import (
	"context"
	"sync"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// DeferringIO is the in-memory backend that defers every completion to the
// next Step (Turso's MemoryYieldIO, model.md §7.1). It is a separate type
// from IO, not an option, so that a test says which one it runs on.
//
// Bytes move eagerly, exactly as with IO: a write is in the store, and a
// read has filled its buffer, when the submit call returns. Only the
// completion waits: every ReadAt, WriteAt, WriteV, Sync and Truncate
// returns an unfinished completion, so code under test takes its yield
// path on every I/O. Step takes the whole pending queue first and then
// finishes each entry in submission order; completions that callbacks
// submit during a Step wait for the following Step.
//
// Submission errors are as for IO. A DeferringIO is safe for concurrent
// use; callbacks run on the goroutine that calls Step.
type DeferringIO struct {
	store *Store

	mu      sync.Mutex
	pending []outcome
	steps   int
}

var _ rt.IO = (*DeferringIO)(nil)
var _ rt.PendingCounter = (*DeferringIO)(nil)

// NewDeferring returns a deferring backend over a fresh store.
func NewDeferring() *DeferringIO { return NewDeferringOn(NewStore()) }

// NewDeferringOn returns a deferring backend over store.
func NewDeferringOn(store *Store) *DeferringIO { return &DeferringIO{store: store} }

// Store returns the backend's byte store.
func (d *DeferringIO) Store() *Store { return d.store }

// deliverOutcome queues the completion for the next Step.
func (d *DeferringIO) deliverOutcome(o outcome) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending = append(d.pending, o)
}

// Open opens path; see rt.OpenFlag for the modes.
func (d *DeferringIO) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	return open(d.store, d, path, flag)
}

// Remove unlinks path. Open handles keep working on the old bytes.
func (d *DeferringIO) Remove(path string) error { return remove(d.store, path) }

// Step finishes every completion that was pending when it was called, in
// submission order. It returns at once when nothing is pending. A
// cancelled ctx stops it before the next completion; the rest stay queued,
// ahead of anything submitted meanwhile.
func (d *DeferringIO) Step(ctx context.Context) error {
	d.mu.Lock()
	batch := d.pending
	d.pending = nil
	if len(batch) > 0 {
		d.steps++
	}
	d.mu.Unlock()
	for i, o := range batch {
		if err := ctx.Err(); err != nil {
			d.requeue(batch[i:])
			return err
		}
		o.deliver()
	}
	return ctx.Err()
}

// requeue puts an unfinished batch back at the head of the queue.
func (d *DeferringIO) requeue(rest []outcome) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending = append(append([]outcome(nil), rest...), d.pending...)
}

// Pending returns how many completions wait for a Step.
func (d *DeferringIO) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.pending)
}

// Steps returns how many Steps found something to finish.
func (d *DeferringIO) Steps() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.steps
}

// Wait steps until c has finished and returns c.Err().
func (d *DeferringIO) Wait(ctx context.Context, c *rt.Completion) error {
	return rt.WaitFor(ctx, d, c)
}

// Drain steps until every completion in cs has finished.
func (d *DeferringIO) Drain(ctx context.Context, cs []*rt.Completion) error {
	return rt.DrainAll(ctx, d, cs)
}

// Cancel aborts every completion in cs. An aborted completion that is still
// queued stays queued; its later delivery is a no-op (completions are
// one-shot). The bytes it moved stay moved.
func (d *DeferringIO) Cancel(cs []*rt.Completion) { rt.AbortAll(cs) }
