// Package storage is the corpus's B-tree and pager code: scans, lookups,
// page loads, free-list and overflow-chain walks, page write-back.
package storage

import (
	"errors"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// ErrShort reports a table with fewer records than asked for.
var ErrShort = errors.New("storage: table ended early")

// Scan sums the first Limit records of a table.
type Scan struct {
	Cur   *engine.Cursor
	Limit int
	n     int
	Sum   uint64
}

// Run scans until Limit records were summed.
//
// quality: ok C4 loop whose condition tests persistent progress advanced in the iteration
func (s *Scan) Run() (rt.IOResult[uint64], error) {
	for s.n < s.Limit {
		r, err := s.Cur.Next()
		if err != nil || r.IsIO() {
			// Re-entrancy: s.n counts only records already added; re-entry
			// resumes the loop at the record the cursor is fetching.
			return rt.Forward[uint64](r, err)
		}
		it := r.Value()
		if !it.OK {
			return rt.IOResult[uint64]{}, ErrShort
		}
		s.Sum += it.Val
		s.n++
	}
	return rt.Done(s.Sum), nil
}

// LocalScan is Scan with its progress in locals.
type LocalScan struct {
	Cur   *engine.Cursor
	Limit int
	Sum   uint64
}

// Run sums Limit records.
//
// quality: bug C4 the loop counter and the sum are locals: re-entry restarts them while the cursor has moved on
func (s *LocalScan) Run() (rt.IOResult[uint64], error) {
	var sum uint64
	for i := 0; i < s.Limit; i++ {
		r, err := s.Cur.Next()
		if err != nil || r.IsIO() {
			// Bug: i and sum are lost here; re-entry counts from zero again.
			return rt.Forward[uint64](r, err)
		}
		sum += r.Value().Val
	}
	s.Sum = sum
	return rt.Done(sum), nil
}

// Counter counts the records of a table and how often it was asked to.
type Counter struct {
	Cur    *engine.Cursor
	Visits int
	Count  int
}

// Run counts records to the end of the table.
//
// quality: bug C1 a statistics counter bumped at the top, before the yield
func (c *Counter) Run() (rt.IOResult[int], error) {
	c.Visits++ // Bug: counted again at every re-entry.
	for {
		r, err := c.Cur.Next()
		if err != nil || r.IsIO() {
			// Bug: the Visits increment above runs again on re-entry.
			return rt.Forward[int](r, err)
		}
		if !r.Value().OK {
			return rt.Done(c.Count), nil
		}
		c.Count++
	}
}

// Gather collects the first record of every page, rebuilding its list on
// every entry from the page cache.
type Gather struct {
	Pager *engine.Pager
	Pages int
	Keys  []uint64
}

// Run returns the first key of each page.
//
// quality: ok C1 reset-then-rebuild: the list is truncated and rebuilt from memoized page reads on every entry
func (g *Gather) Run() (rt.IOResult[int], error) {
	g.Keys = g.Keys[:0]
	for id := 0; id < g.Pages; id++ {
		r, err := g.Pager.ReadPage(id)
		if err != nil || r.IsIO() {
			// Re-entrancy: Keys was reset above and is rebuilt from the
			// cache on re-entry; the pager waits on its in-flight read.
			return rt.Forward[int](r, err)
		}
		g.Keys = append(g.Keys, engine.Rec(r.Value(), 0))
	}
	return rt.Done(len(g.Keys)), nil
}

// Fences builds a fence-key directory: a sentinel, then the first key of
// every page.
type Fences struct {
	Pager *engine.Pager
	Pages int
	Keys  []uint64
}

// Run returns the number of fence keys.
//
// quality: bug C1 the sentinel is appended on every entry: the rebuild forgot its reset
func (f *Fences) Run() (rt.IOResult[int], error) {
	f.Keys = append(f.Keys, 0) // Bug: no f.Keys = f.Keys[:0] first.
	for id := 0; id < f.Pages; id++ {
		r, err := f.Pager.ReadPage(id)
		if err != nil || r.IsIO() {
			// Bug: re-entry appends the sentinel again (and the keys of
			// the pages already read).
			return rt.Forward[int](r, err)
		}
		f.Keys = append(f.Keys, engine.Rec(r.Value(), 0))
	}
	return rt.Done(len(f.Keys)), nil
}
