// Package ignore: the ignore directive.
package ignore

import "rt"

type Op struct {
	cur *rt.Cursor
	out []int
	n   int
}

func (s *Op) Step() (rt.IOResult[int], error) {
	//reentrycheck:ignore the cursor dedupes replays by position
	s.out = append(s.out, 1)
	s.n++ //reentrycheck:ignore counted per attempt on purpose
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.n), nil
}

func (s *Op) NoReason() (rt.IOResult[int], error) {
	s.n++ //reentrycheck:ignore // want `needs a reason`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.n), nil
}

func (s *Op) Unused() (rt.IOResult[int], error) {
	r, err := s.cur.Next() //reentrycheck:ignore nothing to suppress here // want `suppresses nothing`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.n++
	return rt.Done(s.n), nil
}
