package repl

import (
	"errors"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// errBadChunk reports a snapshot chunk whose magic byte is wrong.
var errBadChunk = errors.New("repl: bad snapshot chunk")

// Verify reads a snapshot chunk and marks it verified.
type Verify struct {
	In       rt.File
	c        *rt.Completion
	Verified bool
}

// Run verifies the chunk.
//
// quality: bug C12 the read callback returns the error but marks the chunk verified regardless
func (v *Verify) Run() (rt.IOResult[bool], error) {
	if v.c == nil {
		c, err := v.In.ReadAt(rt.NewRead(make([]byte, 4), func(buf []byte, n int, err error) error {
			v.Verified = true // Bug: set before, and whatever, the outcome.
			return err
		}), 0)
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		v.c = c
	}
	if !v.c.Finished() {
		// Re-entrancy: the read is kept in v.c.
		return rt.Wait[bool](v.c), nil
	}
	return rt.Done(v.Verified), v.c.Err()
}

// CheckedVerify verifies only a chunk that was read and is well-formed.
type CheckedVerify struct {
	In       rt.File
	c        *rt.Completion
	Verified bool
}

// Run verifies the chunk.
//
// quality: ok C12 the read callback checks the error and the content before publishing
func (v *CheckedVerify) Run() (rt.IOResult[bool], error) {
	if v.c == nil {
		c, err := v.In.ReadAt(rt.NewRead(make([]byte, 4), func(buf []byte, n int, err error) error {
			if err != nil {
				return err
			}
			if n < 1 || buf[0] != 's' {
				return errBadChunk
			}
			v.Verified = true
			return nil
		}), 0)
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		v.c = c
	}
	if !v.c.Finished() {
		// Re-entrancy: the read is kept in v.c.
		return rt.Wait[bool](v.c), nil
	}
	return rt.Done(v.Verified), v.c.Err()
}

// window is one outstanding range of a snapshot transfer.
type window struct {
	Next, End int
	Sum       uint64
	read      *rt.Completion
}

// step reads the window's pages from f one at a time.
//
// quality: ok C1 the read is kept in the window; progress is committed after it landed
func (w *window) step(f rt.File) (rt.IOResult[uint64], error) {
	for w.Next < w.End {
		if w.read == nil {
			c, err := f.ReadAt(rt.NewRead(make([]byte, engine.RecSize), nil), int64(w.Next*engine.PageSize))
			if err != nil {
				return rt.IOResult[uint64]{}, err
			}
			w.read = c
		}
		if !w.read.Finished() {
			// Re-entrancy: the read is kept in w.read.
			return rt.Wait[uint64](w.read), nil
		}
		if err := w.read.Err(); err != nil {
			return rt.IOResult[uint64]{}, err
		}
		w.Sum += engine.Rec(w.read.Buffer(), 0)
		w.read, w.Next = nil, w.Next+1
	}
	return rt.Done(w.Sum), nil
}

// Transfer moves a snapshot through two windows, one after the other.
type Transfer struct {
	In  rt.File
	Win [2]window
	i   int
}

// Run transfers.
//
// quality: bug C5 the window array is copied; the copy's progress is dropped at the yield
func (t *Transfer) Run() (rt.IOResult[uint64], error) {
	ws := t.Win
	for t.i < len(ws) {
		r, err := ws[t.i].step(t.In)
		if err != nil || r.IsIO() {
			// Bug: ws is a copy of the array; its windows' reads are lost.
			return rt.Forward[uint64](r, err)
		}
		t.Win[t.i] = ws[t.i]
		t.i++
	}
	return rt.Done(t.Win[0].Sum + t.Win[1].Sum), nil
}

// PtrTransfer works on the array through a pointer.
type PtrTransfer struct {
	In  rt.File
	Win [2]window
	i   int
}

// Run transfers.
//
// quality: ok C5 the window array is reached through a pointer
func (t *PtrTransfer) Run() (rt.IOResult[uint64], error) {
	ws := &t.Win
	for t.i < len(ws) {
		r, err := ws[t.i].step(t.In)
		if err != nil || r.IsIO() {
			// Re-entrancy: the window advanced in place.
			return rt.Forward[uint64](r, err)
		}
		t.i++
	}
	return rt.Done(t.Win[0].Sum + t.Win[1].Sum), nil
}

// Closer finishes a round and flushes the follower's log on the way out.
type Closer struct {
	F      *Follower
	Closed bool
}

// Run closes the round.
//
// quality: bug C9 the flush is deferred as a statement: its IO is dropped at every return
func (c *Closer) Run() (rt.IOResult[bool], error) {
	defer c.F.Apply() // Bug: the deferred call's IO goes nowhere.
	c.Closed = true
	return rt.Done(true), nil
}

// FlushingCloser flushes first and propagates.
type FlushingCloser struct {
	F      *Follower
	Closed bool
}

// Run closes the round.
//
// quality: ok C9 the flush's IO is propagated before the round is closed
func (c *FlushingCloser) Run() (rt.IOResult[bool], error) {
	r, err := c.F.Apply()
	if err != nil || r.IsIO() {
		// Re-entrancy: nothing closed yet; Apply resumes itself.
		return rt.Forward[bool](r, err)
	}
	c.Closed = true
	return rt.Done(true), nil
}
