// Package plainrt is package rt without directives, standing for a library
// its users cannot annotate. The linter settings ioresult, completion and
// done declare its types and constructor instead.
package plainrt

// Result is either a value (Done) or a pending completion (IO).
type Result[T any] struct {
	v T
	c *Completion
}

// Completion is one pending I/O operation.
type Completion struct{ done bool }

// Done wraps a final value.
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
