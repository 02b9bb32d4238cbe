package wal

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Checkpoint copies the first record of each WAL page into the database
// file through an appender, one page at a time.
type Checkpoint struct {
	WAL  *engine.Pager
	DB   *engine.Appender
	N    int
	next int
	buf  []byte
}

// Run copies N frames.
//
// quality: ok C4 persistent loop: the frame index advances after its append returned Done
func (c *Checkpoint) Run() (rt.IOResult[int], error) {
	for c.next < c.N {
		if c.buf == nil {
			r, err := c.WAL.ReadPage(c.next)
			if err != nil || r.IsIO() {
				// Re-entrancy: nothing moved; re-entry reads the same page.
				return rt.Forward[int](r, err)
			}
			c.buf = r.Value()[:engine.RecSize]
		}
		r, err := c.DB.Append(c.buf)
		if err != nil || r.IsIO() {
			// Re-entrancy: c.buf holds the frame being appended; the
			// appender waits on its own write.
			return rt.Forward[int](r, err)
		}
		c.buf = nil
		c.next++
	}
	return rt.Done(c.next), nil
}

// QuickCheckpoint keeps its frame index in a local.
type QuickCheckpoint struct {
	WAL *engine.Pager
	DB  *engine.Appender
	N   int
}

// Run copies N frames.
//
// quality: bug C4 the frame index is a local: re-entry appends the earlier frames again
func (c *QuickCheckpoint) Run() (rt.IOResult[int], error) {
	for i := 0; i < c.N; i++ {
		r, err := c.WAL.ReadPage(i)
		if err != nil || r.IsIO() {
			// Re-entrancy: the pager waits on its read.
			return rt.Forward[int](r, err)
		}
		a, err := c.DB.Append(r.Value()[:engine.RecSize])
		if err != nil || a.IsIO() {
			// Bug: re-entry restarts at i = 0 and appends frame 0 again.
			return rt.Forward[int](a, err)
		}
	}
	return rt.Done(c.N), nil
}

type hdrState uint8

const (
	hdrWrite hdrState = iota
	hdrBody
	hdrDone
)

// Segment writes a header frame, then a body frame, through an appender.
type Segment struct {
	App   *engine.Appender
	Hdr   []byte
	Body  []byte
	state hdrState
}

// Run writes the segment.
//
// quality: bug C3 the state moves to hdrBody before the header append returned Done
func (s *Segment) Run() (rt.IOResult[int64], error) {
	for {
		switch s.state {
		case hdrWrite:
			s.state = hdrBody // Bug: advanced before the re-pollable call.
			r, err := s.App.Append(s.Hdr)
			if err != nil || r.IsIO() {
				// Bug: re-entry goes straight to the body; the header's
				// append is never finished.
				return rt.Forward[int64](r, err)
			}
		case hdrBody:
			r, err := s.App.Append(s.Body)
			if err != nil || r.IsIO() {
				// Re-entrancy: re-entry re-polls the body's append.
				return rt.Forward[int64](r, err)
			}
			s.state = hdrDone
		default:
			return rt.Done(s.App.Tail), nil
		}
	}
}

// FallSegment advances and falls through into the arm that makes the call.
type FallSegment struct {
	App   *engine.Appender
	Hdr   []byte
	Body  []byte
	state hdrState
}

// Run writes the segment.
//
// quality: ok C3 the state is written after the header's Done and falls through into the arm that makes the next call
func (s *FallSegment) Run() (rt.IOResult[int64], error) {
	switch s.state {
	case hdrWrite:
		r, err := s.App.Append(s.Hdr)
		if err != nil || r.IsIO() {
			// Re-entrancy: still hdrWrite; re-entry re-polls the append.
			return rt.Forward[int64](r, err)
		}
		s.state = hdrBody
		fallthrough
	case hdrBody:
		r, err := s.App.Append(s.Body)
		if err != nil || r.IsIO() {
			// Re-entrancy: hdrBody; re-entry re-polls the body's append.
			return rt.Forward[int64](r, err)
		}
		s.state = hdrDone
	}
	return rt.Done(s.App.Tail), nil
}

// Rotate closes the old log with a trailer and opens the new one with a
// header.
type Rotate struct {
	Old, New *engine.Appender
	Trailer  []byte
	Header   []byte
	done     bool
}

// Run rotates.
//
// quality: bug C2 the trailer append and the header append share one state
func (r *Rotate) Run() (rt.IOResult[bool], error) {
	if r.done {
		return rt.Done(true), nil
	}
	a, err := r.Old.Append(r.Trailer)
	if err != nil || a.IsIO() {
		// Re-entrancy: the old appender waits on its write.
		return rt.Forward[bool](a, err)
	}
	b, err := r.New.Append(r.Header)
	if err != nil || b.IsIO() {
		// Bug: re-entry appends the trailer again.
		return rt.Forward[bool](b, err)
	}
	r.done = true
	return rt.Done(true), nil
}

// StagedRotate gives each append its own stage.
type StagedRotate struct {
	Old, New *engine.Appender
	Trailer  []byte
	Header   []byte
	stage    int
}

// Run rotates.
//
// quality: ok C2 one re-pollable call per stage
func (r *StagedRotate) Run() (rt.IOResult[bool], error) {
	if r.stage == 0 {
		a, err := r.Old.Append(r.Trailer)
		if err != nil || a.IsIO() {
			// Re-entrancy: stage 0; re-entry re-polls the trailer append.
			return rt.Forward[bool](a, err)
		}
		r.stage = 1
	}
	if r.stage == 1 {
		b, err := r.New.Append(r.Header)
		if err != nil || b.IsIO() {
			// Re-entrancy: stage 1; re-entry re-polls the header append.
			return rt.Forward[bool](b, err)
		}
		r.stage = 2
	}
	return rt.Done(true), nil
}

// Seal appends a commit marker after the last frame.
type Seal struct {
	App    *engine.Appender
	Marker []byte
	Sealed bool
}

// Run seals the log.
//
// quality: bug C9 the marker append's result is discarded
func (s *Seal) Run() (rt.IOResult[bool], error) {
	_, _ = s.App.Append(s.Marker) // Bug: IO dropped; the marker may be in flight.
	s.Sealed = true
	return rt.Done(true), nil
}

// CheckedSeal propagates the marker append.
type CheckedSeal struct {
	App    *engine.Appender
	Marker []byte
	Sealed bool
}

// Run seals the log.
//
// quality: ok C9 the marker append is propagated
func (s *CheckedSeal) Run() (rt.IOResult[bool], error) {
	r, err := s.App.Append(s.Marker)
	if err != nil || r.IsIO() {
		// Re-entrancy: the appender waits on the marker's write.
		return rt.Forward[bool](r, err)
	}
	s.Sealed = true
	return rt.Done(true), nil
}
