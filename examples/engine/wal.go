package engine

import (
	"errors"
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// ErrPoisoned is matched by the error of every Put after a WAL write or sync
// failed: the log's durable state is unknown from then on (a failed fsync
// may have dropped the written pages), so the engine stops taking writes
// until it is reopened and recovered. Reads go on working.
var ErrPoisoned = errors.New("engine: write-ahead log failed; reopen the database")

type flushState uint8

const (
	flIdle    flushState = iota // no group in flight
	flSubmit                    // submit the group's record writes
	flWritten                   // wait for the writes, submit the sync
	flSynced                    // wait for the sync, publish the group
)

// wal is the write-ahead log: one file per generation (walPath), records
// laid end to end. Puts append records to the open group (append); the
// flush state machine (pump) takes the whole open group, writes its
// records, syncs once and then publishes every record of the group into
// the memtable. While a group is in flight, later Puts gather in the next
// open group: one sync covers all of them (group commit).
//
// A checkpoint asks for a switch (switchReq); the flusher performs it when
// no group is in flight, between two groups: it freezes the memtable (every
// published record, up to the durable LSN) and moves to a new generation
// file, so the frozen records are exactly those of the older generations.
type wal struct {
	db *DB

	gen     uint64
	file    rt.File
	off     int64       // end of the published records of the current file
	nextLSN uint64      // the LSN of the next append
	open    []walRecord // appended, not in a group yet
	durable uint64      // every record up to this LSN is synced and published
	err     error       // poisoned, with the cause

	switchReq bool // a checkpoint waits for a switch

	// The group in flight.
	state flushState
	recs  []walRecord
	bufs  [][]byte
	offs  []int64
	next  int       // records of the group submitted so far
	group *rt.Group // the group of the record writes
	built *rt.Completion
	sync  *rt.Completion
}

func walPath(gen uint64) string { return fmt.Sprintf("wal-%d", gen) }

// append adds a record to the open group and returns its LSN. It does no
// I/O; the record is durable once durable reaches the LSN.
func (w *wal) append(key, value []byte) uint64 {
	lsn := w.nextLSN
	w.nextLSN++
	w.open = append(w.open, walRecord{lsn: lsn, key: key, value: value})
	return lsn
}

// poison stops the log for good and returns the error to report.
func (w *wal) poison(err error) error {
	if w.err == nil {
		w.err = fmt.Errorf("%w: %w", ErrPoisoned, err)
	}
	return w.err
}

// pump runs the flush state machine until it has nothing to do (Done) or
// waits. Any operation that needs the log to progress polls it: Puts
// waiting for durability, a checkpoint waiting for its switch. Every state
// change is made in the same step as the work it records, so whoever polls
// next resumes exactly there.
func (w *wal) pump() (rt.IOResult[struct{}], error) {
	for {
		if w.err != nil {
			return rt.IOResult[struct{}]{}, w.err
		}
		switch w.state {
		case flIdle:
			if w.switchReq {
				if err := w.db.switchGeneration(); err != nil {
					return rt.IOResult[struct{}]{}, w.poison(err)
				}
			}
			if len(w.open) == 0 {
				return rt.Done(struct{}{}), nil
			}
			w.startGroup()

		case flSubmit:
			for w.next < len(w.recs) {
				c, err := w.file.WriteAt(w.bufs[w.next], w.offs[w.next], rt.NewWrite(nil))
				if err != nil {
					w.group.Cancel()
					return rt.IOResult[struct{}]{}, w.poison(err)
				}
				if err := w.group.Add(c); err != nil {
					return rt.IOResult[struct{}]{}, w.poison(err)
				}
				w.next++
			}
			w.built, w.state = w.group.Build(), flWritten
			// Re-entrancy: every write is submitted and in the group, the
			// group is built once and memoized in w.built, and the state
			// moved on: re-entry waits on the same group.
			return rt.Wait[struct{}](w.built), nil

		case flWritten:
			if !w.built.Finished() {
				// Re-entrancy: the state is unchanged; re-entry checks the
				// same memoized group again.
				return rt.Wait[struct{}](w.built), nil
			}
			if err := w.built.Err(); err != nil {
				return rt.IOResult[struct{}]{}, w.poison(err)
			}
			for i, c := range w.group.Completions() {
				if c.N() != len(w.bufs[i]) {
					return rt.IOResult[struct{}]{}, w.poison(&rt.ShortWriteError{Offset: w.offs[i], Expected: len(w.bufs[i]), Actual: c.N()})
				}
			}
			if err := w.db.inj.ShouldFail(walBeforeSync.Point()); err != nil {
				return rt.IOResult[struct{}]{}, w.poison(err)
			}
			if w.db.inj.ShouldYield(walBeforeSync.Point()) {
				// Re-entrancy: the writes were checked and nothing was
				// changed in this state; re-entry checks them again.
				return rt.Yield[struct{}](), nil
			}
			c, err := w.file.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[struct{}]{}, w.poison(err)
			}
			w.sync, w.state = c, flSynced
			// Re-entrancy: the sync is stored and the state moved on, so
			// re-entry waits on it instead of syncing again.
			return rt.Wait[struct{}](c), nil

		case flSynced:
			if !w.sync.Finished() {
				// Re-entrancy: the state is unchanged; re-entry checks the
				// same sync again.
				return rt.Wait[struct{}](w.sync), nil
			}
			if err := w.sync.Err(); err != nil {
				return rt.IOResult[struct{}]{}, w.poison(err)
			}
			w.publish()
			return rt.Done(struct{}{}), nil
		}
	}
}

// startGroup takes the open group into flight: it encodes every record at
// its offset and moves to flSubmit.
func (w *wal) startGroup() {
	w.recs, w.open = w.open, nil
	w.bufs, w.offs = make([][]byte, len(w.recs)), make([]int64, len(w.recs))
	off := w.off
	for i, r := range w.recs {
		w.bufs[i], w.offs[i] = encodeWAL(r, w.gen, off), off
		off += int64(len(w.bufs[i]))
	}
	w.next, w.group, w.built, w.sync = 0, rt.NewGroup(nil), nil, nil
	w.state = flSubmit
}

// publish makes a synced group visible: its records enter the memtable in
// LSN order, the durable LSN and the file offset move past them, and the
// flusher is idle again.
func (w *wal) publish() {
	for _, r := range w.recs {
		w.db.active.put(r)
		w.off += int64(walHeader + len(r.key) + len(r.value))
		w.durable = r.lsn
	}
	w.db.stats.Groups++
	w.db.stats.Records += len(w.recs)
	w.recs, w.bufs, w.offs, w.group, w.built, w.sync = nil, nil, nil, nil, nil, nil
	w.state = flIdle
}

// waitDurable returns Done once the record with lsn is durable and
// published, driving the flusher as long as it is not.
func (w *wal) waitDurable(lsn uint64) (rt.IOResult[struct{}], error) {
	for w.durable < lsn {
		if w.err != nil {
			return rt.IOResult[struct{}]{}, w.err
		}
		r, err := w.pump()
		if err != nil || r.IsIO() {
			// Re-entrancy: waitDurable keeps no state of its own; the
			// flusher resumes from its own state on re-entry.
			return r, err
		}
		if w.durable < lsn && w.state == flIdle && len(w.open) == 0 {
			return rt.IOResult[struct{}]{}, fmt.Errorf("engine: record %d was never logged", lsn)
		}
	}
	return rt.Done(struct{}{}), nil
}
