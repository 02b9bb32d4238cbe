package store

import "example.com/sample/rt"

// FixedScan is Scan with the append below the propagation.
type FixedScan struct {
	cur *Cursor
	out []int
	n   int
}

// Step collects one position.
func (s *FixedScan) Step() (rt.Result[int], error) {
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.out = append(s.out, s.n)
	s.n = r.Value()
	return rt.Done(len(s.out)), nil
}

// FixedTally is Tally with the increment below the propagation.
type FixedTally struct {
	cur   *Cursor
	count int
}

// Step counts one position.
func (t *FixedTally) Step() (rt.Result[int], error) {
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	t.count++
	return rt.Done(t.count + r.Value()), nil
}
