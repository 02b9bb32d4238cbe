package storage

import (
	"sync"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// chainWalk reads pages [Next, End) straight from the file, summing their
// first records. Its progress is the struct itself.
type chainWalk struct {
	Next, End int
	Sum       uint64
	read      *rt.Completion
}

// step advances the walk by one page per I/O.
//
// quality: ok C1 submit, keep the completion in the walk, yield; consume on re-entry
func (w *chainWalk) step(f rt.File) (rt.IOResult[uint64], error) {
	for w.Next < w.End {
		if w.read == nil {
			c, err := f.ReadAt(rt.NewRead(make([]byte, engine.PageSize), nil), int64(w.Next*engine.PageSize))
			if err != nil {
				return rt.IOResult[uint64]{}, err
			}
			w.read = c
		}
		if !w.read.Finished() {
			// Re-entrancy: the read is kept in w.read; re-entry waits on it.
			return rt.Wait[uint64](w.read), nil
		}
		if err := w.read.Err(); err != nil {
			return rt.IOResult[uint64]{}, err
		}
		w.Sum += engine.Rec(w.read.Buffer(), 0)
		w.read = nil
		w.Next++
	}
	return rt.Done(w.Sum), nil
}

// Overflow walks an overflow chain.
type Overflow struct {
	File rt.File
	Walk chainWalk
}

// Run returns the chain's checksum.
//
// quality: bug C5 the walk is copied, advanced on the copy and the copy dropped at the yield
func (o *Overflow) Run() (rt.IOResult[uint64], error) {
	w := o.Walk
	r, err := w.step(o.File)
	if err != nil || r.IsIO() {
		// Bug: the copy's progress (and its in-flight read) is lost;
		// re-entry starts the walk again from o.Walk.
		return rt.Forward[uint64](r, err)
	}
	o.Walk = w
	return rt.Done(r.Value()), nil
}

// InPlaceOverflow walks the chain through a pointer.
type InPlaceOverflow struct {
	File rt.File
	Walk chainWalk
}

// Run returns the chain's checksum.
//
// quality: ok C5 the walk is advanced in place through a pointer
func (o *InPlaceOverflow) Run() (rt.IOResult[uint64], error) {
	w := &o.Walk
	r, err := w.step(o.File)
	if err != nil || r.IsIO() {
		// Re-entrancy: the walk advanced in o.Walk itself; re-entry
		// resumes it.
		return rt.Forward[uint64](r, err)
	}
	return rt.Done(r.Value()), nil
}

// DeferredOverflow works on a copy and writes it back in a deferred closure.
type DeferredOverflow struct {
	File rt.File
	Walk chainWalk
}

// Run returns the chain's checksum.
//
// quality: ok C5 a copy written back by a deferred closure at every return
func (o *DeferredOverflow) Run() (rt.IOResult[uint64], error) {
	w := o.Walk
	defer func() { o.Walk = w }()
	r, err := w.step(o.File)
	if err != nil || r.IsIO() {
		// Re-entrancy: the deferred write-back stores the advanced copy
		// before the caller sees the yield.
		return rt.Forward[uint64](r, err)
	}
	return rt.Done(r.Value()), nil
}

// RestoredOverflow uses rt.ReturnAndRestore.
type RestoredOverflow struct {
	File rt.File
	Walk chainWalk
}

// Run returns the chain's checksum.
//
// quality: ok C5 rt.ReturnAndRestore writes the copy back on IO
func (o *RestoredOverflow) Run() (rt.IOResult[uint64], error) {
	r, err := rt.ReturnAndRestore(&o.Walk, func(w *chainWalk) (rt.IOResult[uint64], error) { return w.step(o.File) })
	if err != nil || r.IsIO() {
		// Re-entrancy: ReturnAndRestore wrote the advanced walk back.
		return rt.Forward[uint64](r, err)
	}
	// On Done nothing was written back: record the finished walk here.
	o.Walk = chainWalk{Next: o.Walk.End, End: o.Walk.End, Sum: r.Value()}
	return rt.Done(r.Value()), nil
}

// Table serialises inserts into its page cache with a mutex.
type Table struct {
	mu    sync.Mutex
	Pager *engine.Pager
	Rows  int
}

// Mutex exposes the table's lock to tests.
func (t *Table) Mutex() *sync.Mutex { return &t.mu }

// Insert loads the target page and counts a row into it.
//
// quality: bug C10 the table lock is held while the page read yields
func (t *Table) Insert(page int) (rt.IOResult[int], error) {
	t.mu.Lock()
	r, err := t.Pager.ReadPage(page)
	if err != nil || r.IsIO() {
		// Bug: returns with t.mu held; re-entry locks it again.
		return rt.Forward[int](r, err)
	}
	t.Rows++
	t.mu.Unlock()
	return rt.Done(t.Rows), nil
}

// SafeTable locks only around the in-memory update.
type SafeTable struct {
	mu    sync.Mutex
	Pager *engine.Pager
	Rows  int
}

// Mutex exposes the table's lock to tests.
func (t *SafeTable) Mutex() *sync.Mutex { return &t.mu }

// Insert loads the target page and counts a row into it.
//
// quality: ok C10 the lock is released by a deferred unlock at every return, yields included
func (t *SafeTable) Insert(page int) (rt.IOResult[int], error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, err := t.Pager.ReadPage(page)
	if err != nil || r.IsIO() {
		// Re-entrancy: the deferred unlock releases the lock before the
		// caller waits; re-entry takes it again.
		return rt.Forward[int](r, err)
	}
	t.Rows++
	return rt.Done(t.Rows), nil
}
