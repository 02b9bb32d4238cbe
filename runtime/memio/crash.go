package memio

import (
	"context"
	"math/rand/v2"
	"slices"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// unsyncedOp is one write or truncate that no successful sync covers yet.
type unsyncedOp struct {
	seq      uint64
	truncate bool   // a truncate to off; otherwise a write of data at off
	off      int64  // write offset, or the new size of a truncate
	data     []byte // the written bytes (a copy)
}

// pendingSync is a tracked sync: once it has succeeded, every operation
// with a sequence number below covers is durable. It is held by ticket, so
// a sync completion that its owner recycles is not mistaken for the next
// operation; a sync that finished and was recycled before any settle saw it
// counts as not succeeded (its outcome is gone), which loses the writes it
// covered at a crash unless a later sync covers them.
type pendingSync struct {
	t      rt.Ticket
	covers uint64
}

// settle folds into the synced image every operation that a successful
// tracked sync covers, and forgets syncs that finished (successfully or
// not) or that a later successful sync made redundant. The caller holds
// n.mu.
func (n *node) settle() {
	var upTo uint64
	for _, s := range n.syncs {
		if s.t.Succeeded() {
			upTo = max(upTo, s.covers)
		}
	}
	if upTo > 0 {
		k := 0
		for k < len(n.ops) && n.ops[k].seq < upTo {
			n.synced = n.ops[k].apply(n.synced)
			k++
		}
		n.ops = slices.Delete(n.ops, 0, k)
	}
	n.syncs = slices.DeleteFunc(n.syncs, func(s pendingSync) bool {
		return s.t.Finished() || s.covers <= upTo
	})
}

// apply performs the operation on an image and returns the new image.
func (o unsyncedOp) apply(img []byte) []byte {
	if o.truncate {
		return applyTruncate(img, o.off)
	}
	return applyWrite(img, o.data, o.off)
}

// syncPoint returns the sequence number a sync submitted now covers: every
// operation that has taken effect on the node so far.
func (n *node) syncPoint() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.next
}

// addSync records a submitted sync covering the operations below covers.
func (n *node) addSync(t rt.Ticket, covers uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.syncs = append(n.syncs, pendingSync{t: t, covers: covers})
	n.settle()
}

// crashImage returns the bytes of the file after a crash, drawing the fate
// of every unsynced operation from rng (nil: every one vanishes).
func (n *node) crashImage(rng *rand.Rand) []byte {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.settle()
	img := slices.Clone(n.synced)
	if img == nil {
		img = []byte{}
	}
	if rng == nil {
		return img
	}
	for _, o := range n.ops {
		if o.truncate {
			if rng.IntN(2) == 0 {
				img = o.apply(img)
			}
			continue
		}
		switch rng.IntN(3) {
		case 0: // vanished
		case 1: // persisted whole
			img = o.apply(img)
		default: // torn: a strict prefix persisted
			if len(o.data) > 1 {
				torn := o
				torn.data = o.data[:1+rng.IntN(len(o.data)-1)]
				img = torn.apply(img)
			}
		}
	}
	return img
}

// unsynced returns the number of operations no successful sync covers.
func (n *node) unsynced() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.settle()
	return len(n.ops)
}

// syncedImage returns a copy of the durable image.
func (n *node) syncedImage() []byte {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.settle()
	img := slices.Clone(n.synced)
	if img == nil {
		img = []byte{}
	}
	return img
}

// Crash returns the store a machine would find on restart after crashing
// now: a new Store, sharing nothing with s, whose files hold their synced
// image with each unsynced operation applied, dropped or torn as drawn from
// rng (see the package doc, "Crash model"). A nil rng drops every unsynced
// operation, the deterministic worst case. Only syncs submitted through a
// SyncTracker count; s itself is unchanged.
func (s *Store) Crash(rng *rand.Rand) *Store {
	out := NewStore()
	s.mu.Lock()
	defer s.mu.Unlock()
	for path, n := range s.files {
		img := n.crashImage(rng)
		out.files[path] = &node{data: img, synced: slices.Clone(img)}
	}
	return out
}

// Synced returns a copy of the synced image of path (what any crash keeps),
// and whether the file exists.
func (s *Store) Synced(path string) ([]byte, bool) {
	n, ok := s.lookup(path, false)
	if !ok {
		return nil, false
	}
	return n.syncedImage(), true
}

// Unsynced returns how many writes and truncates of path no successful
// tracked sync covers yet (0 for a missing file).
func (s *Store) Unsynced(path string) int {
	n, ok := s.lookup(path, false)
	if !ok {
		return 0
	}
	return n.unsynced()
}

// Backend is an rt.IO that operates on a Store: IO, DeferringIO, and the
// simulator of the sim package.
type Backend interface {
	rt.IO
	Store() *Store
}

// SyncTracker wraps a Backend so that its syncs make writes durable in the
// crash model: a sync submitted on a file covers every write and truncate
// that had taken effect on that file when it was submitted, and makes them
// durable once its completion has succeeded. A sync that fails, or is
// still in flight at a crash, guarantees nothing. Everything else passes
// through unchanged.
type SyncTracker struct {
	inner Backend
}

var _ rt.IO = (*SyncTracker)(nil)
var _ rt.PendingCounter = (*SyncTracker)(nil)

// TrackSyncs returns a SyncTracker over inner.
func TrackSyncs(inner Backend) *SyncTracker { return &SyncTracker{inner: inner} }

// Store returns the inner backend's store.
func (t *SyncTracker) Store() *Store { return t.inner.Store() }

// Inner returns the wrapped backend.
func (t *SyncTracker) Inner() Backend { return t.inner }

// Open opens path on the inner backend and tracks the syncs of the handle.
func (t *SyncTracker) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	f, err := t.inner.Open(path, flag)
	if err != nil {
		return nil, err
	}
	n, ok := t.inner.Store().lookup(path, false)
	if !ok {
		return f, nil // removed in between: nothing to track
	}
	return &trackedFile{File: f, node: n}, nil
}

// Remove unlinks path on the inner backend.
func (t *SyncTracker) Remove(path string) error { return t.inner.Remove(path) }

// Step steps the inner backend.
func (t *SyncTracker) Step(ctx context.Context) error { return t.inner.Step(ctx) }

// Wait waits on the inner backend.
func (t *SyncTracker) Wait(ctx context.Context, c *rt.Completion) error {
	return t.inner.Wait(ctx, c)
}

// Drain drains on the inner backend.
func (t *SyncTracker) Drain(ctx context.Context, cs []*rt.Completion) error {
	return t.inner.Drain(ctx, cs)
}

// Cancel cancels on the inner backend.
func (t *SyncTracker) Cancel(cs []*rt.Completion) { t.inner.Cancel(cs) }

// Pending forwards the inner backend's count (rt.PendingCounter); a backend
// that does not count reports 0.
func (t *SyncTracker) Pending() int {
	if pc, ok := t.inner.(rt.PendingCounter); ok {
		return pc.Pending()
	}
	return 0
}

// trackedFile is a handle whose syncs the crash model sees.
type trackedFile struct {
	rt.File
	node *node
}

// Sync submits the sync on the inner handle and records what it covers.
// The covered point is taken before the submission: a callback that runs
// inline and writes again is not covered by this sync.
func (f *trackedFile) Sync(c *rt.Completion) (*rt.Completion, error) {
	covers := f.node.syncPoint()
	var t rt.Ticket
	if c != nil {
		// Taken before the submission, so that it names the operation
		// submitted here even if the completion finishes and is
		// recycled before addSync runs.
		t = c.Ticket()
	}
	got, err := f.File.Sync(c)
	if err != nil {
		return nil, err
	}
	f.node.addSync(t, covers)
	return got, nil
}
