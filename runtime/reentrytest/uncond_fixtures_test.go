package reentrytest

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// This file holds operations in the unconditional-yield style: every I/O is
// a yield, even one that finished inline (submit, record what is in flight,
// return rt.Wait(c)). The old two-run comparison cannot tell a per-re-entry
// write from a per-I/O one in this style, because the inline run re-enters
// exactly as often as the re-entrant one. For each of C1, C2, C3, C5 and C8
// there is a buggy version and a fixed twin; the buggy lines carry
// reentrycheck:ignore directives because they are wrong on purpose.

// resumer is a re-pollable sub-operation.
type resumer interface {
	Resume() (rt.IOResult[int], error)
}

// chunkWriter writes data at off in chunks of size chunk, one chunk in
// flight at a time, and yields on every chunk. It keeps the chunk in
// flight, so a re-entry before that chunk landed waits on it again: it
// absorbs polls.
type chunkWriter struct {
	f     rt.File
	data  []byte
	off   int64
	chunk int

	done     int
	inflight *rt.Completion
}

func newChunkWriter(f rt.File, data string, off int64, chunk int) *chunkWriter {
	return &chunkWriter{f: f, data: []byte(data), off: off, chunk: chunk}
}

func (w *chunkWriter) Resume() (rt.IOResult[int], error) {
	for {
		if w.inflight == nil {
			if w.done >= len(w.data) {
				return rt.Done(w.done), nil
			}
			end := min(w.done+w.chunk, len(w.data))
			c, err := w.f.WriteAt(w.data[w.done:end], w.off+int64(w.done), rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			w.inflight = c
			// Re-entrancy: the chunk is recorded in inflight, so re-entry
			// consumes it (or waits on it again) instead of writing it
			// again.
			return rt.Wait[int](c), nil
		}
		if !w.inflight.Finished() {
			// Re-entrancy: the chunk has not landed; nothing changed, so
			// re-entry waits on it again.
			return rt.Wait[int](w.inflight), nil
		}
		w.done = min(w.done+w.chunk, len(w.data))
		w.inflight = nil
	}
}

// flagWriter is the chunked writer of the repro: it sets a flag
// and yields on every chunk, and on re-entry takes the flag to mean "the
// chunk landed" without looking at the completion. That is correct in the
// model (re-entry comes after the completion finished), but it moves on
// whenever it is re-entered: it does not absorb polls.
type flagWriter struct {
	f     rt.File
	data  []byte
	chunk int

	done    int
	waiting bool
}

func (w *flagWriter) Resume() (rt.IOResult[int], error) {
	for {
		if !w.waiting {
			if w.done >= len(w.data) {
				return rt.Done(w.done), nil
			}
			end := min(w.done+w.chunk, len(w.data))
			c, err := w.f.WriteAt(w.data[w.done:end], int64(w.done), rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			w.waiting = true
			// Re-entrancy: waiting is set, so re-entry counts this chunk
			// as written (the driver re-enters only after it succeeded).
			return rt.Wait[int](c), nil
		}
		w.done = min(w.done+w.chunk, len(w.data))
		w.waiting = false
	}
}

type ledgerState int

const (
	ledgerAppend ledgerState = iota
	ledgerDone
)

// ledger records an entry in memory (entries, count) and writes it with a
// re-pollable writer. It is the repro. Resume is the C1 bug (or
// its fix): the buggy version appends and counts before the call, so
// every re-entry while the write is in progress repeats both.
type ledger struct {
	w       resumer
	entry   string
	entries []string
	count   int
	state   ledgerState
	fixed   bool
}

func (l *ledger) Resume() (rt.IOResult[int], error) {
	if l.state == ledgerAppend {
		if !l.fixed {
			//reentrycheck:ignore deliberate C1 bug: the fixture the polled run must catch
			l.entries = append(l.entries, l.entry)
			//reentrycheck:ignore deliberate C1 bug, as above
			l.count++
		}
		r, err := l.w.Resume()
		if err != nil || r.IsIO() {
			// Re-entrancy: safe only in the fixed version, which mutates
			// nothing before the call; the buggy one appends again.
			return rt.Forward[int](r, err)
		}
		if l.fixed {
			l.entries = append(l.entries, l.entry)
			l.count++
		}
		l.state = ledgerDone
	}
	return rt.Done(l.count), nil
}

// ledgerSnap is ledger's persistent state, as plain data.
type ledgerSnap struct {
	Entries []string
	Count   int
}

// cursor walks a list of records held in memory. Next is re-pollable by
// its signature but never yields, and it is not idempotent: every Done
// moves the cursor on.
type cursor struct {
	recs []string
	pos  int
}

// next is one step of a cursor: the record, or ok == false at the end.
type next struct {
	rec string
	ok  bool
}

func (c *cursor) Next() (rt.IOResult[next], error) {
	if c.pos >= len(c.recs) {
		return rt.Done(next{}), nil
	}
	c.pos++
	return rt.Done(next{rec: c.recs[c.pos-1], ok: true}), nil
}

// fileCursor walks fixed-size records of a file, one read per record,
// yielding on every read. Like chunkWriter it keeps its read in flight and
// absorbs polls; unlike cursor, every step is I/O.
type fileCursor struct {
	f    rt.File
	size int
	n    int
	pos  int
	read *rt.Completion
}

func (c *fileCursor) Next() (rt.IOResult[next], error) {
	if c.read == nil {
		if c.pos >= c.n {
			return rt.Done(next{}), nil
		}
		rd, err := c.f.ReadAt(rt.NewRead(make([]byte, c.size), nil), int64(c.pos*c.size))
		if err != nil {
			return rt.IOResult[next]{}, err
		}
		c.read = rd
		// Re-entrancy: the read is recorded in read, so re-entry consumes
		// it (or waits on it again) instead of reading again.
		return rt.Wait[next](rd), nil
	}
	if !c.read.Finished() {
		// Re-entrancy: the read has not landed; nothing changed, so
		// re-entry waits on it again.
		return rt.Wait[next](c.read), nil
	}
	rec := string(c.read.Buffer()[:c.read.N()])
	c.read = nil
	c.pos++
	return rt.Done(next{rec: rec, ok: true}), nil
}

// recordSource is what copier reads from: cursor or fileCursor.
type recordSource interface {
	Next() (rt.IOResult[next], error)
}

type copyState int

const (
	copyNext copyState = iota
	copyWrite
	copyDone
)

// copier copies the records of a cursor to a file, one chunked write per
// record. Resume is the C2 bug (or its fix): the buggy version calls the
// cursor and the writer in one state, so a yield of the write re-runs
// Next on re-entry and the cursor skips a record.
type copier struct {
	f      rt.File
	cur    recordSource
	chunk  int
	w      *chunkWriter
	off    int64
	copied []string
	state  copyState
	fixed  bool
}

func (c *copier) Resume() (rt.IOResult[int], error) {
	if c.fixed {
		return c.resumeFixed()
	}
	for c.state != copyDone {
		//reentrycheck:ignore deliberate C2 bug: the fixture the polled run must catch
		r, err := c.cur.Next()
		if err != nil || r.IsIO() {
			// Re-entrancy: Next has not moved the cursor on this path.
			return rt.Forward[int](r, err)
		}
		if !r.Value().ok {
			c.state = copyDone
			continue
		}
		if c.w == nil {
			c.w = newChunkWriter(c.f, r.Value().rec, c.off, c.chunk)
		}
		w, err := c.w.Resume()
		if err != nil || w.IsIO() {
			// Re-entrancy: NOT safe, on purpose: re-entry calls Next
			// again, which moves the cursor past a record.
			return rt.Forward[int](w, err)
		}
		c.copied = append(c.copied, string(c.w.data))
		c.off += int64(len(c.w.data))
		c.w = nil
	}
	return rt.Done(len(c.copied)), nil
}

func (c *copier) resumeFixed() (rt.IOResult[int], error) {
	for {
		switch c.state {
		case copyNext:
			r, err := c.cur.Next()
			if err != nil || r.IsIO() {
				// Re-entrancy: Next has not moved the cursor on this
				// path; re-entry calls it again.
				return rt.Forward[int](r, err)
			}
			if !r.Value().ok {
				c.state = copyDone
				continue
			}
			c.w, c.state = newChunkWriter(c.f, r.Value().rec, c.off, c.chunk), copyWrite
		case copyWrite:
			w, err := c.w.Resume()
			if err != nil || w.IsIO() {
				// Re-entrancy: the state still says copyWrite, so
				// re-entry drives the same write and leaves the cursor
				// alone.
				return rt.Forward[int](w, err)
			}
			c.copied = append(c.copied, string(c.w.data))
			c.off += int64(len(c.w.data))
			c.w, c.state = nil, copyNext
		default:
			return rt.Done(len(c.copied)), nil
		}
	}
}

type envelopeState int

const (
	envBody envelopeState = iota
	envTrailer
	envAwait
	envDone
)

// envelope writes a body (a re-pollable chunked write) and then a
// trailer, yielding on every I/O. Resume is the C3 bug (or its fix): the
// buggy version advances to envTrailer before the body write, so re-entry
// skips to the trailer and the body stops after its first chunk. In this
// style that happens in every run, inline included; only a re-entry while
// the body's chunk is still pending shows that the operation moved on
// without finishing the call it yielded through (Options.PollTolerant).
type envelope struct {
	f       rt.File
	body    *chunkWriter
	trailer *rt.Completion
	state   envelopeState
	fixed   bool
}

func (e *envelope) Resume() (rt.IOResult[int64], error) {
	for {
		switch e.state {
		case envBody:
			if !e.fixed {
				//reentrycheck:ignore deliberate C3 bug: the fixture the polled run must catch
				e.state = envTrailer
			}
			r, err := e.body.Resume()
			if err != nil || r.IsIO() {
				// Re-entrancy: safe only in the fixed version, where the
				// state still says envBody and re-entry drives the body
				// again; the buggy one lands in envTrailer.
				return rt.Forward[int64](r, err)
			}
			e.state = envTrailer
		case envTrailer:
			size, err := e.f.Size()
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			c, err := e.f.WriteAt([]byte("|END"), size, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			e.trailer, e.state = c, envAwait
			// Re-entrancy: the trailer is stored and the state moved to
			// envAwait, so re-entry waits on it instead of writing it
			// again.
			return rt.Wait[int64](c), nil
		case envAwait:
			if !e.trailer.Finished() {
				// Re-entrancy: a poll before the trailer landed; nothing
				// changed, so re-entry waits on it again.
				return rt.Wait[int64](e.trailer), nil
			}
			e.state = envDone
		default:
			size, err := e.f.Size()
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			return rt.Done(size), nil
		}
	}
}

// fillStep is a value-typed sub-state: it allocates a page once (a guard
// flag in the struct, the page list behind a pointer) and then drives a
// write.
type fillStep struct {
	allocated bool
	pages     *[]int
	w         *chunkWriter
}

func (s *fillStep) Step() (rt.IOResult[int], error) {
	if !s.allocated {
		*s.pages = append(*s.pages, len(*s.pages)+1)
		s.allocated = true
	}
	r, err := s.w.Resume()
	if err != nil || r.IsIO() {
		// Re-entrancy: allocated is set, so re-entry on the same fillStep
		// does not allocate again and drives the write on.
		return rt.Forward[int](r, err)
	}
	return r, nil
}

type fillerState int

const (
	fillWrite fillerState = iota
	fillDone
)

// filler allocates a page and writes it through a fillStep. Resume is the
// C5 bug (or its fix): the buggy version steps a copy of the sub-state and
// drops the copy at the yield, so the guard flag is lost and every
// re-entry allocates another page.
type filler struct {
	fill  fillStep
	pages []int
	state fillerState
	fixed bool
}

func newFiller(f rt.File, data string, chunk int, fixed bool) *filler {
	fl := &filler{fixed: fixed}
	fl.fill = fillStep{pages: &fl.pages, w: newChunkWriter(f, data, 0, chunk)}
	return fl
}

func (f *filler) Resume() (rt.IOResult[int], error) {
	if f.state == fillWrite {
		if f.fixed {
			st := &f.fill
			r, err := st.Step()
			if err != nil || r.IsIO() {
				// Re-entrancy: the sub-state was stepped in place, so
				// its guard flag survives the yield.
				return rt.Forward[int](r, err)
			}
		} else {
			st := f.fill
			//reentrycheck:ignore deliberate C5 bug: the fixture the polled run must catch
			r, err := st.Step()
			if err != nil || r.IsIO() {
				// Re-entrancy: NOT safe, on purpose: the stepped copy is
				// dropped here, and re-entry allocates again.
				return rt.Forward[int](r, err)
			}
			f.fill = st
		}
		f.state = fillDone
	}
	return rt.Done(len(f.pages)), nil
}

type flushState int

const (
	flushSubmit flushState = iota
	flushWait
	flushDone
)

// flusher submits several writes at once and waits for all of them
// through a group. Resume is the C8 bug (or its fix): the buggy version
// builds the group again on every pass through flushWait, linking the same
// children a second time whenever they are still pending.
type flusher struct {
	f      rt.File
	bufs   [][]byte
	writes []*rt.Completion
	group  *rt.Completion
	state  flushState
	fixed  bool
}

// groupOf builds a group over cs.
func groupOf(cs []*rt.Completion) (*rt.Completion, error) {
	g := rt.NewGroup(nil)
	for _, c := range cs {
		if err := g.Add(c); err != nil {
			return nil, err
		}
	}
	return g.Build(), nil
}

func (fl *flusher) Resume() (rt.IOResult[int], error) {
	for {
		switch fl.state {
		case flushSubmit:
			var off int64
			for _, b := range fl.bufs[:len(fl.writes)] {
				off += int64(len(b))
			}
			for len(fl.writes) < len(fl.bufs) {
				b := fl.bufs[len(fl.writes)]
				c, err := fl.f.WriteAt(b, off, rt.NewWrite(nil))
				if err != nil {
					return rt.IOResult[int]{}, err
				}
				fl.writes = append(fl.writes, c)
				off += int64(len(b))
			}
			g, err := groupOf(fl.writes)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			fl.group, fl.state = g, flushWait
			// Re-entrancy: the writes and their group are stored and the
			// state moved to flushWait, so re-entry waits there instead of
			// submitting again.
			return rt.Wait[int](g), nil
		case flushWait:
			if !fl.fixed {
				//reentrycheck:ignore deliberate C8 bug: the fixture the polled run must catch
				g, err := groupOf(fl.writes)
				if err != nil {
					return rt.IOResult[int]{}, err
				}
				fl.group = g
			}
			if !fl.group.Finished() {
				// Re-entrancy: safe only in the fixed version: a poll
				// before the writes landed waits on the memoized group
				// again; the buggy one has just linked them twice.
				return rt.Wait[int](fl.group), nil
			}
			if err := fl.group.Err(); err != nil {
				return rt.IOResult[int]{}, err
			}
			fl.state = flushDone
		default:
			n := 0
			for _, c := range fl.writes {
				n += c.N()
			}
			return rt.Done(n), nil
		}
	}
}
