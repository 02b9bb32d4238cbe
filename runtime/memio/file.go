package memio

import (
	"errors"
	"io/fs"
	"sync/atomic"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// outcome is the result of one operation, computed at submission (bytes move
// eagerly) and delivered to the completion either inline or at a later Step.
type outcome struct {
	t   rt.Ticket // the claimed operation: a completion recycled meanwhile is not finished
	n   int
	err error
	op  Op // what was submitted, for a deferral Policy
}

// deliver finishes the completion with the outcome. The completion runs its
// callback inside Complete or Error; rt decides what a read callback's error
// does to a success.
func (o outcome) deliver() {
	if o.err != nil {
		o.t.Fail(o.err)
		return
	}
	o.t.Complete(o.n)
}

// deliverer receives every outcome a file computes: the synchronous backend
// delivers it at once, the deferring backend queues it for the next Step.
type deliverer interface {
	deliverOutcome(o outcome)
}

// file is an open handle on a node. It implements rt.File for both backends;
// only the deliverer differs.
type file struct {
	path   string
	node   *node
	to     deliverer
	flag   rt.OpenFlag
	closed atomic.Bool
}

var _ rt.File = (*file)(nil)

// errClosed is the submission error for a handle used after Close.
var errClosed = fs.ErrClosed

// check rejects a submission before anything happens: a closed handle, a
// write to a read-only handle, a missing completion, or a completion of the
// wrong kind. These are submission errors: the completion never runs, and
// it is not claimed.
func (f *file) check(op string, c *rt.Completion, kind rt.Kind) error {
	if f.closed.Load() {
		return &rt.IOError{Op: op, Path: f.path, Err: errClosed}
	}
	if (kind == rt.KindWrite || kind == rt.KindTruncate) && !f.flag.Writable() {
		return &rt.IOError{Op: op, Path: f.path, Err: fs.ErrPermission}
	}
	if c == nil {
		return &rt.IOError{Op: op, Path: f.path, Err: rt.ErrNilCompletion}
	}
	if c.Kind() != kind {
		return &rt.IOError{Op: op, Path: f.path, Err: errors.New("completion of kind " + c.Kind().String() + ", want " + kind.String())}
	}
	return nil
}

// claim takes the completion's one submission (rt.Completion.Claim) after
// every other check has passed, so that a rejected call leaves the
// completion unclaimed and a second submission moves no bytes. The ticket
// travels with the outcome: the deferring backend may hold it past an
// abort, and the caller may recycle the completion meanwhile.
func (f *file) claim(op string, c *rt.Completion) (rt.Ticket, error) {
	t, err := c.Claim()
	if err != nil {
		return rt.Ticket{}, &rt.IOError{Op: op, Path: f.path, Err: err}
	}
	return t, nil
}

// ReadAt copies up to len(c.Buffer()) bytes at off into the read
// completion's buffer. A read that crosses the end of the file completes
// with the number of bytes copied (rt.File's contract): the read callback
// sees n < len(buf) and decides whether that is a short read, typically by
// returning *rt.ShortReadError, which then becomes the completion's error.
func (f *file) ReadAt(c *rt.Completion, off int64) (*rt.Completion, error) {
	if err := f.check("read", c, rt.KindRead); err != nil {
		return nil, err
	}
	if off < 0 {
		return nil, &rt.IOError{Op: "read", Path: f.path, Err: fs.ErrInvalid}
	}
	t, err := f.claim("read", c)
	if err != nil {
		return nil, err
	}
	n := f.node.readAt(c.Buffer(), off)
	f.to.deliverOutcome(outcome{t: t, n: n, op: Op{Kind: rt.KindRead, Path: f.path, Off: off, Len: len(c.Buffer())}})
	return c, nil
}

// WriteAt copies buf to off, growing the file if needed. The bytes are in
// the store when WriteAt returns, whichever backend delivers the completion.
func (f *file) WriteAt(buf []byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("write", c, rt.KindWrite); err != nil {
		return nil, err
	}
	if off < 0 {
		return nil, &rt.IOError{Op: "write", Path: f.path, Err: fs.ErrInvalid}
	}
	t, err := f.claim("write", c)
	if err != nil {
		return nil, err
	}
	n := f.node.writeAt(buf, off)
	f.to.deliverOutcome(outcome{t: t, n: n, op: Op{Kind: rt.KindWrite, Path: f.path, Off: off, Len: len(buf)}})
	return c, nil
}

// WriteV writes the buffers back to back starting at off, as one operation
// with one completion reporting the total byte count.
func (f *file) WriteV(bufs [][]byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("writev", c, rt.KindWrite); err != nil {
		return nil, err
	}
	if off < 0 {
		return nil, &rt.IOError{Op: "writev", Path: f.path, Err: fs.ErrInvalid}
	}
	t, err := f.claim("writev", c)
	if err != nil {
		return nil, err
	}
	total := 0
	for _, b := range bufs {
		total += f.node.writeAt(b, off+int64(total))
	}
	f.to.deliverOutcome(outcome{t: t, n: total, op: Op{Kind: rt.KindWrite, Path: f.path, Off: off, Len: total}})
	return c, nil
}

// Sync has nothing to flush in memory; it completes with n = 0.
func (f *file) Sync(c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("sync", c, rt.KindSync); err != nil {
		return nil, err
	}
	t, err := f.claim("sync", c)
	if err != nil {
		return nil, err
	}
	f.to.deliverOutcome(outcome{t: t, op: Op{Kind: rt.KindSync, Path: f.path}})
	return c, nil
}

// Truncate sets the file size, zero-filling when it grows.
func (f *file) Truncate(size int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("truncate", c, rt.KindTruncate); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, &rt.IOError{Op: "truncate", Path: f.path, Err: fs.ErrInvalid}
	}
	t, err := f.claim("truncate", c)
	if err != nil {
		return nil, err
	}
	f.node.truncate(size)
	f.to.deliverOutcome(outcome{t: t, op: Op{Kind: rt.KindTruncate, Path: f.path, Off: size}})
	return c, nil
}

// Size returns the current size; with eager byte movement it already counts
// writes whose completions are still deferred.
func (f *file) Size() (int64, error) {
	if f.closed.Load() {
		return 0, &rt.IOError{Op: "size", Path: f.path, Err: errClosed}
	}
	return f.node.size(), nil
}

// Close marks the handle closed; later submissions fail. Closing twice
// reports fs.ErrClosed, as *os.File does.
func (f *file) Close() error {
	if f.closed.Swap(true) {
		return &rt.IOError{Op: "close", Path: f.path, Err: errClosed}
	}
	return nil
}
