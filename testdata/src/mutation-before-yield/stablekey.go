package c1

import "rt"

// pageCache memoizes its reads: a page read once is a hit from then on,
// returning the same page with no effect.
type pageCache struct {
	f       *rt.File
	cache   map[int][]byte
	loading map[int]*rt.Completion
}

func (p *pageCache) ReadPage(id int) (rt.IOResult[[]byte], error) {
	if pg, ok := p.cache[id]; ok {
		return rt.Done(pg), nil
	}
	c, ok := p.loading[id]
	if !ok {
		var err error
		if c, err = p.f.ReadAt(nil, int64(id)); err != nil {
			return rt.IOResult[[]byte]{}, err
		}
		p.loading[id] = c
	}
	if !c.Finished() {
		return rt.Wait[[]byte](c), nil
	}
	delete(p.loading, id)
	p.cache[id] = nil
	return rt.Done[[]byte](nil), nil
}

// bucket computes a key from its argument only.
func bucket(page []byte) int {
	if len(page) == 0 {
		return 0
	}
	return int(page[0]) % 4
}

// bucketOf is pure too, but it reads through the pointer it is handed,
// which the operation changes.
func bucketOf(x *Buckets) int { return x.next % 4 }

type Buckets struct {
	pages *pageCache
	cur   *rt.Cursor
	n     int
	next  int
	seen  map[int]bool
}

// The key comes from a memoized read through a pure function: re-entry
// reads the same pages from the cache and inserts the same keys again, so
// the set insert is a blind write.
func (x *Buckets) Index() (rt.IOResult[int], error) {
	for id := 0; id < x.n; id++ {
		r, err := x.pages.ReadPage(id)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		x.seen[bucket(r.Value())] = true
	}
	return rt.Done(len(x.seen)), nil
}

// The key comes from a cursor that moves on at every Done: re-entry
// inserts the next record's key, so the insert is not the same write.
func (x *Buckets) IndexCursorBuggy() (rt.IOResult[int], error) {
	for id := 0; id < x.n; id++ {
		r, err := x.cur.Next() // want `x\.cur\.Next runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		x.seen[r.Value()%4] = true // want `inserts into x\.seen before the yield`
	}
	return rt.Done(len(x.seen)), nil
}

// A pure helper handed the operation's own state computes its key from
// state the operation changes (x.next), so the key may differ on re-entry.
func (x *Buckets) IndexStateBuggy() (rt.IOResult[int], error) {
	x.seen[bucketOf(x)] = true // want `inserts into x\.seen before the yield`
	x.next++                   // want `increments x\.next before the yield`
	r, err := x.pages.ReadPage(0)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(len(x.seen)), nil
}
