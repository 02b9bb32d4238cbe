// Package extuser uses package ext, which carries no directive: its
// findings exist only because -ioresult and -completion name ext's types.
package extuser

import "example.com/prune/ext"

// Cursor returns positions; Next yields once before each.
type Cursor struct {
	pos int
	c   *ext.Completion
}

// Next returns the next position.
func (c *Cursor) Next() (ext.Result[int], error) {
	if c.c == nil {
		c.c = &ext.Completion{}
		return ext.Wait[int](c.c), nil
	}
	c.c = nil
	c.pos++
	return ext.Done(c.pos), nil
}

// Scan collects positions. Buggy: the append runs again on re-entry.
type Scan struct {
	cur *Cursor
	out []int
}

// Step collects one position.
func (s *Scan) Step() (ext.Result[int], error) {
	s.out = append(s.out, len(s.out))
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return ext.Forward[int](r, err)
	}
	return ext.Done(r.Value()), nil
}
