// Package c1 holds the class-C1 shapes: a mutation of persistent state
// before a yield point, and their fixed twins.
package c1

import "rt"

type Scan struct {
	cur     *rt.Cursor
	out     []int
	pending []int
	n       int
	idx     int
	seen    map[int]bool
	index   map[string]int
	done    bool
	file    *rt.File
	buf     []byte
	c       *rt.Completion
}

// The seed guide's "push": an append before a re-pollable call.
func (s *Scan) PushBuggy() (rt.IOResult[int], error) {
	s.out = append(s.out, s.pending...) // want `appends to s\.out before the yield at c1\.go:\d+: re-entry from the top repeats it`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.pending = []int{r.Value()}
	return rt.Done(len(s.out)), nil
}

// Fixed: every yield point first, then all mutations together.
func (s *Scan) PushFixed() (rt.IOResult[int], error) {
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.out = append(s.out, s.pending...)
	s.pending = []int{r.Value()}
	return rt.Done(len(s.out)), nil
}

// The seed guide's "idx += 1" and a counter.
func (s *Scan) CountBuggy() (rt.IOResult[int], error) {
	s.idx += 1 // want `increments s\.idx before the yield`
	s.n++      // want `increments s\.n before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.n), nil
}

func (s *Scan) CountFixed() (rt.IOResult[int], error) {
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.idx += 1
	s.n++
	return rt.Done(s.n), nil
}

// The seed guide's "map insert".
func (s *Scan) InsertBuggy() (rt.IOResult[int], error) {
	s.seen[s.n] = true        // want `inserts into s\.seen before the yield`
	s.index["rows"] = s.n + 1 // want `inserts into s\.index before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// A map insert of values the caller passes is a blind overwrite: writing
// the same key and value again leaves the same map.
func (s *Scan) InsertArgs(k string, v int) (rt.IOResult[int], error) {
	s.index[k] = v
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// The seed guide's "flag = true" is a blind overwrite: not reported.
func (s *Scan) Flag() (rt.IOResult[int], error) {
	s.done = true
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// A submit call with no transition before its yield submits again.
func (s *Scan) SubmitBuggy() (rt.IOResult[int], error) {
	c, err := s.file.ReadAt(s.buf, 0) // want `submits I/O \(s\.file\.ReadAt returns a completion\) before the yield at c1\.go:\d+: re-entry from the top submits it again`
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	return rt.Wait[int](c), nil
}

// Mutations followed only by Done returns and error exits are fine.
func (s *Scan) DoneOnly(fail bool) (rt.IOResult[int], error) {
	s.n++
	s.out = append(s.out, 1)
	if fail {
		return rt.Forward[int](rt.Done(0), errBad)
	}
	return rt.Done(s.n), nil
}

// An error exit through the forwarding helper is not a yield.
func (s *Scan) ErrorExit() (rt.IOResult[int], error) {
	r, err := s.cur.Next()
	if err != nil {
		s.n++
		return rt.Forward[int](r, err)
	}
	if r.IsIO() {
		return rt.Forward[int](r, nil)
	}
	return rt.Done(r.Value()), nil
}

var errBad = error(nil)

// A deferred mutation runs at the yield too.
func (s *Scan) DeferBuggy() (rt.IOResult[int], error) {
	defer s.bump() // want `deferred: calls s\.bump, which mutates s \(bump increments s\.n\) at every return, including the yield at c1\.go:\d+`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

func (s *Scan) bump() { s.n++ }

// A mutating helper counts through its summary.
func (s *Scan) HelperBuggy() (rt.IOResult[int], error) {
	s.push(3) // want `calls s\.push, which mutates s \(push appends to s\.out\) before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

func (s *Scan) push(v int) { s.out = append(s.out, v) }
