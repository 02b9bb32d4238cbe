package held

import (
	"rt"
	"sync"
)

// Sched takes and releases its lock through helper methods. A helper's
// summary records a lock operation through its receiver when it makes it
// on every path and not its opposite, so for the caller the helper call
// is that lock operation.
type Sched struct {
	mu  sync.Mutex
	cur *rt.Cursor
	n   int
}

func (s *Sched) acquire() { s.mu.Lock() }
func (s *Sched) release() { s.mu.Unlock() }

// releaseIf releases only when asked: not on every path, so it records
// nothing and its caller's lock stays held.
func (s *Sched) releaseIf(ok bool) {
	if ok {
		s.mu.Unlock()
	}
}

// The lock is released by the helper before the yield: silent.
func (s *Sched) Run() (rt.IOResult[int], error) {
	s.mu.Lock()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		s.release()
		return rt.Forward[int](r, err)
	}
	s.n++
	s.release()
	return rt.Done(s.n), nil
}

// Taken by a helper and never released before the yield.
func (s *Sched) AcquireBuggy() (rt.IOResult[int], error) {
	s.acquire() // want `s\.mu is locked and still held at the yield at helper\.go:\d+`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.release()
	return rt.Done(r.Value()), nil
}

// A helper that may not release leaves the lock held at the yield.
func (s *Sched) MaybeBuggy(ok bool) (rt.IOResult[int], error) {
	s.mu.Lock() // want `s\.mu is locked and still held at the yield at helper\.go:\d+`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		s.releaseIf(ok)
		return rt.Forward[int](r, err)
	}
	s.mu.Unlock()
	return rt.Done(r.Value()), nil
}

// Taken by a helper and released by a deferred helper call: silent.
func (s *Sched) Deferred() (rt.IOResult[int], error) {
	s.acquire()
	defer s.release()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
