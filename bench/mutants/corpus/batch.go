package corpus

import "github.com/reentrycheck/reentrycheck/runtime/rt"

// Batch runs Appends one after the other. Its Done value is the number of
// bytes they wrote.
type Batch struct {
	steps []*Append

	i       int   // the Append being driven
	done    int   // Appends finished
	written int64 // bytes they wrote
}

// NewBatch returns a Batch that writes each of recs after the previous one,
// from off.
func NewBatch(f rt.File, off int64, recs ...[]byte) *Batch {
	b := &Batch{}
	for _, r := range recs {
		b.steps = append(b.steps, NewAppend(f, off, r))
		off += int64(len(r))
	}
	return b
}

// Resume runs the Batch until it yields or finishes.
func (b *Batch) Resume() (rt.IOResult[int64], error) {
	for b.i < len(b.steps) {
		r, err := b.steps[b.i].Resume()
		if err != nil || r.IsIO() {
			// Re-entrancy: b.i still names the unfinished Append.
			return rt.Forward[int64](r, err)
		}
		b.done++
		b.written += r.Value()
		b.i++
	}
	return rt.Done(b.written), nil
}

// BatchState is a Batch's persistent state, for comparisons.
type BatchState struct {
	Done    int
	Written int64
}

// State returns the Batch's persistent state.
func (b *Batch) State() any { return BatchState{Done: b.done, Written: b.written} }
