package btree

import "example.com/demo/rt"

// Spill moves rows from a cursor into a spill buffer (Turso B27: a row was
// appended to the spill buffer, then the flush yielded; re-entry appended
// it again).
type Spill struct {
	cur  *Cursor
	buf  []int
	last int
}

// Step moves one row.
func (s *Spill) Step() (rt.Result[int], error) {
	s.buf = append(s.buf, s.last) // BUG: appended again when Next yields and Step is re-entered
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.last = r.Value()
	return rt.Done(len(s.buf)), nil
}

// Counter counts rows (Turso B33: count += before a yield double-counted).
type Counter struct {
	cur   *Cursor
	count int
}

// Step counts one row and reports whether the cursor is exhausted.
func (c *Counter) Step() (rt.Result[bool], error) {
	if c.cur.AtEnd() {
		return rt.Done(true), nil
	}
	c.count++ // BUG: counted again on re-entry after Next yields
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[bool](r, err)
	}
	return rt.Done(false), nil
}
