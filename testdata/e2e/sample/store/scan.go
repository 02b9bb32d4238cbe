package store

import "example.com/sample/rt"

// Scan collects positions from a cursor.
type Scan struct {
	cur *Cursor
	out []int
	n   int
}

// Step collects one position. Buggy: the append runs again when Next yields
// and Step is re-entered.
func (s *Scan) Step() (rt.Result[int], error) {
	s.out = append(s.out, s.n)
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.n = r.Value()
	return rt.Done(len(s.out)), nil
}

// Tally counts positions.
type Tally struct {
	cur   *Cursor
	count int
}

// Step counts one position. Buggy: counted again on re-entry.
func (t *Tally) Step() (rt.Result[int], error) {
	t.count++
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(t.count + r.Value()), nil
}
