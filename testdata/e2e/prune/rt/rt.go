// Package rt is the prune module's runtime. It declares its result and
// completion types to reentrycheck with directives, as any home-grown
// runtime does; nothing in the analyzer knows this package by name.
package rt

// Result is what a resumable function returns: Done with a value, or IO
// waiting on a completion, after which the caller waits and calls the
// function again from its first statement.
//
//reentrycheck:ioresult
type Result[T any] struct {
	v T
	c *Completion
}

// Completion is one pending I/O operation.
//
//reentrycheck:completion
type Completion struct{ done bool }

// Done returns a finished result.
//
//reentrycheck:done
func Done[T any](v T) Result[T] { return Result[T]{v: v} }

// Wait returns a result that yields on c.
func Wait[T any](c *Completion) Result[T] { return Result[T]{c: c} }

// IsIO reports whether r waits on I/O.
func (r Result[T]) IsIO() bool { return r.c != nil }

// Value is the value of a Done result.
func (r Result[T]) Value() T { return r.v }

// Forward propagates err, or the IO of r, as a result of another type:
// the Go spelling of return_if_io!.
func Forward[T, U any](r Result[U], err error) (Result[T], error) {
	if err != nil {
		return Result[T]{}, err
	}
	return Result[T]{c: r.c}, nil
}
