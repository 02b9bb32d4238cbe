package lostcopy

import (
	"errors"
	"rt"
)

// A copy changed by something that is not re-pollable loses the change at
// a yield when the path to the yield moved an input of the change on: the
// state the change was computed from, or the test that made it.

// position is how far a scan got.
type position struct {
	off int64
	n   int
}

func (p *position) advance(rec []byte) {
	p.off += int64(len(rec))
	p.n++
}

type Scan struct {
	f    *rt.File
	end  int64
	cur  position
	buf  []byte
	read *rt.Completion
}

// The cursor is advanced on a copy past the finished read, the read is
// cleared and the next one submitted from the copy's offset; the copy is
// dropped at the yield on it, so re-entry pairs the new read with the old
// offset and never gets past it.
func (s *Scan) CopyBuggy() (rt.IOResult[int], error) {
	cur := s.cur
	for cur.off < s.end {
		if s.read == nil {
			s.buf = make([]byte, 8)
			c, err := s.f.ReadAt(s.buf, cur.off)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			s.read = c
		}
		if !s.read.Finished() {
			return rt.Wait[int](s.read), nil
		}
		cur.advance(s.buf) // want `cur is a copy of s\.cur, and cur\.advance changes the copy from s\.read, which is written before the yield at changed\.go:\d+ while the copy is not written back: re-entry starts from the stale original`
		s.read = nil
	}
	s.cur = cur
	return rt.Done(cur.n), nil
}

// The silent twin: the cursor is advanced in place.
func (s *Scan) InPlace() (rt.IOResult[int], error) {
	cur := &s.cur
	for cur.off < s.end {
		if s.read == nil {
			s.buf = make([]byte, 8)
			c, err := s.f.ReadAt(s.buf, cur.off)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			s.read = c
		}
		if !s.read.Finished() {
			return rt.Wait[int](s.read), nil
		}
		cur.advance(s.buf)
		s.read = nil
	}
	return rt.Done(cur.n), nil
}

// The silent twin: a deferred closure writes the copy back at every return.
func (s *Scan) CopyDeferred() (rt.IOResult[int], error) {
	cur := s.cur
	defer func() { s.cur = cur }()
	for cur.off < s.end {
		if s.read == nil {
			s.buf = make([]byte, 8)
			c, err := s.f.ReadAt(s.buf, cur.off)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			s.read = c
		}
		if !s.read.Finished() {
			return rt.Wait[int](s.read), nil
		}
		cur.advance(s.buf)
		s.read = nil
	}
	return rt.Done(cur.n), nil
}

// stats counts what a copier did.
type stats struct {
	recs  int
	bytes int
}

func (st *stats) count(n int) {
	st.recs++
	st.bytes += n
}

const (
	cpRead = iota
	cpCount
	cpWrite
)

// Copier reads a record, counts it and writes it, one state each.
type Copier struct {
	state int
	src   *rt.Cursor
	dst   *rt.Cursor
	rec   int
	st    stats
}

// The count is made on a copy in the counting state, which the transition
// then leaves for good; the copy is dropped at the write's yield, and
// re-entry, past the counting state, never counts the record.
func (c *Copier) StepBuggy() (rt.IOResult[int], error) {
	st := c.st
	switch c.state {
	case cpRead:
		r, err := c.src.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		c.rec, c.state = r.Value(), cpCount
		fallthrough
	case cpCount:
		st.count(c.rec) // want `st is a copy of c\.st, and st\.count changes the copy from c\.state, which is written before the yield`
		c.state = cpWrite
		fallthrough
	case cpWrite:
		r, err := c.dst.Insert(c.rec)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	c.st = st
	return rt.Done(st.recs), nil
}

// The silent twin: the counting state writes the copy back before it
// transitions (the copy is written back on every path to the yield).
func (c *Copier) Step() (rt.IOResult[int], error) {
	st := c.st
	switch c.state {
	case cpRead:
		r, err := c.src.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		c.rec, c.state = r.Value(), cpCount
		fallthrough
	case cpCount:
		st.count(c.rec)
		c.st = st
		c.state = cpWrite
		fallthrough
	case cpWrite:
		r, err := c.dst.Insert(c.rec)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(c.st.recs), nil
}

// The silent twin: the copy changes only after the last yield.
func (c *Copier) StepCountLast() (rt.IOResult[int], error) {
	switch c.state {
	case cpRead:
		r, err := c.src.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		c.rec, c.state = r.Value(), cpWrite
		fallthrough
	case cpWrite:
		r, err := c.dst.Insert(c.rec)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	st := c.st
	st.count(c.rec)
	c.st = st
	return rt.Done(st.recs), nil
}

// The silent twin: the copy is only read.
func (c *Copier) StepReadOnly() (rt.IOResult[int], error) {
	st := c.st
	r, err := c.dst.Insert(c.rec)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(st.recs + r.Value()), nil
}

// The silent twin: the copy is scratch. Nothing it was computed from moves
// before the yield, so re-entry computes the same change again; the change
// is committed with the rest once the write is Done.
func (c *Copier) StepOnDone() (rt.IOResult[int], error) {
	st := c.st
	st.count(c.rec)
	r, err := c.dst.Insert(c.rec)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	c.st = st
	return rt.Done(st.recs), nil
}

// Session keeps its totals by value.
type Session struct {
	started bool
	out     *rt.Cursor
	tot     stats
}

// The totals are reset on a copy under a once-flag that is then set; the
// copy is dropped at the yield, and re-entry, with the flag set, keeps the
// stale totals.
func (s *Session) RunBuggy() (rt.IOResult[int], error) {
	tot := s.tot
	if !s.started {
		tot.recs = 0 // want `tot is a copy of s\.tot, and the store into tot\.recs changes the copy from s\.started`
		s.started = true
	}
	r, err := s.out.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	tot.count(r.Value())
	s.tot = tot
	return rt.Done(tot.recs), nil
}

// The silent twin: the reset is written back with the flag.
func (s *Session) Run() (rt.IOResult[int], error) {
	tot := s.tot
	if !s.started {
		tot.recs = 0
		s.tot, s.started = tot, true
	}
	r, err := s.out.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	tot.count(r.Value())
	s.tot = tot
	return rt.Done(tot.recs), nil
}

var errTooLarge = errors.New("too large")

// An error exit drops a changed copy harmlessly: nothing re-enters, and
// keeping the change local until success is how the operation stays
// transactional.
func (c *Copier) CountOrFail() (rt.IOResult[int], error) {
	st := c.st
	st.count(c.rec)
	c.rec = 0
	if st.bytes > 1<<20 {
		return rt.IOResult[int]{}, errTooLarge
	}
	c.st = st
	return rt.Done(st.recs), nil
}
