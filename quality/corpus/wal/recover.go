package wal

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Recover tallies the records of a log by bucket. Its progress is the
// cursor's position: every record is consumed once.
type Recover struct {
	Cur    *engine.Cursor
	Bucket map[uint64]int
}

// Run tallies to the end of the log.
//
// quality: ok C1 the tally follows the cursor's Done: re-entry re-polls the cursor, which never returns a record twice
func (r *Recover) Run() (rt.IOResult[int], error) {
	for {
		it, err := r.Cur.Next()
		if err != nil || it.IsIO() {
			// Re-entrancy: the records tallied so far were consumed from
			// the cursor; re-entry resumes the cursor at the next one.
			return rt.Forward[int](it, err)
		}
		if !it.Value().OK {
			return rt.Done(len(r.Bucket)), nil
		}
		r.Bucket[it.Value().Val%4]++
	}
}

// Index records which buckets occur and marks the index dirty.
type Index struct {
	Pager *engine.Pager
	Pages int
	Seen  map[uint64]bool
	Dirty bool
}

// Run indexes every page's first record.
//
// quality: ok C1 benign blind writes (a set insert, a dirty flag) before the yield
func (x *Index) Run() (rt.IOResult[int], error) {
	x.Dirty = true
	for id := 0; id < x.Pages; id++ {
		r, err := x.Pager.ReadPage(id)
		if err != nil || r.IsIO() {
			// Re-entrancy: the flag and the set entries written so far
			// are written again with the same values; the pager memoizes
			// the pages already read.
			return rt.Forward[int](r, err)
		}
		x.Seen[engine.Rec(r.Value(), 0)%4] = true
	}
	return rt.Done(len(x.Seen)), nil
}

// segFlush writes one segment once.
type segFlush struct {
	Off     int64
	Data    []byte
	Written bool
	c       *rt.Completion
}

// step writes the segment.
//
// quality: ok C1 a once-guard on the completion, kept in the segment
func (s *segFlush) step(f rt.File) (rt.IOResult[bool], error) {
	if s.Written {
		return rt.Done(true), nil
	}
	if s.c == nil {
		c, err := f.WriteAt(s.Data, s.Off, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		s.c = c
	}
	if !s.c.Finished() {
		// Re-entrancy: the write is kept in s.c; re-entry waits on it.
		return rt.Wait[bool](s.c), nil
	}
	if err := s.c.Err(); err != nil {
		return rt.IOResult[bool]{}, err
	}
	s.Written, s.c = true, nil
	return rt.Done(true), nil
}

// Flush writes every segment of a log.
type Flush struct {
	File rt.File
	Segs []segFlush
}

// Run writes the segments.
//
// quality: bug C5 the range variable is a copy of the segment: its in-flight write is dropped at the yield
func (fl *Flush) Run() (rt.IOResult[int], error) {
	for _, seg := range fl.Segs {
		r, err := seg.step(fl.File)
		if err != nil || r.IsIO() {
			// Bug: seg is a copy; the original never learns of its write,
			// so re-entry submits it again.
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(len(fl.Segs)), nil
}

// IndexedFlush works on the segments in place.
type IndexedFlush struct {
	File rt.File
	Segs []segFlush
}

// Run writes the segments.
//
// quality: ok C5 the segments are stepped in place through their index
func (fl *IndexedFlush) Run() (rt.IOResult[int], error) {
	for i := range fl.Segs {
		seg := &fl.Segs[i]
		r, err := seg.step(fl.File)
		if err != nil || r.IsIO() {
			// Re-entrancy: the segment keeps its write; re-entry skips the
			// written ones and waits on this one.
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(len(fl.Segs)), nil
}
