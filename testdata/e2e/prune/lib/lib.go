// Package lib has no directive of its own: its findings exist only because
// rt's directives reach it, so the driver must keep it although nothing in
// lib itself names reentrycheck.
package lib

import "example.com/prune/rt"

// Cursor returns positions 1, 2, 3, ...; Next yields once before each.
type Cursor struct {
	pos int
	c   *rt.Completion
}

// Next returns the next position.
func (c *Cursor) Next() (rt.Result[int], error) {
	if c.c == nil {
		c.c = &rt.Completion{}
		return rt.Wait[int](c.c), nil
	}
	c.c = nil
	c.pos++
	return rt.Done(c.pos), nil
}

// Tally counts positions.
type Tally struct {
	Cur   *Cursor
	count int
}

// Step counts one position. Buggy: counted again on re-entry.
func (t *Tally) Step() (rt.Result[int], error) {
	t.count++
	r, err := t.Cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(t.count + r.Value()), nil
}
