// Package premature: class C3, the state advanced before a re-pollable call.
package premature

import "rt"

type phase int

const (
	stInsert phase = iota
	stIndex
	stLoad
	stParse
)

type Writer struct {
	state phase
	table *rt.Cursor
	file  *rt.File
	buf   []byte
	row   int
	pc    int
}

func (s *Writer) Buggy() (rt.IOResult[int], error) {
	switch s.state {
	case stInsert:
		s.state = stIndex // want `state s\.state is advanced before s\.table\.Insert, whose IO is propagated at premature\.go:\d+`
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	case stIndex:
		return rt.Done(1), nil
	}
	return rt.Done(0), nil
}

func (s *Writer) Fixed() (rt.IOResult[int], error) {
	switch s.state {
	case stInsert:
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.state = stIndex
		fallthrough
	case stIndex:
		return rt.Done(1), nil
	}
	return rt.Done(0), nil
}

// Required for a submit callee: advance before waiting.
func (s *Writer) Submit() (rt.IOResult[int], error) {
	switch s.state {
	case stLoad:
		c, err := s.file.ReadAt(s.buf, 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.state = stParse
		return rt.Wait[int](c), nil
	case stParse:
		return rt.Done(len(s.buf)), nil
	}
	return rt.Done(0), nil
}

// pc counts as a state location.
func (s *Writer) PC() (rt.IOResult[int], error) {
	switch s.pc {
	case 0:
		s.pc++ // want `state s\.pc is advanced before s\.table\.Insert`
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(s.pc), nil
}

// A submit-style resumable callee: its IO always means "submitted".
type Pager struct{ file *rt.File }

func (p *Pager) ReadAsync(buf []byte) (rt.IOResult[int], error) {
	c, err := p.file.ReadAt(buf, 0) // want `submits I/O`
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	return rt.Wait[int](c), nil
}

type Loader struct {
	state phase
	pager *Pager
	buf   []byte
}

// Advancing before a submit-style callee is required, as for a submit call.
func (s *Loader) Step() (rt.IOResult[int], error) {
	switch s.state {
	case stLoad:
		s.state = stParse
		r, err := s.pager.ReadAsync(s.buf)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		fallthrough
	case stParse:
		return rt.Done(len(s.buf)), nil
	}
	return rt.Done(0), nil
}

// The target state re-drives the same call: re-entry in stIndex calls
// s.table.Insert again, continuing the operation.
func (s *Writer) TargetRedrives() (rt.IOResult[int], error) {
	switch s.state {
	case stInsert:
		s.state = stIndex
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		return rt.Done(0), nil
	case stIndex:
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		return rt.Done(1), nil
	}
	return rt.Done(0), nil
}

// A re-pollable callee that itself writes the state location: its write
// happens inside the call, not before it.
func (s *Writer) advance() (rt.IOResult[int], error) {
	s.state = stIndex
	return rt.Done(0), nil
}

func (s *Writer) CalleeSets() (rt.IOResult[int], error) {
	switch s.state {
	case stInsert:
		return s.advance()
	}
	return rt.Done(0), nil
}

// The target arm calls the same method on the same receiver, but with
// another argument: it is another operation, so the insert of s.row is
// abandoned when re-entry dispatches to stNext.
type Two struct {
	state     int
	table     *rt.Cursor
	row, next int
}

func (s *Two) StepBuggy() (rt.IOResult[int], error) {
	switch s.state {
	case 0:
		s.state = 1 // want `state s\.state is advanced before s\.table\.Insert`
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	case 1:
		r, err := s.table.Insert(s.next)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.state = 2
	}
	return rt.Done(0), nil
}

// The silent twin: the target arm drives the same insert of the same row,
// so re-entry re-drives it there.
func (s *Two) Step() (rt.IOResult[int], error) {
	switch s.state {
	case 0:
		s.state = 1
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	case 1:
		r, err := s.table.Insert(s.row)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.state = 2
	}
	return rt.Done(0), nil
}

// Calling an idempotent function again repeats nothing, but advancing the
// state before it still abandons the result it was to deliver.
func (s *Two) PeekBuggy() (rt.IOResult[int], error) {
	switch s.state {
	case 0:
		s.state = 1 // want `state s\.state is advanced before s\.table\.Record`
		r, err := s.table.Record()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		s.row = r.Value()
	case 1:
		return rt.Done(s.row), nil
	}
	return rt.Done(0), nil
}
