package rt

import (
	"context"
	"runtime"
)

// OpenFlag says how IO.Open opens a file.
type OpenFlag int

// The open modes. They are alternatives, not bits.
const (
	OpenReadOnly  OpenFlag = iota // read only; the file must exist
	OpenReadWrite                 // read and write; the file must exist
	OpenCreate                    // read and write; create the file if it does not exist
)

func (f OpenFlag) String() string {
	switch f {
	case OpenReadOnly:
		return "read-only"
	case OpenReadWrite:
		return "read-write"
	case OpenCreate:
		return "create"
	}
	return "OpenFlag(invalid)"
}

// Writable reports whether a file opened with f may be written.
func (f OpenFlag) Writable() bool { return f == OpenReadWrite || f == OpenCreate }

// File is one open file. The submit methods take a completion and return it
// (or a submission error, in which case the completion never runs). A
// completion is submitted at most once: every submit method claims it with
// Completion.MarkSubmitted and fails with an error matching
// ErrSubmittedTwice on a second submission. Depending on the backend, the completion finishes
// inline inside the call, inside a later IO.Step, or on a backend goroutine.
type File interface {
	// ReadAt reads len(c.Buffer()) bytes at off into the read completion's
	// buffer. Reading past the end of the file completes with the number
	// of bytes actually read; the read callback decides whether that is a
	// short read.
	ReadAt(c *Completion, off int64) (*Completion, error)
	// WriteAt writes buf at off. The caller keeps buf unchanged until c
	// has finished.
	WriteAt(buf []byte, off int64, c *Completion) (*Completion, error)
	// WriteV writes bufs back to back starting at off. It fans in through a
	// group, so a failing child still finishes c (see WriteVFanIn).
	WriteV(bufs [][]byte, off int64, c *Completion) (*Completion, error)
	// Sync makes the written data durable.
	Sync(c *Completion) (*Completion, error)
	// Truncate sets the file size.
	Truncate(size int64, c *Completion) (*Completion, error)
	// Size returns the current size (synchronous).
	Size() (int64, error)
	// Close closes the file (synchronous).
	Close() error
}

// IO is a backend.
type IO interface {
	// Open opens (or creates) a file.
	Open(path string, flag OpenFlag) (File, error)
	// Remove deletes a file.
	Remove(path string) error
	// Step makes progress: it runs or reaps completions. It may block until
	// at least one completion finishes (it must not spin) and returns at
	// once when nothing is pending, or with ctx.Err() on cancellation.
	Step(ctx context.Context) error
	// Wait steps until c has finished and returns c.Err(); for the
	// explicit-yield sentinel it returns nil at once; on cancellation it
	// returns ctx.Err(). WaitFor implements it.
	Wait(ctx context.Context, c *Completion) error
	// Drain steps until every completion in cs has finished. It returns
	// the first error among them, or ctx.Err(). DrainAll implements it.
	Drain(ctx context.Context, cs []*Completion) error
	// Cancel aborts every completion in cs (the sentinel and finished
	// completions are unaffected). AbortAll implements it.
	Cancel(cs []*Completion)
}

// PendingCounter is an optional interface of an IO: Pending reports how many
// submitted completions the backend still has to finish. WaitFor uses it to
// block on a completion that the backend does not own (one finished by
// another goroutine) instead of spinning.
type PendingCounter interface {
	Pending() int
}

// WaitFor is a ready implementation of IO.Wait for backends: it calls
// io.Step until c has finished and returns c.Err(). It returns nil at once
// for the explicit-yield sentinel and ctx.Err() when ctx is cancelled.
//
// If io implements PendingCounter and reports nothing pending, WaitFor blocks
// on c.Done() (or ctx) instead of stepping; otherwise, if a Step leaves c
// unfinished, WaitFor yields the processor before stepping again.
func WaitFor(ctx context.Context, io IO, c *Completion) error {
	if c == nil {
		return ErrNilCompletion
	}
	for !c.Finished() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if pc, ok := io.(PendingCounter); ok && pc.Pending() == 0 {
			select {
			case <-c.Done():
			case <-ctx.Done():
				return ctx.Err()
			}
			break
		}
		if err := io.Step(ctx); err != nil {
			return err
		}
		if !c.Finished() {
			runtime.Gosched()
		}
	}
	return c.Err()
}

// DrainAll is a ready implementation of IO.Drain: it waits for every
// completion in cs (nil entries are skipped) and returns the first error
// among them in list order, or ctx.Err().
func DrainAll(ctx context.Context, io IO, cs []*Completion) error {
	var first error
	for _, c := range cs {
		if c == nil {
			continue
		}
		if err := WaitFor(ctx, io, c); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if first == nil {
				first = err
			}
		}
	}
	return first
}

// AbortAll is a ready implementation of IO.Cancel: it aborts every
// completion in cs. Nil entries, finished completions and the sentinel are
// unaffected.
func AbortAll(cs []*Completion) {
	for _, c := range cs {
		if c != nil {
			c.Abort()
		}
	}
}

// WriteVFanIn implements File.WriteV on top of f.WriteAt: it submits one
// child write per buffer, back to back from off, and fans them into c
// through a group. c finishes once every submitted child has finished: with
// the total number of bytes written, with a *ShortWriteError if the children
// wrote less than the buffers hold, or with the first error. A failing child
// therefore still finishes c (unlike Turso's default pwritev).
//
// WriteVFanIn claims c (Completion.MarkSubmitted; a second submission of c
// fails with ErrSubmittedTwice). If submitting the first child fails,
// nothing is in flight: WriteVFanIn returns (nil, err), c stays unclaimed and
// never runs. If submitting a later child fails, the children already
// submitted are left running (aborting them would mark them finished while
// an asynchronous backend may still read their buffers), nothing after them
// is submitted, and WriteVFanIn returns (c, nil): c finishes with that
// submission error once the submitted children have finished. Either way
// the caller waits on c alone, and the buffers are free once c has finished
// (or once WriteVFanIn has returned an error).
func WriteVFanIn(f File, bufs [][]byte, off int64, c *Completion) (*Completion, error) {
	if c == nil {
		return nil, ErrNilCompletion
	}
	if err := c.MarkSubmitted(); err != nil {
		return nil, err
	}
	want := 0
	for _, b := range bufs {
		want += len(b)
	}
	children := make([]*Completion, 0, len(bufs))
	var subErr error // a later child's submission error, reported through c
	g := NewGroup(func(err error) {
		if subErr != nil {
			err = subErr
		}
		if err != nil {
			c.Fail(err)
			return
		}
		total := 0
		for _, ch := range children {
			total += ch.N()
		}
		if total != want {
			c.Fail(&ShortWriteError{Offset: off, Expected: want, Actual: total})
			return
		}
		c.Complete(total)
	})
	pos := off
	for _, b := range bufs {
		child, err := f.WriteAt(b, pos, NewWrite(nil))
		if err != nil {
			if len(children) == 0 {
				c.unmarkSubmitted()
				return nil, err
			}
			subErr = err
			break
		}
		// A fresh completion in an unbuilt group: Add cannot fail.
		_ = g.Add(child)
		children = append(children, child)
		pos += int64(len(b))
	}
	g.Build()
	return c, nil
}
