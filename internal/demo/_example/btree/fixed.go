package btree

import "example.com/demo/rt"

// FixedSpill is Spill with every yield point first and the mutations after.
type FixedSpill struct {
	cur  *Cursor
	buf  []int
	last int
}

// Step moves one row.
func (s *FixedSpill) Step() (rt.Result[int], error) {
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		// Re-entrancy: nothing has been written yet; re-entry calls Next again.
		return rt.Forward[int](r, err)
	}
	s.buf = append(s.buf, s.last)
	s.last = r.Value()
	return rt.Done(len(s.buf)), nil
}

// FixedCounter is Counter with the increment after the propagation.
type FixedCounter struct {
	cur   *Cursor
	count int
}

// Step counts one row and reports whether the cursor is exhausted.
func (c *FixedCounter) Step() (rt.Result[bool], error) {
	if c.cur.AtEnd() {
		return rt.Done(true), nil
	}
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		// Re-entrancy: the row is counted only once Next is Done.
		return rt.Forward[bool](r, err)
	}
	c.count++
	return rt.Done(false), nil
}
