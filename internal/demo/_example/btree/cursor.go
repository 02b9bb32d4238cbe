// Package btree holds two re-entrancy bugs from Turso's history (the C1
// class of docs/rules.md) next to their fixed twins. The bugs are in
// buggy.go, one per function, each on a line marked BUG; fixed.go must stay
// silent.
package btree

import "example.com/demo/rt"

// Cursor walks rows. Every row costs a page read, so Next yields once
// before it returns the row.
type Cursor struct {
	rows []int
	pos  int
	read *rt.Completion // the page read in flight, if any
}

// NewCursor returns a cursor over rows.
func NewCursor(rows []int) *Cursor { return &Cursor{rows: rows} }

// AtEnd reports whether every row has been returned.
func (c *Cursor) AtEnd() bool { return c.pos >= len(c.rows) }

// Next returns the next row, or -1 past the end.
func (c *Cursor) Next() (rt.Result[int], error) {
	if c.AtEnd() {
		return rt.Done(-1), nil
	}
	if c.read == nil {
		c.read = &rt.Completion{}
		// Re-entrancy: the read in flight is recorded before the yield, so
		// re-entry takes the branch below instead of reading again.
		return rt.Wait[int](c.read), nil
	}
	c.read = nil
	row := c.rows[c.pos]
	c.pos++
	return rt.Done(row), nil
}
