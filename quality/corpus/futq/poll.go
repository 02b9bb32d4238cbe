// Package futq is the corpus in the poll-future spelling: a small
// pull-model future runtime, the way Rust's futures and goplus/llgo's
// async package spell "call me again", and storage-engine futures over it.
// Polling a future returns Ready(v) when it is finished or Pending() when
// it is not: the executor waits for a wake-up and polls it again from the
// top. A future that awaits another re-polls it until it is ready, and
// answers Pending while it is not (the ready! idiom:
// p := f.inner.Poll(cx); if !p.IsReady() { return Pending[T]() }).
//
// Futures are lazy (nothing happens before the first poll) and, as in
// Rust, a leaf future must not be polled again once it returned Ready: an
// Op panics if it is.
package futq

// Poll is the result of polling a future: Ready with a value, or Pending.
//
//reentrycheck:ioresult
type Poll[T any] struct {
	ready bool
	value T
}

// Ready is a finished poll carrying v.
//
//reentrycheck:done
func Ready[T any](v T) Poll[T] { return Poll[T]{ready: true, value: v} }

// Pending means "not ready: poll me again once woken". Returning it is a
// yield.
func Pending[T any]() Poll[T] { return Poll[T]{} }

// IsReady reports whether the poll finished.
func (p Poll[T]) IsReady() bool { return p.ready }

// Value is the value of a ready poll (the zero value of a pending one).
func (p Poll[T]) Value() T { return p.value }

// Waker is how a leaf future asks to be polled again: the device or the
// clock calls Wake when what the future waits for has happened.
type Waker interface{ Wake() }

// Context is passed to every poll; it carries the task's waker.
type Context struct{ Waker Waker }

// Future is a computation that may not have finished.
type Future[T any] interface {
	Poll(cx *Context) Poll[T]
}
