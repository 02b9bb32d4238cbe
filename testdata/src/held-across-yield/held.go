// Package held: a mutex still held at a yield point (docs/bugs.md C10, R9).
package held

import (
	"rt"
	"sync"
)

type Op struct {
	mu  sync.Mutex
	rw  sync.RWMutex
	cur *rt.Cursor
	n   int
}

func (s *Op) Buggy() (rt.IOResult[int], error) {
	s.mu.Lock() // want `s\.mu is locked and still held at the yield at held\.go:\d+`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.mu.Unlock()
	return rt.Done(r.Value()), nil
}

// Balanced within the region: released before the yield.
func (s *Op) Balanced() (rt.IOResult[int], error) {
	s.mu.Lock()
	k := s.n
	s.mu.Unlock()
	r, err := s.cur.Seek(k)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(k), nil
}

// A deferred unlock releases the lock at the yield.
func (s *Op) Deferred() (rt.IOResult[int], error) {
	s.rw.RLock()
	defer s.rw.RUnlock()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// A mutex allocated during the call is nobody else's.
func (s *Op) Local() (rt.IOResult[int], error) {
	var mu sync.Mutex
	mu.Lock()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	mu.Unlock()
	return rt.Done(r.Value()), nil
}

// A deferred unlock makes every return go through the result cells: the
// Done return is not a yield point, so the count after the call's Done is
// not replayed.
type Table struct {
	mu   sync.Mutex
	cur  *rt.Cursor
	rows int
}

func (t *Table) Insert() (rt.IOResult[int], error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	t.rows++
	return rt.Done(t.rows), nil
}

// Named results, set on each path and returned bare: the Done path's
// writes are not replayed by the propagating path's yield.
func (t *Table) Named() (res rt.IOResult[int], err error) {
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		res, err = rt.Forward[int](r, err)
		return
	}
	t.rows++
	res = rt.Done(t.rows)
	return
}

// With a defer every return goes through the result cells; each path is
// judged by what it stored. The count on the Done path is replayed by no
// yield; the count before the propagated call is.
func (t *Table) Cached(hit bool) (rt.IOResult[int], error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if hit {
		t.rows++
		return rt.Done(t.rows), nil
	}
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

func (t *Table) CachedBuggy(hit bool) (rt.IOResult[int], error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows++ // want `increments t\.rows before the yield`
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
