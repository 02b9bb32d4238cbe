// Package store uses package rt's resumable results. Its findings exist only
// because rt's directives reach it as facts.
package store

import "example.com/sample/rt"

// Cursor returns positions 1, 2, 3, ...; each costs a read, so Next yields
// once before returning it.
type Cursor struct {
	pos int
	c   *rt.Completion // the read in flight, if any
}

// Next returns the next position.
func (c *Cursor) Next() (rt.Result[int], error) {
	if c.c == nil {
		c.c = &rt.Completion{}
		// Re-entrancy: the read in flight is recorded before the yield, so
		// re-entry takes the path below.
		return rt.Wait[int](c.c), nil
	}
	c.c = nil
	c.pos++
	return rt.Done(c.pos), nil
}
