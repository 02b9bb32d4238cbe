// Package large: with the work budget lowered to nothing (as the test
// does), every resumable function is reported as not analyzed instead of
// being checked, and functions that are not resumable are not affected.
package large // want `package large not analyzed: too large`

import "rt"

type Scan struct {
	cur *rt.Cursor
	n   int
}

func (s *Scan) Step() (rt.IOResult[int], error) { // want `Step not analyzed: too large for the analysis budget`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.n++
	return rt.Done(s.n), nil
}

func (s *Scan) Count() int { return s.n }
