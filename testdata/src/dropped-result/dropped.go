// Package dropped: class C9, an ioresult discarded.
package dropped

import "rt"

type Op struct {
	tree *rt.Cursor
	root int
	pc   int
}

func (s *Op) Buggy() (rt.IOResult[int], error) {
	s.tree.Next()          // want `the result of Next is discarded`
	_, _ = s.tree.Seek(3)  // want `the result of Seek is discarded`
	if r, err := s.tree.Next(); err == nil && !r.IsIO() { // want `the IO of s\.tree\.Next is never propagated`
		s.root = r.Value()
	}
	return rt.Done(s.root), nil
}

func (s *Op) Fixed() (rt.IOResult[int], error) {
	r, err := s.tree.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.root = r.Value()
	return rt.Done(s.root), nil
}

// A driver: drives the call to Done in a loop.
func Drive(s *Op) int {
	for {
		r, err := s.tree.Next()
		if err != nil {
			return -1
		}
		if !r.IsIO() {
			return r.Value()
		}
	}
}

// Done constructors never need propagation.
func Build() {
	rt.Done(1)
}

type Keeper struct {
	tree *Op
	res  rt.IOResult[int]
}

// Handing the result on, or keeping it, is not dropping it.
func (k *Keeper) Keep() (rt.IOResult[int], error) {
	r, err := k.tree.tree.Next()
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	k.res = r
	return rt.Done(0), nil
}

func (k *Keeper) Pass() (rt.IOResult[int], error) {
	r, _ := k.tree.tree.Next()
	return forward(r)
}

func forward(r rt.IOResult[int]) (rt.IOResult[int], error) { return rt.Forward[int](r, nil) }

// A deferred call of a resumable function drops its result at every
// return: its IO is never waited on.
func (s *Op) CloseBuggy() (rt.IOResult[int], error) {
	defer s.tree.Next() // want `the result of Next is discarded`
	return rt.Done(s.root), nil
}

// The silent twin: the flush is driven (and propagated) before returning.
func (s *Op) Close() (rt.IOResult[int], error) {
	r, err := s.tree.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.root), nil
}

// Half-tested: the result is forwarded only on the error path, so when it
// is IO the function carries on as if it were done.
func (s *Op) HalfBuggy() (rt.IOResult[int], error) {
	r, err := s.tree.Next() // want `the IO of s\.tree\.Next is never propagated`
	if err != nil {
		return rt.Forward[int](r, err)
	}
	s.root = r.Value()
	return rt.Done(s.root), nil
}
