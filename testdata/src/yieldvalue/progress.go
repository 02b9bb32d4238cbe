package yieldvalue

// Progress yields: a streaming filter returns StatusOK ("more input or
// output space") because the progress it recorded in a cursor says so,
// and re-entry starts from that record. Each correct shape has a buggy
// twin whose yield no recorded progress decides.

// Out is the caller's output window.
type Out struct {
	Buf []byte
	Pos int
}

// Filter holds what a filter step keeps between calls.
type Filter struct {
	pending  []byte // filtered bytes not yet handed out
	ready    int    // how many of pending are ready
	retries  int
	flushes  int
}

// flush hands out what fits of the ready bytes: it writes at the output
// cursor and moves it, and drops what it handed out from pending.
func flush(f *Filter, o *Out) {
	n := len(o.Buf) - o.Pos
	if n > f.ready {
		n = f.ready
	}
	copy(o.Buf[o.Pos:], f.pending[:n])
	o.Pos += n
	f.ready -= n
	copy(f.pending, f.pending[n:])
	f.pending = f.pending[:len(f.pending)-n]
}

// Drain is correct: the flush moved the cursors the yield tests, so
// re-entry hands out the rest, not the same bytes again.
func Drain(f *Filter, o *Out) Status {
	if f.ready > 0 {
		flush(f, o)
		if f.ready > 0 {
			return StatusOK
		}
	}
	return StatusStreamEnd
}

// DrainCounted counts the flushes, and the yield tests a cursor the
// prefix did not move: re-entry with the output still full counts again.
func DrainCounted(f *Filter, o *Out) Status {
	f.flushes++ // want `increments f.flushes before the yield`
	if o.Pos == len(o.Buf) {
		return StatusOK
	}
	flush(f, o)
	return StatusStreamEnd
}

// Copy is correct: the bytes are written at the output cursor, which is
// then moved past them; the yield says the window filled up.
func Copy(f *Filter, o *Out, src []byte) Status {
	n := copy(o.Buf[o.Pos:], src)
	o.Pos += n
	if o.Pos == len(o.Buf) {
		return StatusOK
	}
	return StatusStreamEnd
}

// CopyRetry counts attempts: the counter indexes nothing, so the test of
// it is no record of progress, and every re-entry counts once more.
func CopyRetry(f *Filter, o *Out) Status {
	f.retries++ // want `increments f.retries before the yield`
	if f.retries > 3 {
		return StatusDataError
	}
	return StatusOK
}

// Hdr collects a fixed-size header across calls.
type Hdr struct {
	raw   [8]byte
	pos   int
	parts int
	seen  bool
}

// fillHdr copies what the window has of the header, moving both cursors,
// and says whether the header is complete.
func fillHdr(h *Hdr, in *Buf) bool {
	for h.pos < len(h.raw) && in.InPos < len(in.In) {
		h.raw[h.pos] = in.In[in.InPos]
		h.pos++
		in.InPos++
	}
	return h.pos == len(h.raw)
}

// complete only reads.
func complete(h *Hdr) bool { return h.pos == len(h.raw) }

// Header is correct: the helper that fills the header reports that it is
// not complete, so the yield is decided by the progress the helper
// recorded; the part counted with it is counted per window.
func Header(h *Hdr, in *Buf) Status {
	h.parts++
	if !fillHdr(h, in) {
		return StatusOK
	}
	return StatusStreamEnd
}

// HeaderWait asks a helper that only reads: nothing recorded decides the
// yield, and re-entry with the same window counts the part again.
func HeaderWait(h *Hdr, in *Buf) Status {
	h.parts++ // want `increments h\.parts before the yield`
	if !complete(h) {
		return StatusOK
	}
	return StatusStreamEnd
}

// Relay forwards the status of the next stage, kept in a field.
type Relay struct {
	next   func(b *Buf) Status
	ret    Status
	failed int
}

// Forward is correct: each test of the && and the return read r.ret
// again, with nothing in between that could write it, so the return under
// the guard is a failure exit, not a yield.
func (r *Relay) Forward(b *Buf) Status {
	r.ret = r.next(b)
	if r.ret != StatusStreamEnd && r.ret != StatusOK {
		r.failed++
		return r.ret
	}
	return StatusStreamEnd
}

// retryLater turns a failure into "call me again" after a few.
func (r *Relay) retryLater() {
	if r.failed > 8 {
		r.ret = StatusOK
	}
}

// ForwardRetry calls a method that may rewrite r.ret between the guard
// and the return: the return may be the yield, and re-entry calls the
// next stage again after it finished.
func (r *Relay) ForwardRetry(b *Buf) Status {
	r.ret = r.next(b) // want `calls a function value, which already returned Done, runs again when the yield at progress\.go:\d+ re-enters`
	if r.ret != StatusStreamEnd && r.ret != StatusOK {
		r.failed++
		r.retryLater()
		return r.ret
	}
	return StatusStreamEnd
}

// Batch gathers items before handing them on.
type Batch struct{ items []int }

// Add appends and yields on the list's length: a list's length is no
// cursor (nothing was consumed), so the append repeats on re-entry.
func (q *Batch) Add(x int) Status {
	q.items = append(q.items, x) // want `q\.items before the yield`
	if len(q.items) < 4 {
		return StatusOK
	}
	return StatusStreamEnd
}
