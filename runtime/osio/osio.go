package osio

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"sync/atomic"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// IO is the operating system's file system as an rt.IO. It is synchronous
// (Turso's UnixIO): each submit call performs the system call and finishes
// the completion inline, before returning. Step has nothing to do.
type IO struct {
	perm fs.FileMode
}

var _ rt.IO = (*IO)(nil)
var _ rt.PendingCounter = (*IO)(nil)

// New returns the OS backend. Files it creates get mode 0o644 (before the
// umask).
func New() *IO { return &IO{perm: 0o644} }

// Open opens path with os.OpenFile. rt.OpenReadOnly and rt.OpenReadWrite
// require the file to exist; rt.OpenCreate creates it. Failures are
// *rt.IOError wrapping the *fs.PathError, so errors.Is(err, fs.ErrNotExist)
// holds for a missing file.
func (o *IO) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	var osFlag int
	switch flag {
	case rt.OpenReadOnly:
		osFlag = os.O_RDONLY
	case rt.OpenReadWrite:
		osFlag = os.O_RDWR
	case rt.OpenCreate:
		osFlag = os.O_RDWR | os.O_CREATE
	default:
		return nil, &rt.IOError{Op: "open", Path: path, Err: fs.ErrInvalid}
	}
	f, err := os.OpenFile(path, osFlag, o.perm)
	if err != nil {
		return nil, &rt.IOError{Op: "open", Path: path, Err: err}
	}
	return &File{f: f, path: path}, nil
}

// Remove deletes path.
func (o *IO) Remove(path string) error {
	if err := os.Remove(path); err != nil {
		return &rt.IOError{Op: "remove", Path: path, Err: err}
	}
	return nil
}

// Step does nothing: every completion finished inside its submit call.
func (o *IO) Step(ctx context.Context) error { return ctx.Err() }

// Pending is always 0 (rt.PendingCounter).
func (o *IO) Pending() int { return 0 }

// Wait returns c's error; c has normally finished already.
func (o *IO) Wait(ctx context.Context, c *rt.Completion) error { return rt.WaitFor(ctx, o, c) }

// Drain waits for every completion in cs.
func (o *IO) Drain(ctx context.Context, cs []*rt.Completion) error {
	return rt.DrainAll(ctx, o, cs)
}

// Cancel aborts every completion in cs that has not finished.
func (o *IO) Cancel(cs []*rt.Completion) { rt.AbortAll(cs) }

// File is an open *os.File as an rt.File.
//
// The two failure channels: a closed handle, a nil completion, one of the
// wrong kind or one already submitted (rt.ErrSubmittedTwice) is a
// submission error (the completion never runs); a failing
// system call finishes the completion with an *rt.IOError wrapping the OS
// error, after running its callback with that error. A write that transfers
// fewer bytes than asked without an OS error fails with
// *rt.ShortWriteError. A read that reaches the end of the file completes
// with the bytes it got; the read callback decides whether that is a short
// read (rt.File).
type File struct {
	f      *os.File
	path   string
	closed atomic.Bool
}

var _ rt.File = (*File)(nil)

// OS returns the underlying *os.File.
func (f *File) OS() *os.File { return f.f }

// check rejects a submission before the system call and then claims the
// completion's one submission (rt.Completion.MarkSubmitted).
func (f *File) check(op string, c *rt.Completion, kind rt.Kind) error {
	switch {
	case f.closed.Load():
		return &rt.IOError{Op: op, Path: f.path, Err: fs.ErrClosed}
	case c == nil:
		return &rt.IOError{Op: op, Path: f.path, Err: rt.ErrNilCompletion}
	case c.Kind() != kind:
		return &rt.IOError{Op: op, Path: f.path, Err: errors.New("completion of kind " + c.Kind().String() + ", want " + kind.String())}
	}
	// The claim comes last, so that a call refused above leaves c free.
	if err := c.MarkSubmitted(); err != nil {
		return &rt.IOError{Op: op, Path: f.path, Err: err}
	}
	return nil
}

// fail finishes c with the OS error wrapped as an *rt.IOError.
func (f *File) fail(op string, c *rt.Completion, err error) {
	c.Fail(&rt.IOError{Op: op, Path: f.path, Err: err})
}

// ReadAt reads len(c.Buffer()) bytes at off. End of file is not an error:
// the completion reports the bytes read.
func (f *File) ReadAt(c *rt.Completion, off int64) (*rt.Completion, error) {
	if err := f.check("read", c, rt.KindRead); err != nil {
		return nil, err
	}
	n, err := f.f.ReadAt(c.Buffer(), off)
	if err != nil && !errors.Is(err, io.EOF) {
		f.fail("read", c, err)
		return c, nil
	}
	c.Complete(n)
	return c, nil
}

// WriteAt writes buf at off.
func (f *File) WriteAt(buf []byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("write", c, rt.KindWrite); err != nil {
		return nil, err
	}
	n, err := f.f.WriteAt(buf, off)
	f.finishWrite(c, off, len(buf), n, err)
	return c, nil
}

// WriteV writes bufs back to back from off, stopping at the first failure;
// c reports the total.
func (f *File) WriteV(bufs [][]byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("writev", c, rt.KindWrite); err != nil {
		return nil, err
	}
	want, total := 0, 0
	var err error
	for _, b := range bufs {
		want += len(b)
		if err == nil {
			var n int
			n, err = f.f.WriteAt(b, off+int64(total))
			total += n
		}
	}
	f.finishWrite(c, off, want, total, err)
	return c, nil
}

// finishWrite turns a write's result into the completion's outcome.
func (f *File) finishWrite(c *rt.Completion, off int64, want, n int, err error) {
	switch {
	case err != nil:
		f.fail("write", c, err)
	case n != want:
		c.Fail(&rt.ShortWriteError{Offset: off, Expected: want, Actual: n})
	default:
		c.Complete(n)
	}
}

// Sync flushes the file to stable storage (fsync).
func (f *File) Sync(c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("sync", c, rt.KindSync); err != nil {
		return nil, err
	}
	if err := f.f.Sync(); err != nil {
		f.fail("sync", c, err)
		return c, nil
	}
	c.Complete(0)
	return c, nil
}

// Truncate sets the file size.
func (f *File) Truncate(size int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("truncate", c, rt.KindTruncate); err != nil {
		return nil, err
	}
	if err := f.f.Truncate(size); err != nil {
		f.fail("truncate", c, err)
		return c, nil
	}
	c.Complete(0)
	return c, nil
}

// Size returns the file size from fstat.
func (f *File) Size() (int64, error) {
	if f.closed.Load() {
		return 0, &rt.IOError{Op: "size", Path: f.path, Err: fs.ErrClosed}
	}
	st, err := f.f.Stat()
	if err != nil {
		return 0, &rt.IOError{Op: "size", Path: f.path, Err: err}
	}
	return st.Size(), nil
}

// Close closes the file. Closing twice reports fs.ErrClosed.
func (f *File) Close() error {
	if f.closed.Swap(true) {
		return &rt.IOError{Op: "close", Path: f.path, Err: fs.ErrClosed}
	}
	if err := f.f.Close(); err != nil {
		return &rt.IOError{Op: "close", Path: f.path, Err: err}
	}
	return nil
}
