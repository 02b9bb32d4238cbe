package rt

// Reuse: a completion that has finished can be re-armed for the next
// operation instead of allocating a new one. An operation that keeps its
// completion by value in its own state (a field of type Completion, not
// *Completion) then does no allocation per I/O at all.
//
// Ownership rules (docs/runtime.md §3 Reuse):
//
//   - Only the owner resets: the code that submits the completion and keeps
//     it in its state. A reset needs a finished completion, so nobody can
//     still be finishing it.
//   - A reset ends every outside reference to the old operation. Backends
//     that keep a completion past the submit call hold a Ticket (Claim) and
//     groups hold their children by generation, so neither can act on the
//     next operation; a completion claimed with MarkSubmitted and aborted
//     before its backend finished it is refused (ErrCompletionBusy) for good.
//   - Anyone else who keeps the pointer and may look at it after the owner
//     has reset it must hold a Ticket (Completion.Ticket) and query that.

// Ticket is one operation of a completion: the completion and the
// generation it had when the ticket was taken. Backends get one from Claim
// and finish the operation through it; observers take one with
// Completion.Ticket. After the completion has been reset, the ticket is
// stale: its mutators do nothing and its queries describe the old operation
// (finished; its outcome is no longer known). The zero Ticket is stale and
// has no completion. A Ticket is a small value; copy it freely.
type Ticket struct {
	c   *Completion
	gen uint64
}

// Completion returns the ticket's completion (nil for the zero Ticket). Its
// methods act on whatever operation the completion stands for now; use the
// ticket's own methods to act on the ticket's operation.
func (t Ticket) Completion() *Completion { return t.c }

// Generation returns the generation the ticket is bound to.
func (t Ticket) Generation() uint64 { return t.gen }

// Current reports whether the completion still stands for the ticket's
// operation (it has not been reset since).
func (t Ticket) Current() bool { return t.c != nil && t.c.Generation() == t.gen }

// Finished reports whether the ticket's operation has finished. A stale
// ticket's operation has: a completion is reset only once finished.
func (t Ticket) Finished() bool {
	if t.c == nil {
		return true
	}
	w := t.c.word.Load()
	return w>>genShift != t.gen || w&stMask == stFinished
}

// Succeeded reports whether the ticket's operation finished without error.
// For a stale ticket it is false: the outcome was dropped by the reset, so
// an observer that needs it must look before the owner resets (the owner
// resets only after it has consumed the outcome itself).
func (t Ticket) Succeeded() bool {
	if t.c == nil {
		return false
	}
	// One load: generation, state and outcome together.
	w := t.c.word.Load()
	return w>>genShift == t.gen && w&(stMask|bitFailed) == stFinished
}

// Complete is Completion.Complete for the ticket's operation: a no-op once
// the completion has been reset.
func (t Ticket) Complete(n int) {
	// c.group, not c.kind: the owner's Reset may be writing the kind of a
	// recycled completion while a stale ticket is used. The sentinel needs
	// no test: it is finished, so finishAt does nothing.
	if t.c == nil || t.c.group != nil {
		return
	}
	t.c.finishAt(t.gen, n, nil, false)
}

// Fail is Completion.Fail for the ticket's operation: a no-op once the
// completion has been reset.
func (t Ticket) Fail(err error) {
	if t.c == nil {
		return
	}
	if t.c.group != nil {
		t.c.Fail(err) // never reset, so always the ticket's operation
		return
	}
	if err == nil {
		err = errNilError
	}
	t.c.finishAt(t.gen, 0, err, false)
}

// Abort is Completion.Abort for the ticket's operation: a no-op once the
// completion has been reset.
func (t Ticket) Abort() {
	if t.c == nil {
		return
	}
	t.c.abortAt(t.gen)
}

// Reset re-arms a finished completion for another operation of the same
// kind, with the same buffer (for a read) and callback. See ResetRead for
// the rules; Reset also refuses a zero Completion, which has no kind to
// keep (ErrNotResettable).
func (c *Completion) Reset() error {
	if c.kind == KindUnknown {
		return ErrNotResettable
	}
	return c.rearm(c.kind, c.buf, c.readCB, c.cb)
}

// ResetRead re-arms c as a read completion that owns buf, as NewRead(buf,
// cb) would make it. c is either a zero Completion (one kept by value in an
// operation's state, never used) or one that has finished, of any kind but
// a group or the sentinel (ErrNotResettable). A completion that is pending
// or finishing, or that was aborted while a MarkSubmitted backend held it,
// is refused with ErrCompletionBusy. A refused reset changes nothing.
//
// The reset starts a new generation: the outcome, the submission claim, the
// group link and the Done channel of the old operation are dropped, every
// Ticket of the old operation goes stale, and the completion may be
// submitted and linked to a group again. Only the completion's owner
// resets it, after consuming the old outcome (docs/runtime.md §3 Reuse);
// Reset is not safe against concurrent use of the same completion by
// anything that does not hold a Ticket.
func (c *Completion) ResetRead(buf []byte, cb func(buf []byte, n int, err error) error) error {
	return c.rearm(KindRead, buf, cb, nil)
}

// ResetWrite re-arms c as a write completion, as NewWrite(cb) would make
// it. The rules are ResetRead's.
func (c *Completion) ResetWrite(cb func(n int, err error)) error {
	return c.rearm(KindWrite, nil, nil, cb)
}

// ResetSync re-arms c as a sync completion (NewSync). The rules are
// ResetRead's.
func (c *Completion) ResetSync(cb func(n int, err error)) error {
	return c.rearm(KindSync, nil, nil, cb)
}

// ResetTruncate re-arms c as a truncate completion (NewTruncate). The rules
// are ResetRead's.
func (c *Completion) ResetTruncate(cb func(n int, err error)) error {
	return c.rearm(KindTruncate, nil, nil, cb)
}

// ResetEvent re-arms c as an event completion (NewEvent). The rules are
// ResetRead's.
func (c *Completion) ResetEvent(cb func(n int, err error)) error {
	return c.rearm(KindEvent, nil, nil, cb)
}

// rearm checks that c may be reset and starts its next generation.
//
// A finished completion without bitWaiter has no channel and no parent,
// and nothing can add them (Done and Group.Build set the bit only on an
// unfinished completion), so the reset is one compare-and-swap and a few
// plain writes. With the bit, it takes mu: publish sets the finished state
// under mu, so the lock also waits for it to have closed the channel and
// read the parent before they are cleared.
func (c *Completion) rearm(kind Kind, buf []byte, readCB func([]byte, int, error) error, cb func(int, error)) error {
	switch c.kind {
	case KindYield, KindGroup:
		return ErrNotResettable
	}
	w := c.word.Load()
	if w&bitWaiter != 0 {
		c.mu.Lock()
		defer c.mu.Unlock()
		w = c.word.Load()
	}
	unused := c.kind == KindUnknown && w&(1<<genShift-1) == 0
	if !unused && (w&stMask != stFinished || w&bitRetired != 0) {
		return ErrCompletionBusy
	}
	// A CAS, not a store: a concurrent claim (a stale holder submitting
	// the finished completion again) makes the reset fail instead of being
	// lost.
	if !c.word.CompareAndSwap(w, (w>>genShift+1)<<genShift) {
		return ErrCompletionBusy
	}
	c.kind, c.buf, c.readCB, c.cb = kind, buf, readCB, cb
	c.n, c.err = 0, nil
	if w&bitWaiter != 0 {
		c.parent, c.done = nil, nil
	}
	return nil
}
