package held

import (
	"rt"
	"sync"
)

// orderedMutex wraps a mutex to record who holds it, as lock-checking
// wrappers do: its methods write its fields, which are the lock's own.
type orderedMutex struct {
	m      sync.Mutex
	holder string
}

func (o *orderedMutex) Lock()            { o.m.Lock(); o.holder = "op" }
func (o *orderedMutex) Unlock()          { o.holder = ""; o.m.Unlock() }
func (o *orderedMutex) NestedLock(int)   { o.m.Lock() }
func (o *orderedMutex) NestedUnlock(int) { o.m.Unlock() }

type Wrapped struct {
	mu  orderedMutex
	cur *rt.Cursor
	n   int
}

// A wrapped mutex held at the yield deadlocks as a plain one does.
func (s *Wrapped) Buggy() (rt.IOResult[int], error) {
	s.mu.Lock() // want `s\.mu is locked and still held at the yield at wrapped\.go:\d+`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.mu.Unlock()
	return rt.Done(r.Value()), nil
}

// The silent twin: the pair is balanced before the yield, and the
// wrapper's bookkeeping is no mutation of the operation's state.
func (s *Wrapped) Balanced() (rt.IOResult[int], error) {
	s.mu.Lock()
	k := s.n
	s.mu.Unlock()
	r, err := s.cur.Seek(k)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(k), nil
}

// Silent as well: a nested lock released by a deferred call.
func (s *Wrapped) Nested() (rt.IOResult[int], error) {
	s.mu.NestedLock(1)
	defer s.mu.NestedUnlock(1)
	r, err := s.cur.Seek(s.n)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.n), nil
}

// Session locks itself for its user through its own mutex (LockUser and
// UnlockUser), as transport endpoints do.
type Session struct {
	mu    sync.Mutex
	owned bool
	cur   *rt.Cursor
}

func (s *Session) LockUser()   { s.mu.Lock(); s.owned = true }
func (s *Session) UnlockUser() { s.owned = false; s.mu.Unlock() }

// The user lock held at the yield is held across it.
func (s *Session) Buggy() (rt.IOResult[int], error) {
	s.LockUser() // want `s is locked and still held at the yield at wrapped\.go:\d+`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.UnlockUser()
	return rt.Done(r.Value()), nil
}

// The silent twin: the release is deferred; the owner flag the pair sets
// and clears is the lock's own.
func (s *Session) Deferred() (rt.IOResult[int], error) {
	s.LockUser()
	defer s.UnlockUser()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
