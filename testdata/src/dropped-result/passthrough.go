package dropped

import "rt"

// mapResult makes a result of another type out of r: the IO of r, or f of
// its value. It has no effect of its own, so it carries r's IO.
func mapResult[T, U any](r rt.IOResult[T], f func(T) U) rt.IOResult[U] {
	if r.IsIO() {
		m, _ := rt.Forward[U](r, nil)
		return m
	}
	return rt.Done(f(r.Value()))
}

type Sum struct {
	cur *rt.Cursor
	sum int
}

// MappedBuggy reads the mapped value without looking for IO: when Next is
// not finished, the sum takes the zero value and the operation says Done.
func (s *Sum) MappedBuggy() (rt.IOResult[int], error) {
	r, err := s.cur.Next() // want `the IO of s\.cur\.Next is never propagated`
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	s.sum = mapResult(r, func(v int) int { return v * 2 }).Value()
	return rt.Done(s.sum), nil
}

// The silent twin: the mapped result's IO goes back to the caller.
func (s *Sum) Mapped() (rt.IOResult[int], error) {
	r, err := s.cur.Next()
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	m := mapResult(r, func(v int) int { return v * 2 })
	if m.IsIO() {
		return m, nil
	}
	s.sum = m.Value()
	return rt.Done(s.sum), nil
}
