// Package lostcopy: mutate-the-copy (docs/bugs.md C5, R5).
package lostcopy

import "rt"

type Fill struct {
	page int
	cur  rt.Cursor
}

func (f *Fill) Step(n int) (rt.IOResult[int], error) {
	r, err := f.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	f.page++
	return rt.Done(f.page), nil
}

type Insert struct {
	fill  Fill
	fills []Fill
	n     int
}

func (s *Insert) Buggy() (rt.IOResult[int], error) {
	fill := s.fill
	r, err := fill.Step(s.n) // want `fill is a copy of s\.fill, and fill\.Step makes its progress on the copy, which is dropped at lostcopy\.go:\d+`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.fill = fill
	return rt.Done(r.Value()), nil
}

// Fixed: work in place.
func (s *Insert) InPlace() (rt.IOResult[int], error) {
	fill := &s.fill
	r, err := fill.Step(s.n)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Fixed: write the copy back on every exit.
func (s *Insert) Deferred() (rt.IOResult[int], error) {
	fill := s.fill
	defer func() { s.fill = fill }()
	r, err := fill.Step(s.n)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Fixed: written back before the check.
func (s *Insert) WriteBackFirst() (rt.IOResult[int], error) {
	fill := s.fill
	r, err := fill.Step(s.n)
	s.fill = fill
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Ranging over values copies each element.
func (s *Insert) Range() (rt.IOResult[int], error) {
	for _, f := range s.fills {
		r, err := f.Step(0) // want `f is a copy of s\.fills\[\]` `f\.Step runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(0), nil
}

// A read-only copy is fine.
func (s *Insert) ReadOnly() (rt.IOResult[int], error) {
	fill := s.fill
	return rt.Done(fill.page), nil
}
