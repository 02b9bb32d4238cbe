package corpus

import "github.com/reentrycheck/reentrycheck/runtime/rt"

// Mirror writes one record to several files, one after the other, through
// Appends it holds by value and drives in place. Its Done value is the
// number of bytes written in all.
type Mirror struct {
	copies []Append

	i       int   // the Append being driven
	written int64 // bytes written by the finished ones
}

// NewMirror returns a Mirror of rec at off in each of files.
func NewMirror(off int64, rec []byte, files ...rt.File) *Mirror {
	m := &Mirror{}
	for _, f := range files {
		m.copies = append(m.copies, Append{f: f, off: off, data: rec})
	}
	return m
}

// Resume runs the Mirror until it yields or finishes.
func (m *Mirror) Resume() (rt.IOResult[int64], error) {
	for m.i < len(m.copies) {
		r, err := m.copies[m.i].Resume()
		if err != nil {
			return rt.IOResult[int64]{}, err
		}
		if r.IsIO() {
			// Re-entrancy: m.i still names the unfinished Append, whose
			// progress is in the slice.
			return rt.Forward[int64](r, nil)
		}
		m.written += r.Value()
		m.i++
	}
	return rt.Done(m.written), nil
}

// MirrorState is a Mirror's persistent state, for comparisons.
type MirrorState struct {
	I       int
	Written int64
}

// State returns the Mirror's persistent state.
func (m *Mirror) State() any { return MirrorState{I: m.i, Written: m.written} }
