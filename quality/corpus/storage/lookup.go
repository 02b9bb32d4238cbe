package storage

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type lookupState uint8

const (
	lookupHeader lookupState = iota
	lookupOverflow
	lookupDone
)

// Lookup reads a record whose header lives in the table and whose payload
// lives on an overflow page named by the header.
type Lookup struct {
	Cur     *engine.Cursor
	Pager   *engine.Pager
	state   lookupState
	header  uint64
	Payload uint64
}

// Run returns the payload.
//
// quality: bug C2 two re-pollable calls in one state: the header step runs again when the overflow read yields
func (l *Lookup) Run() (rt.IOResult[uint64], error) {
	switch l.state {
	case lookupHeader:
		h, err := l.Cur.Next()
		if err != nil || h.IsIO() {
			// Re-entrancy: nothing recorded yet; re-entry calls Next again
			// and the cursor resumes its own page read.
			return rt.Forward[uint64](h, err)
		}
		page := int(h.Value().Val % 4)
		r, err := l.Pager.ReadPage(page)
		if err != nil || r.IsIO() {
			// Bug: re-entry lands in lookupHeader and steps the cursor
			// past another record.
			return rt.Forward[uint64](r, err)
		}
		l.header = h.Value().Val
		l.Payload = engine.Rec(r.Value(), 1)
		l.state = lookupDone
		fallthrough
	default:
		return rt.Done(l.Payload), nil
	}
}

// SplitLookup is Lookup with one re-pollable call per state.
type SplitLookup struct {
	Cur     *engine.Cursor
	Pager   *engine.Pager
	state   lookupState
	header  uint64
	Payload uint64
}

// Run returns the payload.
//
// quality: ok C2 header and overflow read in separate states
func (l *SplitLookup) Run() (rt.IOResult[uint64], error) {
	for {
		switch l.state {
		case lookupHeader:
			h, err := l.Cur.Next()
			if err != nil || h.IsIO() {
				// Re-entrancy: nothing recorded; re-entry steps the cursor
				// again, which resumes its own read.
				return rt.Forward[uint64](h, err)
			}
			l.header, l.state = h.Value().Val, lookupOverflow
		case lookupOverflow:
			r, err := l.Pager.ReadPage(int(l.header % 4))
			if err != nil || r.IsIO() {
				// Re-entrancy: the header is kept and the state is
				// lookupOverflow, so re-entry only re-polls the read.
				return rt.Forward[uint64](r, err)
			}
			l.Payload, l.state = engine.Rec(r.Value(), 1), lookupDone
		default:
			return rt.Done(l.Payload), nil
		}
	}
}

type loadState uint8

const (
	loadRoot loadState = iota
	loadChild
	loadDone
)

// Descend loads the root page, then the child page the root's first
// record names.
type Descend struct {
	Pager *engine.Pager
	state loadState
	child int
	Leaf  uint64
}

// Run returns the first record of the child.
//
// quality: bug C3 the state moves to loadChild before the root read returned Done
func (d *Descend) Run() (rt.IOResult[uint64], error) {
	for {
		switch d.state {
		case loadRoot:
			d.state = loadChild // Bug: advanced before the re-pollable call.
			r, err := d.Pager.ReadPage(0)
			if err != nil || r.IsIO() {
				// Bug: re-entry dispatches to loadChild with d.child unset.
				return rt.Forward[uint64](r, err)
			}
			d.child = 1 + int(engine.Rec(r.Value(), 0)%3)
		case loadChild:
			r, err := d.Pager.ReadPage(d.child)
			if err != nil || r.IsIO() {
				// Re-entrancy: d.child is set; re-entry re-polls the read.
				return rt.Forward[uint64](r, err)
			}
			d.Leaf, d.state = engine.Rec(r.Value(), 2), loadDone
		default:
			return rt.Done(d.Leaf), nil
		}
	}
}

// OrderedDescend is Descend with the transition after Done.
type OrderedDescend struct {
	Pager *engine.Pager
	state loadState
	child int
	Leaf  uint64
}

// Run returns the first record of the child.
//
// quality: ok C3 the transition follows the root read's Done
func (d *OrderedDescend) Run() (rt.IOResult[uint64], error) {
	for {
		switch d.state {
		case loadRoot:
			r, err := d.Pager.ReadPage(0)
			if err != nil || r.IsIO() {
				// Re-entrancy: still loadRoot; re-entry re-polls the read.
				return rt.Forward[uint64](r, err)
			}
			d.child = 1 + int(engine.Rec(r.Value(), 0)%3)
			d.state = loadChild
		case loadChild:
			r, err := d.Pager.ReadPage(d.child)
			if err != nil || r.IsIO() {
				// Re-entrancy: d.child is set; re-entry re-polls the read.
				return rt.Forward[uint64](r, err)
			}
			d.Leaf, d.state = engine.Rec(r.Value(), 2), loadDone
		default:
			return rt.Done(d.Leaf), nil
		}
	}
}

// Probe checks a list of pages for presence in the cache, loading them.
type Probe struct {
	Pager *engine.Pager
	IDs   []int
	Hits  int
}

// Run loads every page and counts the ones whose first key is even.
//
// quality: bug C9 the page read's IO is tested and dropped: a pending read counts as "not even"
func (p *Probe) Run() (rt.IOResult[int], error) {
	for _, id := range p.IDs {
		r, err := p.Pager.ReadPage(id)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		if r.IsDone() && engine.Rec(r.Value(), 0)%2 == 0 {
			p.Hits++
		}
	}
	// Bug: no yield at all; reads still in flight are ignored.
	return rt.Done(p.Hits), nil
}

// Warm loads a list of pages, one per state.
type Warm struct {
	Pager *engine.Pager
	IDs   []int
	next  int
	Hits  int
}

// Run loads every page and counts the ones whose first key is even.
//
// quality: ok C9 every page read's IO is propagated
func (w *Warm) Run() (rt.IOResult[int], error) {
	for w.next < len(w.IDs) {
		r, err := w.Pager.ReadPage(w.IDs[w.next])
		if err != nil || r.IsIO() {
			// Re-entrancy: w.next still names the page being read.
			return rt.Forward[int](r, err)
		}
		if engine.Rec(r.Value(), 0)%2 == 0 {
			w.Hits++
		}
		w.next++
	}
	return rt.Done(w.Hits), nil
}
