package rt

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// Kind is the kind of I/O a Completion stands for.
type Kind uint8

// The completion kinds (docs/model.md §2 Completion).
const (
	KindUnknown  Kind = iota // zero value; use a constructor instead
	KindRead                 // NewRead
	KindWrite                // NewWrite
	KindSync                 // NewSync
	KindTruncate             // NewTruncate
	KindGroup                // Group.Build
	KindYield                // YieldCompletion, the explicit-yield sentinel
	KindEvent                // NewEvent: finished by user code, never submitted
)

var kindNames = [...]string{"unknown", "read", "write", "sync", "truncate", "group", "yield", "event"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// noCopy makes go vet's copylocks check report copies of a Completion.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// Completion is a shared, one-shot, concurrency-safe result cell for one
// I/O operation (docs/model.md §2 Completion). It is always used through a
// pointer and is never copied.
//
// A completion finishes exactly once, through the first of Complete, Fail
// or Abort; later calls are no-ops. Finishing runs the kind-specific callback,
// stores the outcome, publishes Finished (after the callback has returned),
// closes the Done channel and then notifies the parent group, if any. A
// callback may run on any goroutine and must not take a lock that the
// submitter may hold (synchronous backends run it inside the submit call).
//
// A callback must not Complete or Fail a completion that is finishing
// further up its own call chain (its own completion, or a sibling whose
// callback led to this one): those wait for the finish in progress, which
// deadlocks, as nested sync.Once.Do does. Abort never waits and may be
// called on anything from anywhere. A callback that panics still finishes
// its completion, with a *CallbackPanicError, before the panic goes on.
//
// A completion is submitted to a backend at most once: every backend claims
// it with MarkSubmitted in its submit path, and a second submission fails
// with ErrSubmittedTwice.
//
// A finished completion may be re-armed for another operation (Reset,
// ResetRead, ...; docs/runtime.md §3 Reuse), which is how a completion kept
// by value in an operation's state serves every I/O of that operation
// without an allocation. Each re-arm starts a new generation, and every
// rule above holds per generation: one finish, one callback, one
// submission. Tickets (Claim, Completion.Ticket) and groups hold a
// completion by generation and never act on a later one.
//
//reentrycheck:completion
type Completion struct {
	_ noCopy

	buf    []byte                                   // KindRead
	readCB func(buf []byte, n int, err error) error // KindRead
	cb     func(n int, err error)                   // write, sync, truncate, event
	group  *groupState                              // KindGroup: the fan-in state

	// word packs the finish state, the submission claim and the
	// generation (see the st and bit constants), so that a claim, a finish
	// and a reset each decide with one compare-and-swap against one
	// generation: whoever holds an old generation cannot act on the next
	// operation.
	word atomic.Uint64
	kind Kind
	n    int   // written before the finished state, read after it
	err  error // written before the finished state, read after it

	// The fields below are set only together with bitWaiter, under mu, on
	// a completion that has not finished: a completion that nobody waits
	// on through a channel or a group never takes the lock.
	mu     sync.Mutex
	parent *groupState   // group this completion is linked to (set by Build)
	done   chan struct{} // made by Done (or a waiting finisher); closed when finished
}

// The layout of Completion.word. The low bits are the finish state and the
// claim flags; the rest is the generation, which Reset increments.
const (
	stPending    uint64 = 0 // not finished; Complete, Fail and Abort may claim the finish
	stCompleting uint64 = 1 // a finish is running its callback
	stFinished   uint64 = 2 // the outcome is published
	stMask       uint64 = 3

	// bitSubmitted: a backend has claimed this generation (Claim or
	// MarkSubmitted).
	bitSubmitted uint64 = 1 << 2
	// bitLegacy: the claim came from MarkSubmitted, so the backend holds
	// the bare pointer and finishes it without a generation check.
	bitLegacy uint64 = 1 << 3
	// bitRetired: the completion was aborted while a MarkSubmitted claim
	// held it. The backend may still finish it later, and that finish
	// would land on whatever operation the completion stands for then, so
	// Reset refuses it for good.
	bitRetired uint64 = 1 << 4
	// bitWaiter: parent or done is set, so publish takes mu to close the
	// channel and read the parent, and Reset takes it to clear them.
	bitWaiter uint64 = 1 << 5
	// bitFailed: finished with an error. It lets a Ticket tell its
	// operation's outcome from one load, without reading err, which the
	// owner's Reset may be writing.
	bitFailed uint64 = 1 << 6

	genShift = 7
)

// closedChan is the Done channel of completions that finished before anybody
// asked for one, and of the sentinel.
var closedChan = func() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}()

// yieldSentinel is the one explicit-yield completion.
var yieldSentinel = func() *Completion {
	c := &Completion{kind: KindYield}
	c.word.Store(stFinished)
	return c
}()

// NewRead returns a read completion that owns buf: a backend reads
// len(buf) bytes into it. cb (may be nil) runs once, on success and on
// failure, with the buffer, the number of bytes read and the incoming
// error. A non-nil error returned by cb becomes the completion's outcome,
// replacing a success (short read, checksum mismatch, decryption or codec
// failure) or the incoming error.
//
//reentrycheck:idempotent
func NewRead(buf []byte, cb func(buf []byte, n int, err error) error) *Completion {
	return &Completion{kind: KindRead, buf: buf, readCB: cb}
}

// NewWrite returns a write completion. cb (may be nil) runs once, on
// success and on failure; it must check err before publishing success.
//
//reentrycheck:idempotent
func NewWrite(cb func(n int, err error)) *Completion {
	return &Completion{kind: KindWrite, cb: cb}
}

// NewSync returns a sync completion. cb is as for NewWrite.
//
//reentrycheck:idempotent
func NewSync(cb func(n int, err error)) *Completion {
	return &Completion{kind: KindSync, cb: cb}
}

// NewTruncate returns a truncate completion. cb is as for NewWrite.
//
//reentrycheck:idempotent
func NewTruncate(cb func(n int, err error)) *Completion {
	return &Completion{kind: KindTruncate, cb: cb}
}

// NewEvent returns a completion for an I/O source that user code finishes
// itself: a timer, a network event, a message from another goroutine. No
// backend accepts it for submission (it has its own kind); the source
// finishes it with Complete, Fail or Abort. cb is as for NewWrite.
//
// Waiting on it works like waiting on any completion: IO.Wait (WaitFor)
// steps the backend while the backend has work pending and otherwise blocks
// on Done() or the context, so a source on another goroutine
// (time.AfterFunc, a reader goroutine) wakes the driver. A source that has
// to be driven from the driver's own goroutine must be handed to the
// backend, which then finishes it in a Step: memio.DeferringIO.Schedule,
// sim.IO.After. Otherwise nothing finishes it and the wait lasts until the
// context is cancelled.
//
//reentrycheck:idempotent
func NewEvent(cb func(n int, err error)) *Completion {
	return &Completion{kind: KindEvent, cb: cb}
}

// YieldCompletion returns the explicit-yield sentinel: a shared completion
// that is finished and succeeded from birth, carries no I/O, and on which
// every mutator (Complete, Error, Abort) is a no-op. Yielding on it means
// "let others run, then call me again". Drivers must tell it apart from
// finished I/O with IsExplicitYield, or they spin (B25, a livelock on a
// yield treated as finished I/O).
// Calling it submits nothing.
//
//reentrycheck:idempotent
func YieldCompletion() *Completion { return yieldSentinel }

// Complete reports success with n bytes transferred. It is one-shot: if the
// completion already finished (or is finishing on another goroutine) the call
// waits for that to end and then does nothing. On a group completion Complete
// is a no-op: a group's outcome comes from its children only.
func (c *Completion) Complete(n int) {
	if c.kind == KindYield || c.kind == KindGroup {
		return
	}
	c.finish(n, nil)
}

// Fail reports failure with err (a nil err is recorded as an error, never
// as success). It is one-shot like Complete, and like Complete it waits for
// a finish that is already in progress. On a pending group completion it
// records err as the group's error (unless a child failed first) and aborts
// every linked child, so that the group finishes through the normal path
// once all of them have finished.
func (c *Completion) Fail(err error) {
	if c.kind == KindYield {
		return
	}
	if err == nil {
		err = errNilError
	}
	if c.kind == KindGroup {
		c.group.abort(err)
		return
	}
	c.finish(0, err)
}

// Error is Fail.
//
// Deprecated: use Fail. Error is a setter, not the error interface's
// method; the name invites reading c.Error(err) as a query.
func (c *Completion) Error(err error) { c.Fail(err) }

// Abort is Fail(ErrAborted), except that it never waits: on a completion
// that is already finishing (on any goroutine, including further up the
// caller's own call chain) it returns at once and does nothing, since the
// finish in progress wins anyway. So callbacks may abort each other freely:
// a's callback aborting b while b's aborts a does not deadlock. After
// Abort returns the completion has finished or is finishing; wait on Done()
// or through the backend to observe the outcome.
func (c *Completion) Abort() {
	switch c.kind {
	case KindYield:
		return
	case KindGroup:
		c.Fail(ErrAborted)
		return
	}
	c.finishAt(c.word.Load()>>genShift, 0, ErrAborted, true)
}

// abortAt aborts generation gen of c and does nothing if c has been reset
// since: groups hold their children by generation, so cancelling a group
// never aborts the next operation of a recycled child. Group completions
// are never reset, so their generation needs no check. It tells a group by
// c.group, which nothing writes after construction, not by c.kind, which
// the owner's Reset may be writing.
func (c *Completion) abortAt(gen uint64) {
	if c.group != nil {
		c.Abort()
		return
	}
	c.finishAt(gen, 0, ErrAborted, true)
}

// MarkSubmitted claims c for a submission. Backends call it in every submit
// path, after validating the call and before any effect: it returns
// ErrSubmittedTwice if c was already submitted (to this backend or any
// other), and an error for a group completion or the sentinel, which are
// never submitted. Backends that finish event completions for the user
// (memio.DeferringIO.Schedule, sim.IO.After) claim them the same way. A
// submission that fails validation before the claim
// leaves c unclaimed, so the caller may submit it again.
//
// A backend that keeps the completion after the submit call returns (a
// queue, a reaper goroutine) should use Claim instead and finish it through
// the Ticket: then a completion that the caller aborts and recycles while it
// is queued is safe. A completion claimed with MarkSubmitted and aborted
// before the backend finished it is never reset (Reset returns
// ErrCompletionBusy), because the backend's late finish would otherwise
// land on the next operation.
func (c *Completion) MarkSubmitted() error {
	_, err := c.claim(bitLegacy)
	return err
}

// Claim is MarkSubmitted for backends that finish the completion through
// the returned Ticket, which is bound to c's current generation. Once c has
// been reset (Reset, ResetRead, ...), the ticket's Complete, Fail and Abort
// do nothing, so a backend that still holds the ticket of an operation the
// caller gave up cannot finish the caller's next operation with the old
// outcome.
func (c *Completion) Claim() (Ticket, error) { return c.claim(0) }

// claim sets the submitted bit (and extra) on the current generation.
func (c *Completion) claim(extra uint64) (Ticket, error) {
	switch c.kind {
	case KindGroup, KindYield:
		return Ticket{}, errNotSubmittable
	}
	for {
		w := c.word.Load()
		if w&bitSubmitted != 0 {
			return Ticket{}, ErrSubmittedTwice
		}
		if c.word.CompareAndSwap(w, w|bitSubmitted|extra) {
			return Ticket{c: c, gen: w >> genShift}, nil
		}
	}
}

// unmarkSubmitted releases the claim of a submission that failed before
// anything was submitted (WriteVFanIn).
func (c *Completion) unmarkSubmitted() { c.word.And(^(bitSubmitted | bitLegacy)) }

// Submitted reports whether a backend has claimed c (MarkSubmitted, Claim)
// since it was made or last reset.
func (c *Completion) Submitted() bool { return c.word.Load()&bitSubmitted != 0 }

// Generation returns how many times c has been reset. A holder that must
// not act on a later operation of a recycled completion records it (or
// holds a Ticket) and compares.
func (c *Completion) Generation() uint64 { return c.word.Load() >> genShift }

// Ticket returns a ticket for c's current operation without claiming it,
// for observers that keep the completion and look at it later (a crash
// model tracking syncs): the ticket's queries tell that operation's state
// even after c has been reset for another one.
func (c *Completion) Ticket() Ticket { return Ticket{c: c, gen: c.Generation()} }

// isCompleting reports whether a finish has started (it may have ended).
func (c *Completion) isCompleting() bool { return c.word.Load()&stMask != stPending }

// finish runs the completion step once for the current generation.
func (c *Completion) finish(n int, err error) {
	c.finishAt(c.word.Load()>>genShift, n, err, false)
}

// finishAt runs the completion step (docs/model.md §2 Completion: the
// callback, then the outcome, then the finished state, then the parent)
// for generation gen, once. It does nothing if c has been reset since gen
// or has already finished. If a finish is in progress it waits for it to
// end, like a second sync.Once.Do, unless abort is set: Abort never waits.
func (c *Completion) finishAt(gen uint64, n int, err error, abort bool) {
	for {
		w := c.word.Load()
		if w>>genShift != gen {
			return
		}
		switch w & stMask {
		case stFinished:
			// Also what lets a group callback (which runs inside its
			// last child's step, after that child has published)
			// abort or complete that child again.
			return
		case stCompleting:
			if !abort {
				<-c.doneAt(gen)
			}
			return
		}
		next := w | stCompleting
		if abort && w&bitLegacy != 0 {
			next |= bitRetired
		}
		if c.word.CompareAndSwap(w, next) {
			c.step(n, err)
			return
		}
	}
}

// step runs once per generation, on the goroutine that won the finish:
// callback, outcome, finished state, Done channel, then the parent group.
// Notifying the parent last means that a group is never finished while one
// of its linked children still reports unfinished.
//
// If the callback panics, the completion still finishes, with a
// *CallbackPanicError, so that nobody waits on it forever; the panic then
// continues unrecovered, with its original stack.
func (c *Completion) step(n int, err error) {
	returned := false
	defer func() {
		if !returned {
			c.publish(0, &CallbackPanicError{Kind: c.kind})
		}
	}()
	n, err = c.runCallback(n, err)
	returned = true
	c.publish(n, err)
}

// runCallback runs the kind-specific callback and returns the outcome to
// store.
func (c *Completion) runCallback(n int, err error) (int, error) {
	switch c.kind {
	case KindRead:
		if c.readCB != nil {
			var cbN int
			if err == nil {
				cbN = n
			}
			if cbErr := c.readCB(c.buf, cbN, err); cbErr != nil {
				err = cbErr
			}
		}
	case KindGroup:
		c.group.runCallback(err)
	default:
		if c.cb != nil {
			if err != nil {
				c.cb(0, err)
			} else {
				c.cb(n, nil)
			}
		}
	}
	if err != nil {
		n = 0
	}
	return n, err
}

// publish stores the outcome, sets the finished state, closes the Done
// channel and notifies the parent group.
//
// Without bitWaiter (nobody asked for Done, no group linked it) it is one
// compare-and-swap: there is no channel to close and no parent. With it,
// the finished state is set under mu, so that Done and Group.Build (which
// set the bit under mu) and Reset (which needs the finished state and then
// takes mu) cannot interleave with closing the channel and reading the
// parent. The parent is notified after the unlock, from a local, so that
// nothing here touches c once it may have been recycled.
func (c *Completion) publish(n int, err error) {
	c.n, c.err = n, err
	fin := stFinished
	if err != nil {
		fin |= bitFailed
	}
	for {
		// Only the claim bits and bitWaiter can change under a finish
		// in progress (a concurrent submission, Done, Group.Build).
		w := c.word.Load()
		if w&bitWaiter != 0 {
			break
		}
		if c.word.CompareAndSwap(w, w&^stMask|fin) {
			return
		}
	}
	c.mu.Lock()
	for {
		w := c.word.Load()
		if c.word.CompareAndSwap(w, w&^stMask|fin) {
			break
		}
	}
	parent := c.parent
	if c.done != nil {
		close(c.done)
	}
	c.mu.Unlock()

	if parent != nil {
		parent.childFinished(err)
	}
}

// Finished reports whether the completion has finished. It turns true only
// after the callback has returned. The explicit-yield sentinel is always
// finished.
func (c *Completion) Finished() bool { return c.word.Load()&stMask == stFinished }

// Succeeded reports whether the completion finished without error. The
// explicit-yield sentinel has succeeded.
func (c *Completion) Succeeded() bool {
	return c.word.Load()&(stMask|bitFailed) == stFinished
}

// Failed reports whether the completion finished with an error. Groups use
// the same single outcome cell, so Failed, Succeeded and Err always agree.
func (c *Completion) Failed() bool {
	return c.word.Load()&(stMask|bitFailed) == stFinished|bitFailed
}

// Err returns the stored error, or nil if the completion has not finished
// or succeeded. For a group it is the first error of any child.
func (c *Completion) Err() error {
	if !c.Finished() {
		return nil
	}
	return c.err
}

// N returns the number of bytes transferred, or 0 if the completion has not
// finished or failed.
func (c *Completion) N() int {
	if !c.Finished() {
		return 0
	}
	return c.n
}

// Kind returns the completion's kind.
func (c *Completion) Kind() Kind { return c.kind }

// IsExplicitYield reports whether c is the explicit-yield sentinel.
func (c *Completion) IsExplicitYield() bool { return c.kind == KindYield }

// Buffer returns the read buffer; nil for every other kind.
func (c *Completion) Buffer() []byte {
	if c.kind != KindRead {
		return nil
	}
	return c.buf
}

// Done returns a channel that is closed after Finished has turned true. The
// sentinel's channel is already closed. A reset gives the completion a new
// channel for its next operation; the old one stays closed.
func (c *Completion) Done() <-chan struct{} {
	if c.kind == KindYield {
		return closedChan
	}
	return c.doneAt(c.Generation())
}

// doneAt is Done for generation gen: a closed channel if c has finished or
// has been reset since gen. Otherwise it makes the channel and sets
// bitWaiter, so that publish closes it.
func (c *Completion) doneAt(gen uint64) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		w := c.word.Load()
		if w>>genShift != gen || w&stMask == stFinished {
			return closedChan
		}
		if c.done != nil {
			return c.done
		}
		if c.word.CompareAndSwap(w, w|bitWaiter) {
			c.done = make(chan struct{})
			return c.done
		}
	}
}

// String describes the completion for debugging.
func (c *Completion) String() string {
	switch {
	case c.kind == KindYield:
		return "rt.Completion(yield)"
	case !c.Finished():
		return "rt.Completion(" + c.kind.String() + ", pending)"
	case c.err != nil:
		return "rt.Completion(" + c.kind.String() + ", failed: " + c.err.Error() + ")"
	default:
		return "rt.Completion(" + c.kind.String() + ", ok n=" + strconv.Itoa(c.n) + ")"
	}
}
