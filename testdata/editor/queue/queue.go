// Package queue is what an editor shows reentrycheck findings on: open
// queue.go in an editor set up as docs/editors.md says and Flush is flagged.
package queue

import "example.com/editor/rt"

// Disk accepts one write per completed I/O.
type Disk struct{ c *rt.Completion }

// Write is resumable: it yields while the write is in flight.
func (d *Disk) Write(b []byte) (rt.Result[int], error) { return rt.Wait[int](d.c), nil }

// Log writes records to a disk.
type Log struct {
	disk    *Disk
	pending [][]byte
	written int
}

// Flush queues b before the write may yield, so every re-entry queues it
// again. The suggested fix moves the append below the yield check.
func (l *Log) Flush(b []byte) (rt.Result[int], error) {
	l.pending = append(l.pending, b)
	r, err := l.disk.Write(b)
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	l.written += r.Value()
	return rt.Done(len(l.pending)), nil
}
