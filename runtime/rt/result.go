package rt

// IOResult is the resumable result (docs/model.md §1 IOResult): either
// Done(v), the operation finished with v, or IO(c), not finished: wait until
// completion c has finished, then call the same function again from its
// first statement.
//
// Resumable functions return (IOResult[T], error); a non-nil error is an
// error exit, never a yield. The zero value is Done(zero value of T): it
// never yields, and the IO variant always carries a non-nil completion
// (the explicit-yield sentinel where no I/O is pending), so "IO without a
// completion" (Turso's B30) cannot be represented.
//
//reentrycheck:ioresult
type IOResult[T any] struct {
	value T
	c     *Completion // nil: Done
}

// Done returns the finished variant carrying v.
//
//reentrycheck:done
func Done[T any](v T) IOResult[T] {
	return IOResult[T]{value: v}
}

// Wait returns the IO variant that yields on c (Turso's io_yield_one!). c
// usually comes from a submit call, a group, or the Done value of a
// re-pollable call that reports a read it submitted (the two-level
// read-page shape of docs/runtime.md). Wait panics on a nil completion: use
// Yield for an explicit yield.
func Wait[T any](c *Completion) IOResult[T] {
	if c == nil {
		panic("rt.Wait: nil completion (use rt.Yield for an explicit yield without pending I/O)")
	}
	return IOResult[T]{c: c}
}

// Yield returns the IO variant that yields on the explicit-yield sentinel:
// "no I/O pending, let others run, then call me again". It does not
// allocate.
func Yield[T any]() IOResult[T] {
	return IOResult[T]{c: yieldSentinel}
}

// IsIO reports whether r is the IO variant (not finished).
func (r IOResult[T]) IsIO() bool { return r.c != nil }

// IsDone reports whether r is the Done variant.
func (r IOResult[T]) IsDone() bool { return r.c == nil }

// Value returns the Done value; the zero value of T for the IO variant.
// Read it only after checking IsIO (or IsDone): reading an IO result as
// Done fails silently. Get and MustValue are the checked accessors.
func (r IOResult[T]) Value() T { return r.value }

// Get returns the Done value and true, or the zero value and false for the
// IO variant. It is the checked form of the propagation idiom: the value
// and the test come from one call, so the test cannot be forgotten, and the
// forwarding exit is reached only with an error or an IO result:
//
//	r, err := s.cur.Seek(key)
//	found, ok := r.Get()
//	if err != nil || !ok {
//		// Re-entrancy: ...
//		return rt.Forward[bool](r, err)
//	}
func (r IOResult[T]) Get() (T, bool) { return r.value, r.c == nil }

// MustValue returns the Done value and panics on the IO variant: for code
// that has established, by its own logic, that r is Done (a callee that
// cannot yield here), so that a broken assumption fails loudly.
func (r IOResult[T]) MustValue() T {
	if r.c != nil {
		panic("rt: MustValue of an IO result (" + r.c.String() + "); check IsIO or use Get")
	}
	return r.value
}

// Completion returns the completion to wait on; nil when r is Done.
func (r IOResult[T]) Completion() *Completion { return r.c }

// String describes the result for debugging.
func (r IOResult[T]) String() string {
	if r.c == nil {
		return "rt.Done"
	}
	return "rt.IO(" + r.c.String() + ")"
}

// Forward propagates a callee's result across result types (Turso's
// return_if_io!). It returns (zero, err) if err is non-nil; otherwise the IO
// variant of IOResult[T] carrying r's completion, the same object, so that
// the outermost driver waits on the innermost completion.
//
// If r is Done and err is nil, Forward returns IOResult[T]{} (Done with the
// zero value; r's value is lost): it is meant only for the exits of the
// propagation idiom, where that case cannot arise:
//
//	r, err := s.cur.Seek(key)
//	if err != nil || r.IsIO() {
//		return rt.Forward[bool](r, err) // Re-entrancy: ...
//	}
//	found := r.Value()
//
// The checked spelling takes the value with Get, so the forwarding exit is
// reached only when it should be (see Get). ForwardTransition is the same
// helper for a Transition's Step.
func Forward[T, U any](r IOResult[U], err error) (IOResult[T], error) {
	if err != nil {
		return IOResult[T]{}, err
	}
	return IOResult[T]{c: r.c}, nil
}

// Map transforms a Done value with f and passes IO through unchanged (f is
// not called).
func Map[T, U any](r IOResult[T], f func(T) U) IOResult[U] {
	if r.c != nil {
		return IOResult[U]{c: r.c}
	}
	return Done(f(r.value))
}

// ReturnAndRestore is Turso's return_and_restore_if_io! in a Go shape. It runs step on a working copy of the state in *slot and then:
//
//   - on IO or on error, writes the copy back into *slot: the state may
//     have advanced in place, and forgetting to keep that progress is
//     Turso's B14 (bug class C5 of docs/bugs.md, "mutate the copy");
//   - on Done, writes nothing back: the caller sets the successor state
//     itself, after ReturnAndRestore returns.
//
// step must not read or write *slot itself (it sees the working copy), and
// must not retain the pointer it is given beyond the call. When the state can
// simply be operated on in place through a pointer, do that instead; the
// helper exists for struct-valued states that are copied to be matched on.
func ReturnAndRestore[S, T any](slot *S, step func(st *S) (IOResult[T], error)) (IOResult[T], error) {
	work := *slot
	r, err := step(&work)
	if err != nil || r.c != nil {
		*slot = work
	}
	return r, err
}
