// Package rt is a miniature runtime for the analyzer's tests: it declares
// its result and completion types with the contract's directives, as any
// user package would.
package rt

//reentrycheck:ioresult
type IOResult[T any] struct {
	v T
	c *Completion
}

//reentrycheck:completion
type Completion struct{ done bool }

// Finished reports whether the I/O has finished.
func (c *Completion) Finished() bool { return c.done }

// Complete finishes the completion.
func (c *Completion) Complete() { c.done = true }

//reentrycheck:done
func Done[T any](v T) IOResult[T] { return IOResult[T]{v: v} }

// Wait yields on c.
func Wait[T any](c *Completion) IOResult[T] { return IOResult[T]{c: c} }

// Yield yields explicitly.
func Yield[T any]() IOResult[T] { return IOResult[T]{c: &Completion{done: true}} }

// IsIO reports whether r is the IO variant.
func (r IOResult[T]) IsIO() bool { return r.c != nil }

// Value returns the Done value.
func (r IOResult[T]) Value() T { return r.v }

// Forward propagates r's IO (or err) as a result of another type.
func Forward[T, U any](r IOResult[U], err error) (IOResult[T], error) {
	if err != nil {
		return IOResult[T]{}, err
	}
	return IOResult[T]{c: r.c}, nil
}

// NewCompletion makes a completion.
//
//reentrycheck:idempotent
func NewCompletion() *Completion { return &Completion{} }

// File submits I/O.
type File struct{ data []byte }

// ReadAt submits a read.
func (f *File) ReadAt(buf []byte, off int64) (*Completion, error) {
	return &Completion{}, nil
}

// Cursor is a re-pollable B-tree cursor.
type Cursor struct {
	pos int
	c   *Completion
}

// Next moves the cursor.
func (c *Cursor) Next() (IOResult[int], error) {
	if c.c == nil {
		c.c = &Completion{}
		return Wait[int](c.c), nil
	}
	c.c = nil
	c.pos++
	return Done(c.pos), nil
}

// Seek moves the cursor to key.
func (c *Cursor) Seek(key int) (IOResult[bool], error) { return Done(true), nil }

// Record reads the current record.
//
//reentrycheck:idempotent
func (c *Cursor) Record() (IOResult[int], error) { return Done(c.pos), nil }

// Insert inserts a row.
func (c *Cursor) Insert(row int) (IOResult[int], error) { return Done(row), nil }
