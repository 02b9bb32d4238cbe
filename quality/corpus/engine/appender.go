package engine

import (
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Appender appends frames to a log file. One append is in flight at a time.
type Appender struct {
	File     rt.File
	Tail     int64
	Frames   int
	inflight *rt.Completion
}

// Append writes frame at the tail and moves the tail once it has landed.
// Callers pass the same frame until it returns Done.
//
// quality: ok C1 submit, keep the completion, yield; commit the tail after it landed
func (a *Appender) Append(frame []byte) (rt.IOResult[int64], error) {
	if a.inflight == nil {
		c, err := a.File.WriteAt(frame, a.Tail, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[int64]{}, fmt.Errorf("append at %d: %w", a.Tail, err)
		}
		a.inflight = c
	}
	if !a.inflight.Finished() {
		// Re-entrancy: the write is kept in a.inflight; re-entry waits on
		// it instead of writing again.
		return rt.Wait[int64](a.inflight), nil
	}
	c := a.inflight
	a.inflight = nil
	if err := c.Err(); err != nil {
		return rt.IOResult[int64]{}, err
	}
	off := a.Tail
	a.Tail += int64(len(frame))
	a.Frames++
	return rt.Done(off), nil
}
