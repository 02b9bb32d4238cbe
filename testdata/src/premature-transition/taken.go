package premature

import "rt"

// Batch runs the cursors queued in pending as one batch.
type Batch struct {
	pending []*rt.Cursor
	ran     int
}

// The batch is taken out of the field, then ranged over: the range tests
// the copy read before the field was emptied, so it does not re-dispatch
// on the empty field. Re-entry finds no batch and the rest is lost.
func (b *Batch) TakeBuggy() (rt.IOResult[int], error) {
	batch := b.pending
	b.pending = nil // want `state b\.pending is advanced before b\.pending\[\]\.Next`
	for _, c := range batch {
		r, err := c.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	b.ran += len(batch)
	return rt.Done(b.ran), nil
}

// The silent twin: the batch is put back on the IO path, so re-entry
// takes it again.
func (b *Batch) TakeRestored() (rt.IOResult[int], error) {
	batch := b.pending
	b.pending = nil
	for _, c := range batch {
		r, err := c.Next()
		if err != nil || r.IsIO() {
			b.pending = batch
			return rt.Forward[int](r, err)
		}
	}
	b.ran += len(batch)
	return rt.Done(b.ran), nil
}

// The loop reads the field itself on every iteration: the write is
// re-read, and the loop consumes the queue front to back.
func (b *Batch) Pop() (rt.IOResult[int], error) {
	for len(b.pending) > 0 {
		r, err := b.pending[0].Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		b.pending = b.pending[1:]
		b.ran++
	}
	return rt.Done(b.ran), nil
}
