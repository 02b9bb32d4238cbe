package engine

import (
	"slices"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// pager owns the page file: a cache of decoded pages, the reads in flight,
// page allocation and the copy-on-write discipline.
//
// Pages that a durable meta reaches are never written: changing a clean
// page copies it to a fresh page (writable) and retires the old one, which
// becomes free only once the next checkpoint's meta is durable. So a crash
// at any point finds the tree of the last durable meta intact.
type pager struct {
	file rt.File
	// capacity bounds the cache; only clean pages are evicted (least
	// recently used first), dirty ones stay until the checkpoint writes
	// them. A tree walk restarts from the root after each read it waits
	// for, so it makes progress as long as the cache keeps its path: the
	// capacity should be at least the depth of the tree times the walks
	// in flight (a smaller cache costs repeated reads).
	capacity int

	cache   map[uint32]*page
	clock   uint64                    // advances on every use of a cached page
	pending map[uint32]*rt.Completion // reads in flight, by page

	root      uint32   // root of the in-memory tree; 0: empty
	pageCount uint32   // the next page allocated at the end of the file
	free      []uint32 // pages no durable meta and no live page reaches
	retired   []uint32 // pages the last durable meta reaches that the tree no longer does
	dirty     map[uint32]bool
}

func newPager(f rt.File, capacity int) *pager {
	return &pager{
		file: f, capacity: capacity,
		cache: map[uint32]*page{}, pending: map[uint32]*rt.Completion{}, dirty: map[uint32]bool{},
		pageCount: 2,
	}
}

// readPage returns page id, from the cache or from the file. A miss submits
// one read and memoizes it in pending; every later call, by this operation
// or by any other one, waits on that same read instead of submitting
// another, and the first call after it succeeded decodes the page into the
// cache. A read that failed is forgotten and submitted again by the next
// call: the driver of the operation that waited on it has reported the
// error. Calling readPage again after Done, or on re-entry, repeats nothing.
//
//reentrycheck:idempotent
func (p *pager) readPage(id uint32) (rt.IOResult[*page], error) {
	if pg, ok := p.cache[id]; ok {
		p.touch(pg)
		return rt.Done(pg), nil
	}
	if c, ok := p.pending[id]; ok {
		if !c.Finished() {
			// Re-entrancy: the read is memoized in pending; re-entry
			// finds it there and waits again or consumes it.
			return rt.Wait[*page](c), nil
		}
		delete(p.pending, id)
		if c.Succeeded() {
			pg, err := decodePage(id, c.Buffer())
			if err != nil {
				return rt.IOResult[*page]{}, err
			}
			p.insert(pg)
			return rt.Done(pg), nil
		}
	}
	c, err := p.file.ReadAt(rt.NewRead(make([]byte, PageSize), checkPage(id)), int64(id)*PageSize)
	if err != nil {
		return rt.IOResult[*page]{}, err
	}
	p.pending[id] = c
	// Re-entrancy: the read is memoized in pending before the yield, so
	// re-entry waits on it or consumes it instead of reading again.
	return rt.Wait[*page](c), nil
}

// insert caches pg and evicts the least recently used clean pages beyond
// the capacity.
func (p *pager) insert(pg *page) {
	p.cache[pg.id] = pg
	p.touch(pg)
	for len(p.cache) > p.capacity {
		var victim *page
		for _, q := range p.cache {
			if !q.dirty && q != pg && (victim == nil || q.used < victim.used) {
				victim = q
			}
		}
		if victim == nil {
			return // only dirty pages left: they stay until the checkpoint
		}
		delete(p.cache, victim.id)
	}
}

// touch marks pg as just used.
func (p *pager) touch(pg *page) {
	p.clock++
	pg.used = p.clock
}

// alloc returns a fresh writable page.
func (p *pager) alloc(leaf bool) *page {
	var id uint32
	if n := len(p.free); n > 0 {
		id, p.free = p.free[0], p.free[1:]
	} else {
		id = p.pageCount
		p.pageCount++
	}
	pg := &page{id: id, leaf: leaf, dirty: true}
	delete(p.pending, id)
	p.dirty[id] = true
	p.insert(pg)
	return pg
}

// writable returns pg itself if it is dirty, or else a dirty copy of it at
// a fresh page, retiring pg. The caller repoints the parent.
func (p *pager) writable(pg *page) *page {
	if pg.dirty {
		return pg
	}
	cp := p.alloc(pg.leaf)
	id := cp.id
	*cp = *pg.clone(id)
	cp.dirty = true
	delete(p.cache, pg.id)
	p.retired = append(p.retired, pg.id)
	return cp
}

// dirtyPages returns the dirty pages in id order.
func (p *pager) dirtyPages() []*page {
	ids := make([]uint32, 0, len(p.dirty))
	for id := range p.dirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]*page, len(ids))
	for i, id := range ids {
		out[i] = p.cache[id]
	}
	return out
}

// checkpointed marks every page clean once a meta that reaches them is
// durable, and frees the pages retired before it.
func (p *pager) checkpointed() {
	for id := range p.dirty {
		p.cache[id].dirty = false
	}
	clear(p.dirty)
	p.free = append(p.free, p.retired...)
	p.retired = nil
}
