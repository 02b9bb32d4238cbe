package c1

import "rt"

// job steps through a cursor, counting its records in its own fields.
type job struct {
	cur  *rt.Cursor
	runs int
}

func (j *job) step() (rt.IOResult[bool], error) {
	r, err := j.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[bool](r, err)
	}
	j.runs++
	return rt.Done(true), nil
}

// Slots steps copies of its jobs and writes each copy back to the
// element it was copied from in a deferred closure.
type Slots struct {
	jobs []job
	cur  int
}

// The copy is written back at every return, the yield included, to the
// element it came from (same base, same index value): the element holds
// the call's progress and re-entry copies it again. Silent.
func (s *Slots) Run() (rt.IOResult[int], error) {
	for s.cur < len(s.jobs) {
		i := s.cur
		t := s.jobs[i]
		r, err := func() (rt.IOResult[bool], error) {
			defer func() { s.jobs[i] = t }()
			return t.step()
		}()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.cur++
	}
	return rt.Done(s.cur), nil
}

// The write-back goes to the next element: the copy overwrites a job it
// was not copied from, at every re-entry.
func (s *Slots) NextBuggy() (rt.IOResult[int], error) {
	i := s.cur
	t := s.jobs[i]
	defer func() { s.jobs[i+1] = t }() // want `deferred: calls a closure that mutates s at every return`
	r, err := t.step()                 // want `t is a copy of s\.jobs\[\], and t\.step makes its progress on the copy`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.cur++
	return rt.Done(s.cur), nil
}

// The write-back re-reads the index, which has moved on by the time the
// deferred closure runs: the copy lands in the wrong slot.
func (s *Slots) RereadBuggy() (rt.IOResult[int], error) {
	t := s.jobs[s.cur]
	defer func() { s.jobs[s.cur] = t }() // want `deferred: calls a closure that mutates s at every return`
	r, err := t.step()                   // want `t is a copy of s\.jobs\[\], and t\.step makes its progress on the copy`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.cur++
	return rt.Done(s.cur), nil
}
