package c1

import "rt"

// debugTrace is off in this build: code under it never runs.
const debugTrace = false

// traceOn is on: code under it runs.
const traceOn = true

// Trace counts its calls when tracing is on, in this build or not.
type Trace struct {
	calls int
	log   []int
}

// note records a call only when debugTrace is on: in this build it
// writes nothing, so calling it before a yield repeats nothing.
func (t *Trace) note(v int) {
	if debugTrace {
		t.calls++
		t.log = append(t.log, v)
	}
}

// noteOn is the same helper under a constant that is true.
func (t *Trace) noteOn(v int) {
	if traceOn {
		t.calls++
		t.log = append(t.log, v)
	}
}

type Traced struct {
	cur   *rt.Cursor
	trace Trace
	n     int
}

// Silent: the helper's write is under a constant false condition.
func (s *Traced) StepDebugOff() (rt.IOResult[int], error) {
	s.trace.note(s.n)
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Flagged: the same helper with its constant true.
func (s *Traced) StepDebugOn() (rt.IOResult[int], error) {
	s.trace.noteOn(s.n) // want `calls s\.trace\.noteOn, which mutates s\.trace .*before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Silent: the function's own write under the false constant never runs.
func (s *Traced) StepInlineOff() (rt.IOResult[int], error) {
	if debugTrace {
		s.n++
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Flagged: an && with the true constant still runs its write.
func (s *Traced) StepInlineOn() (rt.IOResult[int], error) {
	if traceOn && s.n >= 0 {
		s.n++ // want `increments s\.n before the yield`
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Silent: the discarded result under the false constant is never produced.
func (s *Traced) SkipOff() (rt.IOResult[int], error) {
	if debugTrace {
		s.cur.Next()
	}
	return rt.Done(s.n), nil
}

// Flagged: under the true constant it is, and dropped.
func (s *Traced) SkipOn() (rt.IOResult[int], error) {
	if traceOn {
		s.cur.Next() // want `the result of Next is discarded`
	}
	return rt.Done(s.n), nil
}
