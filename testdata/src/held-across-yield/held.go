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
