// Package safeshapes holds the safe shapes of docs/model.md §9 that the other
// packages do not already cover. Every function here is correct and must
// stay silent.
package safeshapes

import "rt"

type phase int

const (
	stRestore phase = iota
	stMove
	stDone
)

// Shape 2: two-phase advance. An idempotent restore in its own state, then
// the moving call in its own state.
type Cursor struct {
	state phase
	cur   *rt.Cursor
	pos   int
}

//reentrycheck:idempotent
func (c *Cursor) restore() (rt.IOResult[bool], error) { return rt.Done(true), nil }

func (c *Cursor) Next() (rt.IOResult[int], error) {
	for {
		switch c.state {
		case stRestore:
			r, err := c.restore()
			if err != nil || r.IsIO() {
				// Re-entrancy: restore is idempotent.
				return rt.Forward[int](r, err)
			}
			c.state = stMove
		case stMove:
			r, err := c.cur.Next()
			if err != nil || r.IsIO() {
				// Re-entrancy: the state still says stMove; Next is re-polled.
				return rt.Forward[int](r, err)
			}
			c.pos = r.Value()
			c.state = stDone
		case stDone:
			return rt.Done(c.pos), nil
		}
	}
}

// Shape 7: completions gathered across re-entries in persistent state, the
// group built once and memoized.
type Balance struct {
	state   phase
	file    *rt.File
	bufs    [][]byte
	next    int
	pending []*rt.Completion
	wait    *rt.Completion
}

func (b *Balance) Step() (rt.IOResult[int], error) {
	for b.next < len(b.bufs) {
		c, err := b.file.ReadAt(b.bufs[b.next], int64(b.next))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		b.pending = append(b.pending, c)
		b.next++
	}
	if b.wait == nil {
		b.wait = rt.NewCompletion()
	}
	if !b.wait.Finished() {
		// Re-entrancy: the submissions are committed by b.next, the group by b.wait.
		return rt.Wait[int](b.wait), nil
	}
	b.pending, b.wait = nil, nil
	return rt.Done(len(b.bufs)), nil
}

// Shape 8: an idempotent prologue, then a state loop whose non-idempotent
// mutations all come after the branches converge.
type FreePage struct {
	state phase
	cur   *rt.Cursor
	trunk int
	freed []int
	id    int
}

func (f *FreePage) Step() (rt.IOResult[int], error) {
	page := f.id * 2 // idempotent prologue: read-only
	for {
		switch f.state {
		case stRestore:
			r, err := f.cur.Seek(page)
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			f.state = stMove
		case stMove:
			r, err := f.cur.Next()
			if err != nil || r.IsIO() {
				return rt.Forward[int](r, err)
			}
			f.trunk = r.Value()
			f.freed = append(f.freed, page)
			f.state = stDone
		case stDone:
			return rt.Done(f.trunk), nil
		}
	}
}

// Shape 9: rewind to a checkpoint on entry instead of resuming from a
// partially consumed offset (Turso B34's fix).
type LogReader struct {
	anchor int
	off    int
	cur    *rt.Cursor
	frames int
}

func (l *LogReader) Frame() (rt.IOResult[int], error) {
	l.off = l.anchor // rewind: everything below is rebuilt from here
	l.off += 8       // header
	r, err := l.cur.Next()
	if err != nil || r.IsIO() {
		// Re-entrancy: the offset is rewound to the anchor on entry.
		return rt.Forward[int](r, err)
	}
	l.off += r.Value()
	l.anchor = l.off
	l.frames++
	return rt.Done(l.frames), nil
}

// The in-flight gate kept in a map: the entry a comma-ok lookup tests is a
// keyed state location, and inserting the completion under the same key
// commits the submission and the count (re-entry takes the other arm).
type Gate struct {
	f       *rt.File
	loading map[int64]*rt.Completion
	misses  int
	buf     []byte
}

func (p *Gate) Read(id int64) (rt.IOResult[int], error) {
	c, ok := p.loading[id]
	if !ok {
		var err error
		c, err = p.f.ReadAt(p.buf, id)
		_ = func() int64 { return id } // captured: id lives in a cell
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		p.loading[id] = c
		p.misses++
	}
	if !c.Finished() {
		return rt.Wait[int](c), nil
	}
	delete(p.loading, id)
	return rt.Done(len(p.buf)), nil
}
