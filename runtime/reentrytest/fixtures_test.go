package reentrytest

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// This file holds the operations the tests run through Check: one correct
// re-pollable building block, and a buggy and a fixed version of each bug
// class Check must catch. The buggy lines carry reentrycheck:ignore
// directives because they are wrong on purpose.

// recordWriter writes data at off in chunks of size chunk, one write in
// flight at a time. It is re-pollable: IO means "call me again".
type recordWriter struct {
	f     rt.File
	data  []byte
	off   int64
	chunk int

	done    int
	waiting bool
}

func (w *recordWriter) Resume() (rt.IOResult[int], error) {
	for {
		if w.waiting {
			w.waiting = false
			w.done = min(w.done+w.chunk, len(w.data))
		}
		if w.done >= len(w.data) {
			return rt.Done(w.done), nil
		}
		end := min(w.done+w.chunk, len(w.data))
		c, err := w.f.WriteAt(w.data[w.done:end], w.off+int64(w.done), rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		w.waiting = true
		if !c.Finished() {
			// Re-entrancy: waiting is set, so re-entry counts this chunk
			// as written (the driver re-enters only after it succeeded)
			// instead of submitting it again.
			return rt.Wait[int](c), nil
		}
	}
}

type journalState int

const (
	journalAppend journalState = iota
	journalDone
)

// journal records an entry in memory and writes it to the file: the
// entries slice is persistent state.
type journal struct {
	w       *recordWriter
	entry   string
	entries []string
	state   journalState
	fixed   bool
}

func newJournal(f rt.File, entry string, fixed bool) *journal {
	return &journal{w: &recordWriter{f: f, data: []byte(entry), chunk: 4}, entry: entry, fixed: fixed}
}

// Resume is the C1 bug (or its fix): the buggy version appends to the
// persistent entries before the re-pollable write, so every yield of the
// write replays the append and duplicates the entry.
func (j *journal) Resume() (rt.IOResult[int], error) {
	if j.fixed {
		return j.resumeFixed()
	}
	switch j.state {
	case journalAppend:
		//reentrycheck:ignore deliberate C1 bug: the fixture Check must catch
		j.entries = append(j.entries, j.entry)
		r, err := j.w.Resume()
		if err != nil || r.IsIO() {
			// Re-entrancy: NOT safe, on purpose: the append above is replayed.
			return rt.Forward[int](r, err)
		}
		j.state = journalDone
	}
	return rt.Done(len(j.entries)), nil
}

func (j *journal) resumeFixed() (rt.IOResult[int], error) {
	switch j.state {
	case journalAppend:
		r, err := j.w.Resume()
		if err != nil || r.IsIO() {
			// Re-entrancy: nothing was mutated before the call; re-entry
			// polls the writer again until it is Done.
			return rt.Forward[int](r, err)
		}
		j.entries = append(j.entries, j.entry)
		j.state = journalDone
	}
	return rt.Done(len(j.entries)), nil
}

type fileState int

const (
	fileBody fileState = iota
	fileTrailer
	fileAwaitTrailer
	fileDone
)

// framedFile writes a body (a re-pollable sub-operation) and then a
// trailer.
type framedFile struct {
	f     rt.File
	body  *recordWriter
	state fileState
	fixed bool
}

func newFramedFile(f rt.File, body string, fixed bool) *framedFile {
	return &framedFile{f: f, body: &recordWriter{f: f, data: []byte(body), chunk: 3}, fixed: fixed}
}

// Resume is the C3 bug (or its fix): the buggy version advances the state
// before the re-pollable body write, so when the body yields, re-entry
// skips to the trailer and the body is never finished.
func (w *framedFile) Resume() (rt.IOResult[int64], error) {
	for {
		switch w.state {
		case fileBody:
			if w.fixed {
				r, err := w.body.Resume()
				if err != nil || r.IsIO() {
					// Re-entrancy: the state still says fileBody, so
					// re-entry drives the body write again.
					return rt.Forward[int64](r, err)
				}
				w.state = fileTrailer
				continue
			}
			//reentrycheck:ignore deliberate C3 bug: the fixture Check must catch
			w.state = fileTrailer
			r, err := w.body.Resume()
			if err != nil || r.IsIO() {
				// Re-entrancy: NOT safe, on purpose: re-entry lands in
				// fileTrailer and abandons the body write.
				return rt.Forward[int64](r, err)
			}
		case fileTrailer:
			size, err := w.f.Size()
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			c, err := w.f.WriteAt([]byte("|END"), size, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			w.state = fileAwaitTrailer
			if !c.Finished() {
				// Re-entrancy: advanced first; re-entry lands after the
				// trailer write.
				return rt.Wait[int64](c), nil
			}
		case fileAwaitTrailer:
			w.state = fileDone
		default:
			size, err := w.f.Size()
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			return rt.Done(size), nil
		}
	}
}

// tickPoint is the injection-point enum of counter.
type tickPoint int

const (
	tickAfterCount tickPoint = iota
	numTickPoints
)

func (p tickPoint) Point() sim.Point {
	return sim.Point{Subsystem: "tick", Ordinal: int(p), Count: int(numTickPoints)}
}

// counter counts ticks without any I/O; only an injected yield can make it
// re-enter. The buggy version counts before the injection hook, breaking
// the placement rule "never place a hook after a counter increment".
type counter struct {
	inj   sim.Injector
	n     int
	ticks int
	fixed bool
}

func (c *counter) Resume() (rt.IOResult[int], error) {
	for c.ticks < 3 {
		if c.fixed {
			if c.inj.ShouldYield(tickAfterCount.Point()) {
				// Re-entrancy: nothing mutated in this iteration yet.
				return rt.Yield[int](), nil
			}
			c.n += 10
			c.ticks++
			continue
		}
		//reentrycheck:ignore deliberate C1 bug: the fixture Check must catch
		c.n += 10
		if c.inj.ShouldYield(tickAfterCount.Point()) {
			// Re-entrancy: NOT safe, on purpose: the increment is replayed.
			return rt.Yield[int](), nil
		}
		c.ticks++
	}
	return rt.Done(c.n), nil
}
