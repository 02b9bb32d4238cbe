package engine

import (
	"bytes"
	"slices"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// KV is a key and its value.
type KV struct {
	Key, Value []byte
}

// Scan returns an operation that reads up to limit pairs with keys from
// from on, in key order.
func (db *DB) Scan(from []byte, limit int) *Scan {
	return &Scan{db: db, from: slices.Clone(from), limit: limit, cur: cursor{pg: db.pager}}
}

// Scan is a range read. It merges the memtables with the tree through a
// cursor, one key per pass: the least key above the last one it returned.
// Its progress is that last key and the pairs found, so a yield in the
// middle of a pass (a page read of the cursor) repeats only the pass. It is
// not a snapshot: each pair is the key's newest committed value when the
// scan reached it; keys come out strictly increasing.
type Scan struct {
	db    *DB
	from  []byte
	limit int
	cur   cursor

	out   []KV   // the pairs found so far
	after []byte // the last key in out; nil before the first
}

// Resume runs the Scan until it yields or finishes with the pairs.
func (s *Scan) Resume() (rt.IOResult[[]KV], error) {
	db := s.db
	if !db.recovered {
		return rt.IOResult[[]KV]{}, ErrNotRecovered
	}
	for len(s.out) < s.limit {
		bound, inclusive := s.after, false
		if bound == nil {
			bound, inclusive = s.from, true
		}
		r, err := s.cur.next(bound, inclusive)
		if err != nil || r.IsIO() {
			// Re-entrancy: the pairs found and the last key moved
			// together at the end of each pass; re-entry repeats only
			// this pass, whose cursor walks are idempotent.
			return rt.Forward[[]KV](r, err)
		}
		tree := r.Value()
		key, value, ok := tree.key, tree.value, tree.ok
		for _, m := range []memtable{db.frozen, db.active} { // the newer table wins
			k, e, found := m.next(bound, inclusive)
			if !found {
				continue
			}
			if c := bytes.Compare([]byte(k), key); !ok || c < 0 {
				key, value, ok = []byte(k), e.value, true
			} else if c == 0 {
				value = e.value
			}
		}
		if !ok {
			break
		}
		s.out = append(s.out, KV{Key: key, Value: value})
		s.after = key
	}
	return rt.Done(s.out), nil
}

// next returns the least key of m above bound (or at it, when inclusive).
func (m memtable) next(bound []byte, inclusive bool) (string, memEntry, bool) {
	var best string
	found := false
	for k := range m {
		c := bytes.Compare([]byte(k), bound)
		if (c > 0 || inclusive && c == 0) && (!found || k < best) {
			best, found = k, true
		}
	}
	return best, m[best], found
}
