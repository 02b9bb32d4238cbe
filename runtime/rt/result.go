package rt

// IOResult is the resumable result (model.md §1): either Done(v), the
// operation finished with v, or IO(c), not finished: wait until completion c
// has finished, then call the same function again from its first statement.
//
// Resumable functions return (IOResult[T], error); a non-nil error is an
// error exit, never a yield. The zero value is Done(zero value of T): it
// never yields, and the IO variant always carries a non-nil completion
// (the explicit-yield sentinel where no I/O is pending), so "IO without a
// completion" (B30) cannot be represented.
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
// re-pollable call (model.md §9, shape 3). Wait panics on a nil completion:
// use Yield for an explicit yield.
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
func (r IOResult[T]) Value() T { return r.value }

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
// If r is Done, Forward returns IOResult[T]{} (Done with the zero value):
// it is meant only for the exits of the propagation idiom
//
//	r, err := s.cur.Seek(key)
//	if err != nil || r.IsIO() {
//		return rt.Forward[bool](r, err) // Re-entrancy: ...
//	}
//	found := r.Value()
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

// ReturnAndRestore is Turso's return_and_restore_if_io! (model.md §1.4) in a
// Go shape. It runs step on a working copy of the state in *slot and then:
//
//   - on IO or on error, writes the copy back into *slot: the state may
//     have advanced in place, and forgetting to keep that progress is B14
//     (class C5, "mutate the copy");
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
