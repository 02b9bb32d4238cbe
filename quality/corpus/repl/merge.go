// Package repl is the corpus's replication and compaction code: merges of
// two sorted runs, followers applying a log, acks, leases, snapshot
// shipping, votes and heartbeats.
package repl

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Merge interleaves two runs record by record (compaction).
type Merge struct {
	A, B         *engine.Cursor
	headA, headB engine.Item
	haveA, haveB bool
	Out          []uint64
	Limit        int
}

// Run merges until Limit records were emitted.
//
// quality: ok C2 two re-pollable calls in one iteration, each guarded by its own memo
func (m *Merge) Run() (rt.IOResult[int], error) {
	for len(m.Out) < m.Limit {
		if !m.haveA {
			r, err := m.A.Next()
			if err != nil || r.IsIO() {
				// Re-entrancy: haveA is false; re-entry re-polls A only.
				return rt.Forward[int](r, err)
			}
			m.headA, m.haveA = r.Value(), true
		}
		if !m.haveB {
			r, err := m.B.Next()
			if err != nil || r.IsIO() {
				// Re-entrancy: A's head is memoized (haveA); re-entry
				// re-polls B only.
				return rt.Forward[int](r, err)
			}
			m.headB, m.haveB = r.Value(), true
		}
		if m.headA.Val <= m.headB.Val {
			m.Out = append(m.Out, m.headA.Val)
			m.haveA = false
		} else {
			m.Out = append(m.Out, m.headB.Val)
			m.haveB = false
		}
	}
	return rt.Done(len(m.Out)), nil
}

// ZipMerge pairs the runs' records, without memoizing the heads.
type ZipMerge struct {
	A, B  *engine.Cursor
	Out   []uint64
	Limit int
}

// Run zips until Limit pairs were emitted.
//
// quality: bug C2 A's Next runs again when B's Next yields
func (m *ZipMerge) Run() (rt.IOResult[int], error) {
	for len(m.Out) < m.Limit {
		a, err := m.A.Next()
		if err != nil || a.IsIO() {
			// Re-entrancy: nothing emitted in this iteration yet.
			return rt.Forward[int](a, err)
		}
		b, err := m.B.Next()
		if err != nil || b.IsIO() {
			// Bug: re-entry steps A again, dropping the record it returned.
			return rt.Forward[int](b, err)
		}
		m.Out = append(m.Out, a.Value().Val+b.Value().Val)
	}
	return rt.Done(len(m.Out)), nil
}

// Dedup counts the distinct first keys of a run's pages.
type Dedup struct {
	Pager *engine.Pager
	Pages int
	seen  map[uint64]bool
	Dups  int
}

// Run counts duplicates.
//
// quality: ok C1 reset (clear, zero) then rebuild over memoized page reads
func (d *Dedup) Run() (rt.IOResult[int], error) {
	if d.seen == nil {
		d.seen = map[uint64]bool{}
	}
	clear(d.seen)
	d.Dups = 0
	for id := 0; id < d.Pages; id++ {
		r, err := d.Pager.ReadPage(id)
		if err != nil || r.IsIO() {
			// Re-entrancy: the set and the count were reset above and are
			// rebuilt from the cache on re-entry.
			return rt.Forward[int](r, err)
		}
		k := engine.Rec(r.Value(), 0) % 2
		if d.seen[k] {
			d.Dups++
		}
		d.seen[k] = true
	}
	return rt.Done(d.Dups), nil
}

// DupCount is Dedup without the reset of its count.
type DupCount struct {
	Pager *engine.Pager
	Pages int
	seen  map[uint64]bool
	Dups  int
}

// Run counts duplicates.
//
// quality: bug C1 the set is reset on entry but the count is not
func (d *DupCount) Run() (rt.IOResult[int], error) {
	d.seen = map[uint64]bool{}
	for id := 0; id < d.Pages; id++ {
		r, err := d.Pager.ReadPage(id)
		if err != nil || r.IsIO() {
			// Bug: the duplicates counted so far are counted again.
			return rt.Forward[int](r, err)
		}
		k := engine.Rec(r.Value(), 0) % 2
		if d.seen[k] {
			d.Dups++
		}
		d.seen[k] = true
	}
	return rt.Done(d.Dups), nil
}

// Tail sums the first Limit records of a run through its own cursor.
type Tail struct {
	Pager *engine.Pager
	Pages int
	Limit int
	n     int
	Sum   uint64
}

// Run sums.
//
// quality: bug C4 per-call object: the cursor is created on every entry and starts over
func (t *Tail) Run() (rt.IOResult[uint64], error) {
	cur := &engine.Cursor{Pager: t.Pager, Pages: t.Pages}
	for t.n < t.Limit {
		r, err := cur.Next()
		if err != nil || r.IsIO() {
			// Bug: the cursor's position is lost; re-entry reads from the
			// first record again while t.n goes on.
			return rt.Forward[uint64](r, err)
		}
		t.Sum += r.Value().Val
		t.n++
	}
	return rt.Done(t.Sum), nil
}

// KeptTail creates its cursor once.
type KeptTail struct {
	Pager *engine.Pager
	Pages int
	Limit int
	cur   *engine.Cursor
	n     int
	Sum   uint64
}

// Run sums.
//
// quality: ok C4 the cursor is created once and kept in the receiver
func (t *KeptTail) Run() (rt.IOResult[uint64], error) {
	if t.cur == nil {
		t.cur = &engine.Cursor{Pager: t.Pager, Pages: t.Pages}
	}
	for t.n < t.Limit {
		r, err := t.cur.Next()
		if err != nil || r.IsIO() {
			// Re-entrancy: the cursor is kept in t.cur; re-entry resumes it.
			return rt.Forward[uint64](r, err)
		}
		t.Sum += r.Value().Val
		t.n++
	}
	return rt.Done(t.Sum), nil
}
