package sim

import (
	"bytes"
	"errors"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// chunkPoint is the injection-point enum of the chunked writer below.
type chunkPoint int

const (
	chunkBeforeWrite chunkPoint = iota
	chunkBeforeSync
	chunkBeforeVerify
	numChunkPoints
)

func (p chunkPoint) Point() Point {
	return Point{Subsystem: "chunk", Ordinal: int(p), Count: int(numChunkPoints)}
}

type chunkState int

const (
	chunkSubmit chunkState = iota
	chunkAwait
	chunkSync
	chunkVerify
	chunkCheck
)

// errCorrupt is what the writer reports when the bytes it reads back are
// not the bytes it wrote: a fault that corrupted silently.
var errCorrupt = errors.New("read back different bytes")

// chunkWriter is the small storage operation the simulator tests drive: it
// writes data in chunks of size chunk, one write in flight at a time,
// syncs, reads everything back and verifies it. It is written in the
// correct resumable shape: all progress in fields, the state advanced
// before yielding on a submitted completion, progress committed only after
// the completion succeeded.
type chunkWriter struct {
	f     rt.File
	inj   Injector
	data  []byte
	chunk int

	state   chunkState
	off     int            // bytes whose writes have completed
	pending *rt.Completion // the write in flight
	readBuf []byte
}

func (w *chunkWriter) Resume() (rt.IOResult[[]byte], error) {
	for {
		switch w.state {
		case chunkSubmit:
			if err := w.inj.ShouldFail(chunkBeforeWrite.Point()); err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			if w.inj.ShouldYield(chunkBeforeWrite.Point()) {
				// Re-entrancy: nothing has been mutated in this state;
				// re-entry submits the same chunk.
				return rt.Yield[[]byte](), nil
			}
			end := min(w.off+w.chunk, len(w.data))
			c, err := w.f.WriteAt(w.data[w.off:end], int64(w.off), rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			w.pending = c
			w.state = chunkAwait
			if !c.Finished() {
				// Re-entrancy: the state already says the write is in
				// flight; re-entry resumes in chunkAwait after it
				// finished and never submits it again.
				return rt.Wait[[]byte](c), nil
			}
		case chunkAwait:
			if err := w.pending.Err(); err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			w.off = min(w.off+w.chunk, len(w.data))
			w.pending = nil
			if w.off < len(w.data) {
				w.state = chunkSubmit
			} else {
				w.state = chunkSync
			}
		case chunkSync:
			if err := w.inj.ShouldFail(chunkBeforeSync.Point()); err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			if w.inj.ShouldYield(chunkBeforeSync.Point()) {
				// Re-entrancy: nothing mutated yet in this state.
				return rt.Yield[[]byte](), nil
			}
			c, err := w.f.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			w.state = chunkVerify
			if !c.Finished() {
				// Re-entrancy: advanced to chunkVerify first; the driver
				// re-enters only once the sync has succeeded.
				return rt.Wait[[]byte](c), nil
			}
			if err := c.Err(); err != nil {
				return rt.IOResult[[]byte]{}, err
			}
		case chunkVerify:
			if w.inj.ShouldYield(chunkBeforeVerify.Point()) {
				// Re-entrancy: nothing mutated yet in this state.
				return rt.Yield[[]byte](), nil
			}
			buf := make([]byte, len(w.data))
			c, err := w.f.ReadAt(rt.NewRead(buf, func(buf []byte, n int, err error) error {
				if err == nil && n < len(buf) {
					return &rt.ShortReadError{Page: -1, Expected: len(buf), Actual: n}
				}
				return err
			}), 0)
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			w.readBuf = buf
			w.pending = c
			w.state = chunkCheck
			if !c.Finished() {
				// Re-entrancy: advanced to chunkCheck, which reads the
				// completion kept in w.pending.
				return rt.Wait[[]byte](c), nil
			}
		case chunkCheck:
			if err := w.pending.Err(); err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			if !bytes.Equal(w.readBuf, w.data) {
				return rt.IOResult[[]byte]{}, errCorrupt
			}
			return rt.Done(w.readBuf), nil
		}
	}
}
