package engine

import (
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Pager caches the pages of one file. Reads in flight are kept in a map,
// so that a caller re-entered before its read has landed waits on the same
// read instead of submitting another.
type Pager struct {
	File    rt.File
	cache   map[int][]byte
	loading map[int]*rt.Completion
	Misses  int // reads submitted
}

// NewPager returns an empty cache over f.
func NewPager(f rt.File) *Pager {
	return &Pager{File: f, cache: map[int][]byte{}, loading: map[int]*rt.Completion{}}
}

// Cached reports whether page id is in the cache.
func (p *Pager) Cached(id int) bool { _, ok := p.cache[id]; return ok }

// Put installs a page in the cache (a page the caller built).
func (p *Pager) Put(id int, page []byte) { p.cache[id] = page }

// ReadPage returns page id, reading it on a miss.
//
// quality: ok C1 in-flight gate kept in a map right before the yield
func (p *Pager) ReadPage(id int) (rt.IOResult[[]byte], error) {
	if pg, ok := p.cache[id]; ok {
		return rt.Done(pg), nil
	}
	c, ok := p.loading[id]
	if !ok {
		var err error
		c, err = p.File.ReadAt(rt.NewRead(make([]byte, PageSize), func(buf []byte, n int, err error) error {
			if err == nil && n < len(buf) {
				return &rt.ShortReadError{Page: int64(id), Expected: len(buf), Actual: n}
			}
			return err
		}), int64(id*PageSize))
		if err != nil {
			return rt.IOResult[[]byte]{}, fmt.Errorf("page %d: %w", id, err)
		}
		p.loading[id] = c
		p.Misses++
	}
	if !c.Finished() {
		// Re-entrancy: the read is registered in p.loading (and counted)
		// before the yield; re-entry finds it there and waits on it again.
		return rt.Wait[[]byte](c), nil
	}
	delete(p.loading, id)
	if err := c.Err(); err != nil {
		return rt.IOResult[[]byte]{}, err
	}
	p.cache[id] = c.Buffer()
	return rt.Done(c.Buffer()), nil
}

// Snapshot is the pager's persistent state as plain data.
func (p *Pager) Snapshot() any {
	ids := make([]int, 0, len(p.cache))
	for id := range p.cache {
		ids = append(ids, id)
	}
	return struct {
		Misses  int
		Cached  int
		Loading int
	}{p.Misses, len(ids), len(p.loading)}
}
