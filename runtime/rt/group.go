package rt

import (
	"sync"
	"sync/atomic"
)

// Group fans N completions into one (Turso's CompletionGroup; docs/model.md
// §3 Groups).
//
// Add the children, then call Build once to get the group's own completion
// (KindGroup). The group waits for every linked child and finishes with the
// first error any child reported, or with success; its callback runs once,
// before the group completion is published as finished.
//
// Unlike Turso's group, this one:
//
//   - Atomic link-or-report: for each child, Build decides under the child's
//     lock between "linked" (the child will notify the group when it
//     finishes) and "already finished" (Build accounts for its outcome now).
//     A child that finishes concurrently with Build is never lost.
//   - Build guard: the outstanding count starts at 1, gains 1 per linked
//     child, and the guard is released after the loop, so the group cannot
//     finish half-built. The count never goes below zero, and the group is
//     finalized exactly once.
//   - Finished is the ordinary completion flag, published after the group
//     callback has returned; a group is never reported finished while a
//     linked child still reports unfinished.
//   - One outcome cell: Finished, Succeeded, Failed and Err of the group
//     completion agree whichever path finished the group.
//   - Build-time failure is uniform: a child that had already failed when
//     Build ran records the first error, and the group still waits for every
//     other linked child. So when the group has finished, every child has
//     finished and their buffers may be reused. (Turso finishes at once and
//     leaves the rest running; this package deliberately does not.)
//   - An empty group, or one whose children had all succeeded, builds to an
//     ordinary completion that has already succeeded (the callback ran inside
//     Build) — not to the explicit-yield sentinel, so yielding on it makes
//     a driver re-execute at once instead of returning to the scheduler.
//   - Error or Abort on a pending group completion records the error and
//     aborts every linked child; the group then finishes through the normal
//     path. Complete on a group completion is a no-op.
//   - Link-once, at Build: adding a pending completion that a built group
//     has linked, or adding it twice to this group, returns ErrLinkedTwice;
//     nothing panics. Add claims nothing, so an unbuilt group that is
//     dropped leaves its children free. Finished completions and the
//     explicit-yield sentinel are never linked, so they may be added
//     anywhere; they are accounted for at Build.
//   - The callback runs exactly once per group: inside Build if every child
//     had already finished, otherwise inside the completion step of the last
//     child to finish (on that child's goroutine).
//   - Build is memoized: calling it again returns the same completion. Add
//     after Build returns ErrGroupBuilt.
type Group struct {
	mu       sync.Mutex
	cb       func(err error)
	children []*Completion
	gens     []uint64                 // children[i]'s generation at Add: a recycled child is never acted on
	added    map[*Completion]struct{} // pending children added, for the duplicate check; nil after Build
	built    *Completion
}

// groupState is the fan-in state behind a built group's completion.
type groupState struct {
	c       *Completion // the group's own completion
	cb      func(err error)
	pending atomic.Int64 // 1 (build guard) + linked children not yet finished

	mu     sync.Mutex
	err    error         // first error
	linked []*Completion // children linked at Build
	gens   []uint64      // linked[i]'s generation: abort never reaches a recycled child's next operation
}

// NewGroup returns an empty group. cb (may be nil) is called once with the
// group's outcome: nil, or the first error of any child.
func NewGroup(cb func(err error)) *Group {
	return &Group{cb: cb}
}

// Add records c as a child. It returns ErrNilCompletion for nil,
// ErrGroupBuilt after Build, and ErrLinkedTwice if c is pending and is
// already linked to a built group or was already added to this one. Adding
// claims nothing: the link is made at Build, so a child added to a group
// that is dropped unbuilt may join another group. Children that have already
// finished and the explicit-yield sentinel are always accepted and never
// linked.
func (g *Group) Add(c *Completion) error {
	if c == nil {
		return ErrNilCompletion
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.built != nil {
		return ErrGroupBuilt
	}
	if c.kind != KindYield {
		c.mu.Lock()
		pending := !c.Finished()
		linked := pending && c.parent != nil
		c.mu.Unlock()
		if linked {
			return ErrLinkedTwice
		}
		if pending {
			if _, dup := g.added[c]; dup {
				return ErrLinkedTwice
			}
			if g.added == nil {
				g.added = make(map[*Completion]struct{})
			}
			g.added[c] = struct{}{}
		}
	}
	g.children = append(g.children, c)
	g.gens = append(g.gens, c.Generation())
	return nil
}

// Build returns the group's own completion (KindGroup). The first call links
// the pending children; later calls return the same completion. If every
// child has already finished (or there are none) the group finishes inside
// Build: the group callback runs inside Build, on the caller's goroutine.
// So a callback's bookkeeping runs once per group, not once per operation:
// an operation that builds a new group over the same children on every
// re-entry runs it again each time. Memoize the group (GroupOnce).
//
// A pending child that another group linked after it was added here (two
// unbuilt groups sharing a child, the other built first) is not linked a
// second time: this group records ErrLinkedTwice as its error and does not
// wait for that child.
func (g *Group) Build() *Completion {
	g.mu.Lock()
	if g.built != nil {
		built := g.built
		g.mu.Unlock()
		return built
	}
	gs := &groupState{cb: g.cb}
	gc := &Completion{kind: KindGroup, group: gs}
	gs.c = gc
	gs.pending.Store(1) // build guard
	g.built = gc
	for i, child := range g.children {
		if child.kind == KindYield {
			continue
		}
		if err := gs.link(child, g.gens[i]); err != nil {
			gs.record(err)
		}
	}
	g.added = nil
	g.mu.Unlock()
	gs.release() // drop the build guard, outside g.mu: the callback may run here
	return gc
}

// Cancel aborts every child added so far. Children that already finished
// keep their outcome. Cancel before Build makes Build finish the group with
// ErrAborted (if any child was pending); Cancel after Build makes the group
// finish with ErrAborted through the normal path.
//
// Cancel may be called from a child's callback or from the group callback:
// a child that is already finishing is skipped (it needs no abort, and
// aborting it would re-enter its own completion step).
func (g *Group) Cancel() {
	g.mu.Lock()
	cs := append([]*Completion(nil), g.children...)
	gens := append([]uint64(nil), g.gens...)
	g.mu.Unlock()
	for i, c := range cs {
		if !c.isCompleting() {
			c.abortAt(gens[i])
		}
	}
}

// Completions returns a copy of the children added so far, for error paths:
// cancel them, then drain them before reusing their buffers.
func (g *Group) Completions() []*Completion {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]*Completion, len(g.children))
	copy(out, g.children)
	return out
}

// link links generation gen of child to the group, or reports why not:
// the child's outcome if that operation has already finished (nil for a
// success), ErrStaleCompletion if the child was reset since it was added,
// ErrLinkedTwice if another group linked it since. It decides under the
// child's lock, against publish: setting bitWaiter there makes the child's
// publish take the same lock, so it either sees the parent or has set the
// finished state before link looked. The outstanding count goes up before
// the lock is released, so that the child cannot report in first.
func (gs *groupState) link(child *Completion, gen uint64) error {
	child.mu.Lock()
	defer child.mu.Unlock()
	for {
		w := child.word.Load()
		switch {
		case w>>genShift != gen:
			return ErrStaleCompletion
		case w&stMask == stFinished:
			// Setting bitWaiter first makes a concurrent Reset take
			// the lock held here, so err (written before the finished
			// state) cannot change while it is read. On a finished
			// completion the bit has no other effect.
			if !child.word.CompareAndSwap(w, w|bitWaiter) {
				continue
			}
			return child.err
		case child.parent != nil:
			return ErrLinkedTwice
		}
		if child.word.CompareAndSwap(w, w|bitWaiter) {
			child.parent = gs
			gs.pending.Add(1)
			gs.mu.Lock()
			gs.linked = append(gs.linked, child)
			gs.gens = append(gs.gens, gen)
			gs.mu.Unlock()
			return nil
		}
	}
}

// record stores err as the group's error unless one is already recorded.
func (gs *groupState) record(err error) {
	gs.mu.Lock()
	if gs.err == nil {
		gs.err = err
	}
	gs.mu.Unlock()
}

func (gs *groupState) firstErr() error {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	return gs.err
}

// childFinished is called once by each linked child, after that child has
// published its own outcome.
func (gs *groupState) childFinished(err error) {
	if err != nil {
		gs.record(err)
	}
	gs.release()
}

// release takes one off the outstanding count and finalizes the group when
// it reaches zero. The count never goes below zero: a decrement that would
// is ignored.
func (gs *groupState) release() {
	for {
		v := gs.pending.Load()
		if v <= 0 {
			return
		}
		if gs.pending.CompareAndSwap(v, v-1) {
			if v == 1 {
				gs.c.finish(0, gs.firstErr())
			}
			return
		}
	}
}

// runCallback runs the user's group callback inside the group completion's
// step.
func (gs *groupState) runCallback(err error) {
	if gs.cb != nil {
		gs.cb(err)
	}
}

// abort records err and aborts every linked child.
func (gs *groupState) abort(err error) {
	if gs.c.Finished() {
		return
	}
	gs.record(err)
	gs.mu.Lock()
	linked := append([]*Completion(nil), gs.linked...)
	gens := append([]uint64(nil), gs.gens...)
	gs.mu.Unlock()
	for i, c := range linked {
		// A child that is already finishing needs no abort; skipping it
		// also lets a child's own callback abort its group without
		// re-entering that child's once (which would deadlock).
		if !c.isCompleting() {
			c.abortAt(gens[i])
		}
	}
}

// GroupOnce memoizes one group build in an operation's persistent state:
// keep it in a field, next to the list of children. The first Build creates
// a group with the callback, adds the children, builds it and keeps its
// completion; every later Build, on any re-entry, returns that same
// completion and ignores its arguments. So the group is linked once and its
// callback runs once per GroupOnce, never once per re-entry (rebuilding a
// group over the same pending children is B24 and fails with
// ErrLinkedTwice). Reset clears the memo; clear it together with the list of
// children.
//
// The callback follows Group's rules: it runs exactly once, inside the first
// Build if every child had already finished by then, otherwise inside the
// completion step of the last child to finish. The zero value is ready. A
// GroupOnce belongs to one operation and is not safe for concurrent use.
type GroupOnce struct {
	c *Completion
}

// Build returns the memoized group completion, building it on the first
// call (see GroupOnce). If adding a child fails (a nil child, or one that
// another group has linked), nothing is memoized and Build returns that
// error: the unbuilt group claims nothing, so the children stay free.
//
//reentrycheck:idempotent
func (o *GroupOnce) Build(cb func(err error), children ...*Completion) (*Completion, error) {
	if o.c != nil {
		return o.c, nil
	}
	g := NewGroup(cb)
	for _, c := range children {
		if err := g.Add(c); err != nil {
			return nil, err
		}
	}
	o.c = g.Build()
	return o.c, nil
}

// Completion returns the memoized group completion, or nil before the first
// Build and after Reset. It submits nothing.
//
//reentrycheck:idempotent
func (o *GroupOnce) Completion() *Completion { return o.c }

// Built reports whether a group completion is memoized.
func (o *GroupOnce) Built() bool { return o.c != nil }

// Reset forgets the memoized group, so that the next Build builds a new one
// (for the next batch of children). It does not touch the old group, which
// finishes as it would have.
func (o *GroupOnce) Reset() { o.c = nil }
