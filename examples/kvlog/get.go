package kvlog

import (
	"bytes"
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type getState uint8

const (
	getRecover  getState = iota // recover the log if nobody has yet
	getRead                     // look the key up, submit the read
	getReadWait                 // consume the read
	getDone                     // the value is in Get.value
)

// Get reads the latest value of a key through the index. Create it with
// Log.Get and drive Resume until Done. A key that is not in the index ends
// it with ErrNotFound. The read is always a yield, so the driver sees a
// failed read and reports its error; calling Resume again after that
// retries from the lookup.
type Get struct {
	log *Log
	key []byte

	state getState
	read  *rt.Completion // the submitted read, in getReadWait
	off   int64          // where the read record starts, in getReadWait
	value []byte         // the result, in getDone
}

// Resume runs the Get until it yields or finishes. Its Done value is the
// key's value.
func (g *Get) Resume() (rt.IOResult[[]byte], error) {
	l := g.log
	for {
		switch g.state {
		case getRecover:
			if !l.recovered {
				r, err := l.recovery.Resume()
				if err != nil || r.IsIO() {
					// Re-entrancy: the state still selects getRecover,
					// so re-entry drives the recovery again until it is
					// Done; the recovery resumes from its own state.
					return rt.Forward[[]byte](r, err)
				}
			}
			g.state = getRead

		case getRead:
			ent, ok := l.index[string(g.key)]
			if !ok {
				return rt.IOResult[[]byte]{}, fmt.Errorf("%w: %q", ErrNotFound, g.key)
			}
			c, err := l.file.ReadAt(rt.NewRead(make([]byte, ent.size), checkRead(ent.off)), ent.off)
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			g.read, g.off, g.state = c, ent.off, getReadWait
			// Re-entrancy: the read is stored and the state moved to
			// getReadWait, so re-entry consumes it instead of reading
			// again.
			return rt.Wait[[]byte](c), nil

		case getReadWait:
			if !g.read.Finished() {
				// Re-entrancy: a poll before the read landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[[]byte](g.read), nil
			}
			if g.read.Failed() {
				// The driver that waited on it has reported the error;
				// this is a later poll, which looks the key up again.
				g.read, g.state = nil, getRead
				continue
			}
			// The callback verified length and checksum.
			key, value, err := decodeRecord(g.read.Buffer(), g.off)
			if err != nil {
				return rt.IOResult[[]byte]{}, err
			}
			if !bytes.Equal(key, g.key) {
				return rt.IOResult[[]byte]{}, fmt.Errorf("%w: the index points %q at a record of %q", ErrCorrupt, g.key, key)
			}
			g.value, g.read, g.state = value, nil, getDone
			return rt.Done(g.value), nil

		default: // getDone
			return rt.Done(g.value), nil
		}
	}
}

// checkRead is the callback of a whole-record read at off: it turns a short
// read or a record that does not decode into the completion's error, so the
// reader sees a failed completion instead of bad bytes. It looks at the
// backend's error first, because callbacks run on failure too.
func checkRead(off int64) func(buf []byte, n int, err error) error {
	return func(buf []byte, n int, err error) error {
		if err != nil {
			return err
		}
		if n != len(buf) {
			return &rt.ShortReadError{Page: -1, Offset: off, Expected: len(buf), Actual: n}
		}
		_, _, err = decodeRecord(buf, off)
		return err
	}
}
