// Package store2 is package store over rt2, whose types carry no directives:
// its findings exist only when flags declare them.
package store2

import "example.com/sample/rt2"

// Cursor returns positions 1, 2, 3, ...; each costs a read, so Next yields
// once before returning it.
type Cursor struct {
	pos int
	c   *rt2.Completion // the read in flight, if any
}

// Next returns the next position.
func (c *Cursor) Next() (rt2.Result[int], error) {
	if c.c == nil {
		c.c = &rt2.Completion{}
		// Re-entrancy: the read in flight is recorded before the yield, so
		// re-entry takes the path below.
		return rt2.Wait[int](c.c), nil
	}
	c.c = nil
	c.pos++
	return rt2.Done(c.pos), nil
}
