// Package rt is a miniature cooperative I/O runtime that declares its types
// to reentrycheck with directives. Packages that import it get its facts.
package rt

// Result is what a resumable function returns: either a value (Done) or a
// pending completion the caller must wait for before calling again (IO).
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

// Done wraps a final value.
//
//reentrycheck:done
func Done[T any](v T) Result[T] { return Result[T]{v: v} }

// Wait yields until c completes.
func Wait[T any](c *Completion) Result[T] { return Result[T]{c: c} }

// IsIO reports whether r is a yield.
func (r Result[T]) IsIO() bool { return r.c != nil }

// Value is the Done value.
func (r Result[T]) Value() T { return r.v }

// Forward propagates an error or a yield of another result type.
func Forward[T, U any](r Result[U], err error) (Result[T], error) {
	if err != nil {
		return Result[T]{}, err
	}
	return Result[T]{c: r.c}, nil
}

// OnDone starts an operation that calls cb with its error when it completes.
func OnDone(cb func(err error)) *Completion { return &Completion{} }
