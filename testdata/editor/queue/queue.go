// Package queue is what an editor shows reentrycheck findings on: open
// queue.go in an editor set up as docs/editors.md says and Commit is flagged.
package queue

import "example.com/editor/rt"

// Disk makes written data durable, one sync per completed I/O.
type Disk struct{ c *rt.Completion }

// Sync is resumable: it yields while the sync is in flight.
func (d *Disk) Sync() (rt.Result[int], error) { return rt.Wait[int](d.c), nil }

// Log keeps the records it has committed.
type Log struct {
	disk    *Disk
	pending [][]byte
	synced  int
}

// Commit records b before the sync may yield, so every re-entry records it
// again. The suggested fix moves the append below the yield check.
func (l *Log) Commit(b []byte) (rt.Result[int], error) {
	l.pending = append(l.pending, b)
	r, err := l.disk.Sync()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	l.synced += r.Value()
	return rt.Done(len(l.pending)), nil
}
