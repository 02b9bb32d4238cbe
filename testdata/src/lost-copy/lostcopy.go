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

// A map element cannot be addressed: stepping it means copying it out, and
// the copy must go back on every exit.
type Sessions struct {
	byID map[int]Fill
	win  [4]Fill
	i    int
}

func (s *Sessions) DrainBuggy(id int) (rt.IOResult[int], error) {
	f := s.byID[id]
	r, err := f.Step(id) // want `f is a copy of s\.byID\[\], and f\.Step makes its progress on the copy`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.byID[id] = f
	return rt.Done(r.Value()), nil
}

// The silent twin: the copy is stored back before the propagation check.
func (s *Sessions) Drain(id int) (rt.IOResult[int], error) {
	f := s.byID[id]
	r, err := f.Step(id)
	s.byID[id] = f
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// An element of a copied array is as much a copy.
func (s *Sessions) WindowBuggy() (rt.IOResult[int], error) {
	ws := s.win
	r, err := ws[s.i].Step(s.i) // want `ws is a copy of s\.win, and ws\[\]\.Step makes its progress on the copy`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.win = ws
	return rt.Done(r.Value()), nil
}

// The silent twin: the element is stepped in place.
func (s *Sessions) Window() (rt.IOResult[int], error) {
	r, err := s.win[s.i].Step(s.i)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
