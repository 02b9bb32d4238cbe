// Package fix: the mechanical fix moves the mutation below the check.
package fix

import "rt"

type Scan struct {
	cur     *rt.Cursor
	out     []int
	pending []int
	n       int
}

func (s *Scan) Push() (rt.IOResult[int], error) {
	s.out = append(s.out, s.pending...) // want `appends to s\.out`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.pending = []int{r.Value()}
	return rt.Done(len(s.out)), nil
}

// Not mechanical: the statement in between reads s.n.
func (s *Scan) Blocked() (rt.IOResult[int], error) {
	s.n++ // want `increments s\.n`
	k := s.n
	r, err := s.cur.Seek(k)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.n), nil
}
