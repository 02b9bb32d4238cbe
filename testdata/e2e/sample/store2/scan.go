package store2

import "example.com/sample/rt2"

// Scan collects positions from a cursor.
type Scan struct {
	cur *Cursor
	out []int
	n   int
}

// Step collects one position. Buggy: the append runs again when Next yields
// and Step is re-entered.
func (s *Scan) Step() (rt2.Result[int], error) {
	s.out = append(s.out, s.n)
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt2.Forward[int](r, err)
	}
	s.n = r.Value()
	return rt2.Done(len(s.out)), nil
}

// Tally counts positions.
type Tally struct {
	cur   *Cursor
	count int
}

// Step counts one position. Buggy: counted again on re-entry.
func (t *Tally) Step() (rt2.Result[int], error) {
	t.count++
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt2.Forward[int](r, err)
	}
	return rt2.Done(t.count + r.Value()), nil
}
