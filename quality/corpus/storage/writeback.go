package storage

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Writeback writes a dirty page and marks it clean once written.
type Writeback struct {
	File  rt.File
	ID    int
	Data  []byte
	Clean map[int]bool
	c     *rt.Completion
}

// Run writes the page.
//
// quality: bug C12 the write callback marks the page clean without reading its error
func (w *Writeback) Run() (rt.IOResult[bool], error) {
	if w.c == nil {
		c, err := w.File.WriteAt(w.Data, int64(w.ID*len(w.Data)), rt.NewWrite(func(int, error) {
			w.Clean[w.ID] = true // Bug: runs on failure too.
		}))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		w.c = c
	}
	if !w.c.Finished() {
		// Re-entrancy: the write is kept in w.c; re-entry waits on it.
		return rt.Wait[bool](w.c), nil
	}
	return rt.Done(true), w.c.Err()
}

// CheckedWriteback is Writeback with a callback that checks the error.
type CheckedWriteback struct {
	File  rt.File
	ID    int
	Data  []byte
	Clean map[int]bool
	c     *rt.Completion
}

// Run writes the page.
//
// quality: ok C12 the callback publishes only on success
func (w *CheckedWriteback) Run() (rt.IOResult[bool], error) {
	if w.c == nil {
		c, err := w.File.WriteAt(w.Data, int64(w.ID*len(w.Data)), rt.NewWrite(func(_ int, err error) {
			if err == nil {
				w.Clean[w.ID] = true
			}
		}))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		w.c = c
	}
	if !w.c.Finished() {
		// Re-entrancy: the write is kept in w.c; re-entry waits on it.
		return rt.Wait[bool](w.c), nil
	}
	return rt.Done(true), w.c.Err()
}

// Credit is a page-allocation budget taken for one allocation and given
// back if the allocation has to wait.
type Credit struct {
	Budget int
	Alloc  *chainWalk
	File   rt.File
	Used   int
}

// Run allocates once the chain walk found a free page.
//
// quality: ok C1 save-and-restore of a credit on the IO path
func (c *Credit) Run() (rt.IOResult[int], error) {
	saved := c.Budget
	c.Budget--
	r, err := c.Alloc.step(c.File)
	if err != nil || r.IsIO() {
		// Re-entrancy: the credit taken above is given back before the
		// yield, so re-entry takes it again from the same balance.
		c.Budget = saved
		return rt.Forward[int](r, err)
	}
	c.Used++
	return rt.Done(c.Budget), nil
}

// LeakyCredit forgets to give the credit back.
type LeakyCredit struct {
	Budget int
	Alloc  *chainWalk
	File   rt.File
	Used   int
}

// Run allocates once the chain walk found a free page.
//
// quality: bug C1 the credit is taken before the yield and not restored
func (c *LeakyCredit) Run() (rt.IOResult[int], error) {
	c.Budget--
	r, err := c.Alloc.step(c.File)
	if err != nil || r.IsIO() {
		// Bug: each re-entry takes another credit.
		return rt.Forward[int](r, err)
	}
	c.Used++
	return rt.Done(c.Budget), nil
}
