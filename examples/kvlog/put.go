package kvlog

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type putState uint8

const (
	putLock      putState = iota // take the log
	putRecover                   // recover the log if nobody has yet
	putEncode                    // encode the record, fix its offset
	putWrite                     // submit the write at the tail
	putWritten                   // consume the write
	putSync                      // submit the sync
	putSynced                    // consume the sync, publish the record
	putDone                      // committed
	putFailed                    // ended with an error
	putAbandoned                 // given up by its driver
)

// Put appends one record to the log. Create it with Log.Put and drive
// Resume until Done; it implements rt.Abandoner for drivers that give it up
// (rt.BlockWith calls Abandon on an error, a failed completion or a
// cancellation).
//
// The record is published (index and tail) only after its sync succeeded,
// so a Get never sees a value that a crash could take back. A Put that
// fails or is abandoned leaves the tail where it was: the next Put writes
// over whatever it left behind.
type Put struct {
	log        *Log
	key, value []byte

	state putState
	rec   []byte         // the encoded record, from putEncode on
	off   int64          // where it goes: the tail when putEncode ran
	write *rt.Completion // the submitted write, from putWritten on
	sync  *rt.Completion // the submitted sync, from putSynced on
	err   error          // why it failed, in putFailed
}

// Resume runs the Put until it yields or finishes. Its Done value is the
// offset of the record.
func (p *Put) Resume() (rt.IOResult[int64], error) {
	l := p.log
	for {
		switch p.state {
		case putLock:
			if err := validate(p.key, p.value); err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			if w := l.writer; w != nil && w != p {
				// Re-entrancy: nothing was mutated; re-entry tests the
				// lock again. An explicit yield lets the holder run.
				return rt.Yield[int64](), nil
			}
			if f := l.fence; f != nil && !f.Finished() {
				// Re-entrancy: nothing was mutated; an abandoned Put's
				// I/O is still in flight over the tail, and re-entry
				// tests it again. Not a Wait: its failure is not ours.
				return rt.Yield[int64](), nil
			}
			l.writer, p.state = p, putRecover

		case putRecover:
			if !l.recovered {
				r, err := l.recovery.Resume()
				if err != nil {
					p.fail(err)
					return rt.IOResult[int64]{}, err
				}
				if r.IsIO() {
					// Re-entrancy: the state still selects putRecover,
					// so re-entry drives the recovery again until it
					// is Done; the recovery resumes from its own state.
					return rt.Forward[int64](r, nil)
				}
			}
			p.state = putEncode

		case putEncode:
			p.off = l.tail
			p.rec, p.state = encodeRecord(p.key, p.value, p.off), putWrite

		case putWrite:
			if err := l.inj.ShouldFail(putBeforeWrite.Point()); err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			if l.inj.ShouldYield(putBeforeWrite.Point()) {
				// Re-entrancy: nothing has been mutated in this state;
				// re-entry submits the write for the first time.
				return rt.Yield[int64](), nil
			}
			c, err := l.file.WriteAt(p.rec, p.off, rt.NewWrite(nil))
			if err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			p.write, p.state = c, putWritten
			l.fence = c
			// Re-entrancy: the write is stored and the state moved to
			// putWritten, so re-entry consumes it instead of writing
			// again. Yielding even on a finished write lets the driver
			// see a failure first.
			return rt.Wait[int64](c), nil

		case putWritten:
			if !p.write.Finished() {
				// Re-entrancy: a poll before the write landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[int64](p.write), nil
			}
			if err := p.write.Err(); err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			if n := p.write.N(); n != len(p.rec) {
				err := &rt.ShortWriteError{Offset: p.off, Expected: len(p.rec), Actual: n}
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			p.state = putSync

		case putSync:
			if err := l.inj.ShouldFail(putBeforeSync.Point()); err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			if l.inj.ShouldYield(putBeforeSync.Point()) {
				// Re-entrancy: the write was consumed in putWritten;
				// nothing has been mutated in this state.
				return rt.Yield[int64](), nil
			}
			c, err := l.file.Sync(rt.NewSync(nil))
			if err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			p.sync, p.state = c, putSynced
			l.fence = c
			// Re-entrancy: the sync is stored and the state moved to
			// putSynced, so re-entry consumes it instead of syncing
			// again.
			return rt.Wait[int64](c), nil

		case putSynced:
			if !p.sync.Finished() {
				// Re-entrancy: a poll before the sync landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[int64](p.sync), nil
			}
			if err := p.sync.Err(); err != nil {
				p.fail(err)
				return rt.IOResult[int64]{}, err
			}
			// Durable: publish. Only Done and error exits follow.
			l.index[string(p.key)] = entry{off: p.off, size: len(p.rec)}
			l.tail = p.off + int64(len(p.rec))
			p.release()
			p.state = putDone
			return rt.Done(p.off), nil

		case putDone:
			return rt.Done(p.off), nil

		case putFailed:
			return rt.IOResult[int64]{}, p.err

		default: // putAbandoned
			return rt.IOResult[int64]{}, ErrAbandoned
		}
	}
}

// Abandon gives the Put up: it releases the log if it holds it, and every
// later Resume returns ErrAbandoned. A record already written but not
// published stays unpublished. Abandon is idempotent and does nothing
// after the Put finished.
func (p *Put) Abandon() {
	if p.state == putDone || p.state == putFailed {
		return
	}
	p.release()
	p.state = putAbandoned
}

// Err returns why the Put failed, or nil.
func (p *Put) Err() error { return p.err }

// fail ends the Put with err and releases the log.
func (p *Put) fail(err error) {
	p.release()
	p.err, p.state = err, putFailed
}

// release lets the next Put take the log.
func (p *Put) release() {
	if p.log.writer == p {
		p.log.writer = nil
	}
}
