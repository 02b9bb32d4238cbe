// Package reset holds reset-then-rebuild and save-and-restore shapes.
package reset

import (
	"fmt"
	"strings"

	"rt"
)

type phase int

const (
	stBuild phase = iota
	stFlush
)

type Batch struct {
	state   phase
	cur     *rt.Cursor
	buf     []int
	m       map[int]int
	n       int
	sub     *Sub
	pending []int
}

type Sub struct{ step int }

// Reset, then rebuild, in the same region: replay rebuilds the same value.
func (s *Batch) Rebuild() (rt.IOResult[int], error) {
	s.buf = s.buf[:0]
	s.buf = append(s.buf, 1, 2, 3)
	s.n = 0
	s.n++
	clear(s.m)
	s.m[s.n] = 1
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(len(s.buf)), nil
}

// A reset in an earlier state, committed by a transition, does not excuse an
// append in a later state's region.
func (s *Batch) ResetEarlier() (rt.IOResult[int], error) {
	switch s.state {
	case stBuild:
		s.buf = nil
		s.state = stFlush
		fallthrough
	case stFlush:
		s.buf = append(s.buf, s.n) // want `appends to s\.buf before the yield`
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(len(s.buf)), nil
}

// Return-and-restore: take the sub-state out, drive it, and put it back on
// the IO path.
func (s *Batch) TakeAndRestore() (rt.IOResult[int], error) {
	sub := s.sub
	s.sub = nil
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		s.sub = sub
		return rt.Forward[int](r, err)
	}
	sub.step++
	return rt.Done(sub.step), nil
}

// The restore forgotten: the sub-state is lost at the yield (docs/bugs.md C5/C12).
func (s *Batch) TakeNoRestore() (rt.IOResult[int], error) {
	pending := s.pending
	s.pending = nil // want `resets s\.pending before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(len(pending) + r.Value()), nil
}

// Restore with defer.
func (s *Batch) TakeDeferRestore() (rt.IOResult[int], error) {
	sub := s.sub
	s.sub = nil
	defer func() { s.sub = sub }()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// A strings.Builder field emptied with Reset and rebuilt from inputs the
// prefix does not accumulate into: re-entry rebuilds the same text.
type Render struct {
	cur  *rt.Cursor
	text strings.Builder
	name string
}

func (r *Render) Step() (rt.IOResult[string], error) {
	r.text.Reset()
	r.text.WriteString("key=")
	fmt.Fprintf(&r.text, "%s;", r.name)
	n, err := r.cur.Next()
	if err != nil || n.IsIO() {
		return rt.Forward[string](n, err)
	}
	return rt.Done(r.text.String()), nil
}

// The flagged twin: without the Reset, every re-entry appends the text again.
func (r *Render) StepBuggy() (rt.IOResult[string], error) {
	r.text.WriteString("key=") // want `calls r\.text\.WriteString, which mutates r\.text before the yield`
	n, err := r.cur.Next()
	if err != nil || n.IsIO() {
		return rt.Forward[string](n, err)
	}
	return rt.Done(r.text.String()), nil
}

// Setting a flag bit, or clamping a high-water mark, is idempotent:
// repeating it leaves the same value.
type Flags struct {
	cur   *rt.Cursor
	flags uint8
	high  int
	count int
}

const dirty = 1 << 2

func (f *Flags) Mark(seen int) (rt.IOResult[int], error) {
	f.flags |= dirty
	f.flags &^= 1
	f.high = max(f.high, seen)
	n, err := f.cur.Next()
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	return rt.Done(n.Value()), nil
}

// The flagged twin: a count accumulates on every re-entry, and so does a
// bit pattern built from the old value shifted.
func (f *Flags) MarkBuggy() (rt.IOResult[int], error) {
	f.count++            // want `increments f\.count before the yield`
	f.flags = f.flags<<1 // want `updates f\.flags from its old value before the yield`
	n, err := f.cur.Next()
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	return rt.Done(n.Value()), nil
}
