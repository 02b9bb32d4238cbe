// Package wal is the corpus's write-ahead-log code: frame writers, group
// commit, sync, checkpoint, header and segment rotation, recovery.
package wal

import (
	"sync"
	"sync/atomic"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type writeState uint8

const (
	wsSubmit writeState = iota
	wsWait
	wsDone
)

// FrameWriter writes one frame and accounts for its bytes.
type FrameWriter struct {
	File  rt.File
	Off   int64
	Frame []byte
	state writeState
	c     *rt.Completion
	Bytes int
}

// Run writes the frame.
//
// quality: ok C1 submit, transition, yield; the accounting is in the consuming state after the finished check
func (w *FrameWriter) Run() (rt.IOResult[int], error) {
	switch w.state {
	case wsSubmit:
		c, err := w.File.WriteAt(w.Frame, w.Off, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		w.c, w.state = c, wsWait
		fallthrough
	case wsWait:
		if !w.c.Finished() {
			// Re-entrancy: the write is stored and the state is wsWait;
			// re-entry waits on the same write.
			return rt.Wait[int](w.c), nil
		}
		if err := w.c.Err(); err != nil {
			return rt.IOResult[int]{}, err
		}
		w.Bytes += w.c.N()
		w.state = wsDone
	}
	return rt.Done(w.Bytes), nil
}

// EagerFrameWriter accounts before checking the write landed.
type EagerFrameWriter struct {
	File  rt.File
	Off   int64
	Frame []byte
	state writeState
	c     *rt.Completion
	Bytes int
}

// Run writes the frame.
//
// quality: bug C1 the byte count is added in the waiting state before the finished check
func (w *EagerFrameWriter) Run() (rt.IOResult[int], error) {
	switch w.state {
	case wsSubmit:
		c, err := w.File.WriteAt(w.Frame, w.Off, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		w.c, w.state = c, wsWait
		fallthrough
	case wsWait:
		w.Bytes += len(w.Frame)
		if !w.c.Finished() {
			// Bug: re-entered early, the byte count above is added again.
			return rt.Wait[int](w.c), nil
		}
		if err := w.c.Err(); err != nil {
			return rt.IOResult[int]{}, err
		}
		w.state = wsDone
	}
	return rt.Done(w.Bytes), nil
}

// GroupCommit writes a batch of frames and waits for all of them.
type GroupCommit struct {
	File   rt.File
	Frames [][]byte
	group  *rt.Completion
}

// Run commits the batch.
//
// quality: ok C1 the group is built once and memoized; re-entry only waits
func (g *GroupCommit) Run() (rt.IOResult[int], error) {
	if g.group == nil {
		grp := rt.NewGroup(nil)
		for i, fr := range g.Frames {
			c, err := g.File.WriteAt(fr, int64(i*len(fr)), rt.NewWrite(nil))
			if err == nil {
				err = grp.Add(c)
			}
			if err != nil {
				grp.Cancel()
				return rt.IOResult[int]{}, err
			}
		}
		g.group = grp.Build()
	}
	if !g.group.Finished() {
		// Re-entrancy: the built group is memoized in g.group; re-entry
		// waits on it and submits nothing.
		return rt.Wait[int](g.group), nil
	}
	if err := g.group.Err(); err != nil {
		return rt.IOResult[int]{}, err
	}
	return rt.Done(len(g.Frames)), nil
}

// EagerGroupCommit rebuilds its group on every entry.
type EagerGroupCommit struct {
	File    rt.File
	Frames  [][]byte
	Batches int
}

// Run commits the batch.
//
// quality: bug C1 the writes are submitted and the group built on every entry
func (g *EagerGroupCommit) Run() (rt.IOResult[int], error) {
	grp := rt.NewGroup(nil)
	for i, fr := range g.Frames {
		c, err := g.File.WriteAt(fr, int64(i*len(fr)), rt.NewWrite(nil))
		if err == nil {
			err = grp.Add(c)
		}
		if err != nil {
			grp.Cancel()
			return rt.IOResult[int]{}, err
		}
	}
	done := grp.Build()
	if !done.Finished() {
		// Bug: re-entry writes the whole batch again.
		return rt.Wait[int](done), nil
	}
	return rt.Done(len(g.Frames)), done.Err()
}

// Syncer makes the log durable and publishes it.
type Syncer struct {
	File    rt.File
	Durable atomic.Bool
	c       *rt.Completion
}

// Run syncs the log.
//
// quality: ok C12 the sync callback publishes durability only on success
func (s *Syncer) Run() (rt.IOResult[bool], error) {
	if s.c == nil {
		c, err := s.File.Sync(rt.NewSync(func(_ int, err error) {
			if err == nil {
				s.Durable.Store(true)
			}
		}))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		s.c = c
	}
	if !s.c.Finished() {
		// Re-entrancy: the sync is kept in s.c; re-entry waits on it.
		return rt.Wait[bool](s.c), nil
	}
	return rt.Done(s.Durable.Load()), s.c.Err()
}

// BlindSyncer publishes durability whatever the sync's outcome.
type BlindSyncer struct {
	File    rt.File
	Durable atomic.Bool
	c       *rt.Completion
}

// Run syncs the log.
//
// quality: bug C12 the sync callback ignores its error
func (s *BlindSyncer) Run() (rt.IOResult[bool], error) {
	if s.c == nil {
		c, err := s.File.Sync(rt.NewSync(func(int, error) {
			s.Durable.Store(true) // Bug: a failed sync is published as durable.
		}))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		s.c = c
	}
	if !s.c.Finished() {
		// Re-entrancy: the sync is kept in s.c; re-entry waits on it.
		return rt.Wait[bool](s.c), nil
	}
	return rt.Done(s.Durable.Load()), s.c.Err()
}

// Truncator cuts a torn tail off the log.
type Truncator struct {
	File     rt.File
	Size     int64
	c        *rt.Completion
	Attempts int
}

// Run truncates the log to Size.
//
// quality: bug C1 an attempt counter bumped after the once-guard, before the yield
func (t *Truncator) Run() (rt.IOResult[int64], error) {
	if t.c == nil {
		c, err := t.File.Truncate(t.Size, rt.NewTruncate(nil))
		if err != nil {
			return rt.IOResult[int64]{}, err
		}
		t.c = c
	}
	t.Attempts++
	if !t.c.Finished() {
		// Bug: every early re-entry counts another attempt.
		return rt.Wait[int64](t.c), nil
	}
	return rt.Done(t.Size), t.c.Err()
}

// Committer appends frames to the log under the log's append lock.
type Committer struct {
	mu  sync.Mutex
	App *engine.Appender
}

// Mutex exposes the append lock to tests.
func (c *Committer) Mutex() *sync.Mutex { return &c.mu }

// Run appends one frame.
//
// quality: bug C10 the append lock is held while the append yields
func (c *Committer) Run(frame []byte) (rt.IOResult[int64], error) {
	c.mu.Lock()
	r, err := c.App.Append(frame)
	if err != nil || r.IsIO() {
		// Bug: returns with c.mu held.
		return rt.Forward[int64](r, err)
	}
	c.mu.Unlock()
	return rt.Done(r.Value()), nil
}

// UnlockingCommitter releases the lock on every exit by hand.
type UnlockingCommitter struct {
	mu  sync.Mutex
	App *engine.Appender
}

// Mutex exposes the append lock to tests.
func (c *UnlockingCommitter) Mutex() *sync.Mutex { return &c.mu }

// Run appends one frame.
//
// quality: ok C10 the lock is released on the IO path before the yield
func (c *UnlockingCommitter) Run(frame []byte) (rt.IOResult[int64], error) {
	c.mu.Lock()
	r, err := c.App.Append(frame)
	c.mu.Unlock()
	if err != nil || r.IsIO() {
		// Re-entrancy: the lock was released just above; the appender
		// keeps its write in flight, so re-entry takes the lock again and
		// waits on it.
		return rt.Forward[int64](r, err)
	}
	return rt.Done(r.Value()), nil
}
