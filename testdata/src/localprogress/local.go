// Package localprogress: progress held in per-call objects (bugs.md C4, R4 c).
package localprogress

import "rt"

type Destroy struct {
	root  int
	state int
	cur   *rt.Cursor
}

func NewCursor(root int) *rt.Cursor { return &rt.Cursor{} }

// B18: the cursor, and the destroy's state machine with it, is made anew on
// every call.
func (s *Destroy) Buggy() (rt.IOResult[int], error) {
	cur := NewCursor(s.root) // want `cur is allocated on every entry and drives Next, whose IO is propagated at local\.go:\d+`
	r, err := cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

func (s *Destroy) Literal() (rt.IOResult[int], error) {
	cur := &rt.Cursor{} // want `cur is allocated on every entry`
	r, err := cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Fixed: made in an earlier state and kept in persistent state.
func (s *Destroy) Fixed() (rt.IOResult[int], error) {
	switch s.state {
	case 0:
		s.cur = NewCursor(s.root)
		s.state = 1
		fallthrough
	case 1:
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		return rt.Done(r.Value()), nil
	}
	return rt.Done(0), nil
}
