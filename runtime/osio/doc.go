// Package osio is the operating system's file system as an rt.IO backend,
// over *os.File.
//
// It is synchronous, like Turso's UnixIO: each submit call performs its
// system call (pread, pwrite, fsync, ftruncate) and finishes the completion
// inline, running the completion's callback before the call returns, on the
// caller's goroutine and possibly while the caller holds locks (a callback
// must not take them). Step is a no-op.
//
// Errors keep the OS error: every failure is an *rt.IOError whose Err is
// the error from package os, so errors.Is(err, fs.ErrNotExist) and
// errors.As(err, new(*fs.PathError)) see through it. Failures arrive through
// one of two channels:
//
//   - submission errors, returned by the submit call, the completion never
//     runs: a closed handle, a nil completion, a completion of the wrong
//     kind, a completion already submitted (rt.ErrSubmittedTwice);
//   - completion errors: a failing system call finishes the completion with
//     the wrapped error, after its callback ran with that error. A write
//     that transfers fewer bytes without an OS error fails with
//     *rt.ShortWriteError.
//
// End of file is not an error: a read that reaches it completes with the
// bytes it got, and the read callback decides whether that is a short read
// (returning *rt.ShortReadError replaces the success).
package osio
