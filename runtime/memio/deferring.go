package memio

import (
	"context"
	"errors"
	"sync"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// DeferringIO is the in-memory backend that defers completions to the next
// Step (Turso's MemoryYieldIO; docs/model.md §7 Test backends). It is a
// separate type from IO, not an option, so that a test says which one it
// runs on.
//
// Bytes move eagerly, exactly as with IO: a write is in the store, and a
// read has filled its buffer, when the submit call returns. Only the
// completion waits: with the default policy (DeferAll) every ReadAt,
// WriteAt, WriteV, Sync and Truncate returns an unfinished completion, so
// code under test takes its yield path on every I/O. A Policy
// (NewDeferringWith, SetPolicy) defers only some operations and finishes the
// rest inline: the k-th one (DeferNth), some kinds (DeferKinds), some paths
// (DeferPaths), or any predicate. Step takes the whole pending queue first
// and then finishes each entry in submission order; completions that
// callbacks submit during a Step wait for the following Step.
//
// Schedule hands the backend an event completion (rt.NewEvent) to finish at
// the next Step, so a test can deliver a timer or a network event at a
// chosen point of the schedule.
//
// Submission errors are as for IO. A DeferringIO is safe for concurrent
// use; deferred callbacks run on the goroutine that calls Step, inline ones
// inside the submit call.
type DeferringIO struct {
	store *Store

	mu      sync.Mutex
	policy  Policy // nil: DeferAll
	seq     int    // operations submitted so far
	pending []outcome
	steps   int
}

var _ rt.IO = (*DeferringIO)(nil)
var _ rt.PendingCounter = (*DeferringIO)(nil)

// NewDeferring returns a deferring backend over a fresh store.
func NewDeferring() *DeferringIO { return NewDeferringOn(NewStore()) }

// NewDeferringOn returns a deferring backend over store.
func NewDeferringOn(store *Store) *DeferringIO { return &DeferringIO{store: store} }

// NewDeferringWith returns a backend over store (a fresh one if nil) that
// defers the operations p selects and finishes the others inline. A nil p
// is DeferAll.
func NewDeferringWith(store *Store, p Policy) *DeferringIO {
	if store == nil {
		store = NewStore()
	}
	return &DeferringIO{store: store, policy: p}
}

// SetPolicy replaces the deferral policy for the operations submitted from
// now on (nil: DeferAll). Operations already queued stay queued. Submission
// numbers keep counting from where they are.
func (d *DeferringIO) SetPolicy(p Policy) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.policy = p
}

// Submissions returns how many operations have been submitted (the Seq of the
// last one).
func (d *DeferringIO) Submissions() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.seq
}

// Schedule finishes the event completion c (rt.NewEvent) at the next Step,
// with n bytes or, if err is non-nil, with err, in order with the
// operations queued before it. It claims c (rt.Completion.Claim):
// scheduling it twice, or scheduling anything but an unclaimed event
// completion, returns an error and changes nothing. Schedule does not count
// as a submission for the Policy.
func (d *DeferringIO) Schedule(c *rt.Completion, n int, err error) error {
	switch {
	case c == nil:
		return &rt.IOError{Op: "schedule", Err: rt.ErrNilCompletion}
	case c.Kind() != rt.KindEvent:
		return &rt.IOError{Op: "schedule", Err: errors.New("completion of kind " + c.Kind().String() + ", want event")}
	}
	t, cerr := c.Claim()
	if cerr != nil {
		return &rt.IOError{Op: "schedule", Err: cerr}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending = append(d.pending, outcome{t: t, n: n, err: err, op: Op{Kind: rt.KindEvent}})
	return nil
}

// Store returns the backend's byte store.
func (d *DeferringIO) Store() *Store { return d.store }

// deliverOutcome numbers the operation and, as the policy decides, queues
// its completion for the next Step or finishes it now (outside the lock:
// the callback may submit).
func (d *DeferringIO) deliverOutcome(o outcome) {
	d.mu.Lock()
	d.seq++
	o.op.Seq = d.seq
	if d.policy == nil || d.policy(o.op) {
		d.pending = append(d.pending, o)
		d.mu.Unlock()
		return
	}
	d.mu.Unlock()
	o.deliver()
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
