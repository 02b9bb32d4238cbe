// Package crosspkg uses the helpers package: mutation summaries and the
// ioresult directive both arrive as facts.
package crosspkg

import (
	"helpers"
	"rt"
)

type Writer struct {
	log  helpers.Log
	xs   []int
	cur  *rt.Cursor
	seen int
}

func (w *Writer) Step() (rt.IOResult[int], error) {
	w.log.Add("step")     // want `calls w\.log\.Add, which mutates w\.log \(Add appends to l\.lines\) before the yield`
	helpers.Push(&w.xs, 1) // want `calls helpers\.Push, which mutates w\.xs`
	helpers.Tick()         // want `calls helpers\.Tick, which mutates package state`
	helpers.Indirect(&w.log) // want `calls helpers\.Indirect`
	w.log.Mark()           // a blind overwrite: silent by default
	helpers.Reset(&w.log)  // idempotent: silent
	_ = w.log.Len()        // read-only: silent
	r, err := w.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Locked takes its guard through another package's helpers: their lock
// operations arrive as facts.
type Locked struct {
	g   helpers.Guard
	cur *rt.Cursor
}

// The guard is released by Leave before the yield: silent.
func (l *Locked) Step() (rt.IOResult[int], error) {
	l.g.Enter()
	r, err := l.cur.Next()
	if err != nil || r.IsIO() {
		l.g.Leave()
		return rt.Forward[int](r, err)
	}
	l.g.Leave()
	return rt.Done(r.Value()), nil
}

// Enter's lock is still held at the yield.
func (l *Locked) StepBuggy() (rt.IOResult[int], error) {
	l.g.Enter() // want `l\.g\.mu is locked and still held at the yield`
	r, err := l.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	l.g.Leave()
	return rt.Done(r.Value()), nil
}
