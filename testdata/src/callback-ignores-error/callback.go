// Package callback: completion callbacks run on failure too (docs/bugs.md C12).
package callback

import "sync/atomic"

//reentrycheck:completion
type Completion struct{ cb func(n int, err error) }

// NewSync makes a sync completion.
func NewSync(cb func(n int, err error)) *Completion { return &Completion{cb: cb} }

type WAL struct {
	ready  atomic.Bool
	synced int
	errs   []error
}

var initialized bool

func (w *WAL) Buggy() *Completion {
	return NewSync(func(n int, _ error) {
		w.ready.Store(true) // want `completion callback calls w\.ready\.Store, which mutates w\.ready .*never tests its error`
		w.synced = n        // want `completion callback overwrites w\.synced`
		initialized = true  // want `completion callback overwrites initialized`
	})
}

func (w *WAL) Fixed() *Completion {
	return NewSync(func(n int, err error) {
		if err == nil {
			w.ready.Store(true)
			w.synced = n
		}
	})
}

// Fan-in counters that must move on failure too are fine once the error is read.
func (w *WAL) Counter(pending *atomic.Int64) *Completion {
	return NewSync(func(n int, err error) {
		if err != nil {
			w.errs = append(w.errs, err)
		}
		pending.Add(-1)
	})
}

// Writing only the callback's own locals is fine.
func (w *WAL) Local() *Completion {
	return NewSync(func(n int, _ error) {
		total := 0
		total += n
		_ = total
	})
}

// A captured local of the creating function is an observation within that
// call (a test's flag), not state the callback publishes.
func Observe() bool {
	called := false
	c := NewSync(func(int, error) { called = true })
	_ = c
	return called
}

// Nested callbacks resolve captured variables to the outermost function:
// w is its receiver, so the inner write publishes state.
func (w *WAL) Nested() *Completion {
	return NewSync(func(n int, err error) {
		if err != nil {
			return
		}
		NewSync(func(int, error) {
			w.synced++ // want `completion callback increments w\.synced`
		})
	})
}

// Reading the error only to keep it is no check: success is published on
// failure too.
func (w *WAL) StoresBuggy() *Completion {
	return NewSync(func(n int, err error) {
		w.errs = append(w.errs, err) // want `completion callback appends to w\.errs but never tests its error`
		w.synced = n                 // want `completion callback overwrites w\.synced`
	})
}
