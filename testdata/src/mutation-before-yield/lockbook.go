package c1

import (
	"rt"
	"sync"
)

// lockOrder is a lock-order validator's record: package state that the
// checked mutex's methods update on every acquisition.
var lockOrder []string

// checkedMutex is a mutex that records each acquisition for a validator.
type checkedMutex struct{ mu sync.Mutex }

func (m *checkedMutex) Lock() {
	lockOrder = append(lockOrder, "acquire")
	m.mu.Lock()
}

func (m *checkedMutex) Unlock() {
	lockOrder = append(lockOrder, "release")
	m.mu.Unlock()
}

type Cache struct {
	mu    checkedMutex
	hits  int
	table map[int]int
	cur   *rt.Cursor
}

// lookup reads under the checked lock: the validator's record is the
// lock's bookkeeping, not state the lookup changes.
func (c *Cache) lookup(k int) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.table[k]
	return v, ok
}

// lookupCounted also counts the hit: that is state.
func (c *Cache) lookupCounted(k int) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.table[k]
	if ok {
		c.hits++
	}
	return v, ok
}

// Silent: a read under a lock that records its acquisitions.
func (c *Cache) Get(k int) (rt.IOResult[int], error) {
	if v, ok := c.lookup(k); ok {
		return rt.Done(v), nil
	}
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Flagged: the counted lookup changes the cache before the yield.
func (c *Cache) GetCounted(k int) (rt.IOResult[int], error) {
	if v, ok := c.lookupCounted(k); ok { // want `calls c\.lookupCounted, which mutates c .*before the yield`
		return rt.Done(v), nil
	}
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
