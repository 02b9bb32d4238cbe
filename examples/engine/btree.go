package engine

import (
	"fmt"
	"slices"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// cursor is a position in the B-tree: the path of pages from the root to a
// leaf, the child taken at each branch, and the slot in the leaf.
type cursor struct {
	pg   *pager
	path []*page
	idx  []int // idx[i]: the child of path[i] taken (branches), or the slot (leaf)
}

// seek positions the cursor at key: the leaf slot holding it (Done(true)) or
// where it would go (Done(false)). An empty tree leaves the path empty.
//
// It walks down from the root on every call and keeps the path only once
// the walk reached a leaf in one call, so a yield in the middle of the walk
// (a page read) loses nothing: re-entry walks again, and the pages read so
// far come from the cache. The walk builds its path in locals; the cursor is
// written only on the Done path, and only with what the walk found. Calling
// seek again therefore changes nothing but the cursor's position, to the
// same position while the tree is unchanged.
//
//reentrycheck:idempotent
func (c *cursor) seek(key []byte) (rt.IOResult[bool], error) {
	var path []*page
	var idx []int
	id := c.pg.root
	for id != 0 {
		r, err := c.pg.readPage(id)
		if err != nil || r.IsIO() {
			// Re-entrancy: nothing was written; re-entry walks down from
			// the root again, and the read is memoized by the pager.
			return rt.Forward[bool](r, err)
		}
		p := r.Value()
		path = append(path, p)
		if p.leaf {
			i, found := p.search(key)
			c.path, c.idx = path, append(idx, i)
			return rt.Done(found), nil
		}
		i := p.child(key)
		idx = append(idx, i)
		id = p.kids[i]
	}
	c.path, c.idx = nil, nil
	return rt.Done(false), nil
}

// next returns the first key of the tree above after (or at or above it,
// when inclusive) with its value, or ok false at the end of the tree. The
// tree never loses keys, and a separator is the least key of the subtree on
// its right, so when the leaf the key belongs to has nothing above it, the
// next key is the least separator above it on the path: a second seek, to
// it. Both seeks restart from the root on re-entry (seek is idempotent).
func (c *cursor) next(after []byte, inclusive bool) (rt.IOResult[kv], error) {
	r, err := c.seek(after)
	if err != nil || r.IsIO() {
		// Re-entrancy: nothing was changed but the cursor's position;
		// re-entry seeks again from the root.
		return rt.Forward[kv](r, err)
	}
	l, i := c.leaf()
	if l == nil {
		return rt.Done(kv{}), nil
	}
	if r.Value() && !inclusive {
		i++
	}
	if i < len(l.keys) {
		return rt.Done(kv{key: l.keys[i], value: l.vals[i], ok: true}), nil
	}
	var sep []byte
	for d := len(c.path) - 2; d >= 0 && sep == nil; d-- {
		if at := c.idx[d]; at < len(c.path[d].keys) {
			sep = c.path[d].keys[at]
		}
	}
	if sep == nil {
		return rt.Done(kv{}), nil // the last leaf
	}
	r, err = c.seek(sep)
	if err != nil || r.IsIO() {
		// Re-entrancy: as above; re-entry repeats both seeks, which only
		// position the cursor.
		return rt.Forward[kv](r, err)
	}
	l, i = c.leaf()
	if !r.Value() {
		return rt.IOResult[kv]{}, fmt.Errorf("%w: separator %q is in no leaf", ErrCorrupt, sep)
	}
	return rt.Done(kv{key: l.keys[i], value: l.vals[i], ok: true}), nil
}

// kv is a key and its value; ok is false past the end.
type kv struct {
	key, value []byte
	ok         bool
}

// leaf returns the leaf the cursor is on and its slot, or nil.
func (c *cursor) leaf() (*page, int) {
	if len(c.path) == 0 {
		return nil, 0
	}
	n := len(c.path) - 1
	return c.path[n], c.idx[n]
}

// lookup returns the value and LSN at the cursor's slot, if the leaf
// holds exactly key there.
func (c *cursor) lookup(key []byte) ([]byte, uint64, bool) {
	l, i := c.leaf()
	if l == nil || i >= len(l.keys) || string(l.keys[i]) != string(key) {
		return nil, 0, false
	}
	return l.vals[i], l.lsns[i], true
}

// put stores key=value with its LSN at the cursor, which seek placed at
// key, unless the tree already holds a record of key at least as new.
// It makes the path writable (copy on write, root first), inserts, and
// splits overfull pages bottom up. It does no I/O and cannot yield: the
// whole change happens inside one call. The cursor is spent afterwards.
func (c *cursor) put(key, value []byte, lsn uint64) {
	if _, old, ok := c.lookup(key); ok && old >= lsn {
		return // replayed or superseded: nothing to do
	}
	pg := c.pg
	if len(c.path) == 0 {
		l := pg.alloc(true)
		l.keys, l.vals, l.lsns = [][]byte{key}, [][]byte{value}, []uint64{lsn}
		pg.root = l.id
		return
	}
	for i, p := range c.path {
		w := pg.writable(p)
		if w == p {
			continue
		}
		c.path[i] = w
		if i == 0 {
			pg.root = w.id
		} else {
			c.path[i-1].kids[c.idx[i-1]] = w.id
		}
	}
	l, slot := c.leaf()
	if slot < len(l.keys) && string(l.keys[slot]) == string(key) {
		l.vals[slot], l.lsns[slot] = value, lsn
	} else {
		l.keys = slices.Insert(l.keys, slot, key)
		l.vals = slices.Insert(l.vals, slot, value)
		l.lsns = slices.Insert(l.lsns, slot, lsn)
	}
	for i := len(c.path) - 1; i >= 0; i-- {
		p := c.path[i]
		if p.size() <= PageSize {
			break
		}
		sep, right := split(pg, p)
		if i == 0 {
			root := pg.alloc(false)
			root.keys, root.kids = [][]byte{sep}, []uint32{p.id, right.id}
			pg.root = root.id
			break
		}
		parent, at := c.path[i-1], c.idx[i-1]
		parent.keys = slices.Insert(parent.keys, at, sep)
		parent.kids = slices.Insert(parent.kids, at+1, right.id)
	}
	c.path, c.idx = nil, nil
}

// split moves the upper part of an overfull dirty page p into a new page
// and returns the separator for the parent: the first key of the new page
// (leaf) or the key pushed up between the halves (branch). The split point
// balances the encoded sizes, so both halves fit.
func split(pg *pager, p *page) ([]byte, *page) {
	right := pg.alloc(p.leaf)
	best, bestSize := 1, PageSize*2
	for m := 1; m < len(p.keys); m++ {
		l, r := p.clone(p.id), p.clone(p.id)
		cut(l, r, m)
		if s := max(l.size(), r.size()); s < bestSize {
			best, bestSize = m, s
		}
	}
	sep := cut(p, right, best)
	return sep, right
}

// cut keeps the entries before m in l and moves the rest to r (both
// copies of the same page before the call); it returns the separator.
func cut(l, r *page, m int) []byte {
	if l.leaf {
		r.keys, r.vals, r.lsns = slices.Clone(l.keys[m:]), slices.Clone(l.vals[m:]), slices.Clone(l.lsns[m:])
		l.keys, l.vals, l.lsns = l.keys[:m:m], l.vals[:m:m], l.lsns[:m:m]
		return r.keys[0]
	}
	sep := l.keys[m]
	r.keys, r.kids = slices.Clone(l.keys[m+1:]), slices.Clone(l.kids[m+1:])
	l.keys, l.kids = l.keys[:m:m], l.kids[:m+1:m+1]
	return sep
}
