package kvlog

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type recState uint8

const (
	recStart     recState = iota // reset the index
	recHeader                    // submit the read of the header at off
	recHeaderEnd                 // consume it
	recBody                      // submit the read of the body
	recBodyEnd                   // consume it, commit the record
	recScan                      // after a bad record: read the rest of the file
	recScanEnd                   // find the next valid record in it
	recTruncate                  // cut a torn or corrupt tail
	recTruncated                 // consume the truncate
	recSync                      // sync the file: what recovery found is committed from now on
	recSynced                    // consume the sync
	recFinish                    // publish the tail
	recDone                      // finished
)

// Recovery rebuilds a log's index by scanning its file from the start, one
// record at a time, and then truncates whatever follows the last valid
// record (a torn write, garbage). Get it from Log.Recover; Put and Get drive
// it themselves on a log that has not been recovered. Its Done value is the
// number of records scanned.
//
// A record that does not decode is not necessarily the end of the log: a
// flipped byte in the middle of the file must not cost the valid records
// after it. So at a bad record recovery reads the rest of the file and
// looks for the next position where a whole record decodes (magic, sane
// lengths, and the checksum, which binds the record to its offset). If
// there is one, the bad range is skipped, left in place and counted
// (Corrupt), and the scan goes on from there; only when nothing valid
// follows is the bad range a torn tail, and it is truncated. A synced record
// that is intact is therefore never discarded. What a corrupt record held is
// lost; if it overwrote an older value of its key, that older value is the
// one recovered.
//
// Recovery ends with a sync: after a restart without a crash, the file may
// hold a record whose Put failed at its sync, and once recovery indexes it
// Gets return it, so it must be durable before that.
//
// Progress lives in fields and is committed per record: the index entry,
// the next offset and the record count move together once a record's body
// has been read and checked. Several operations may poll the same
// recovery: every state that waits on a read checks that it has finished,
// and each completion is consumed by exactly one state transition.
//
// Every I/O is a yield, even one that finished inline, so the driver sees
// a failed completion and reports its error (rt.Block and rt.Stepper never
// call the operation again after that). Whoever polls the recovery next
// finds the failed completion and rewinds to the start of that record or
// to the truncate: a failed recovery can simply be resumed.
type Recovery struct {
	log *Log

	state   recState
	off     int64          // start of the record being read
	hdr     header         // its header, from recBody on
	read    *rt.Completion // the read in flight, in recHeaderEnd and recBodyEnd
	trunc   *rt.Completion // the truncate, in recTruncated
	sync    *rt.Completion // the sync, in recSynced
	records int            // records committed
	corrupt int            // corrupt ranges skipped
}

// Corrupt returns how many corrupt ranges the recovery skipped between
// valid records (a torn tail it truncated is not counted).
func (r *Recovery) Corrupt() int { return r.corrupt }

// Resume runs the recovery until it yields or finishes.
func (r *Recovery) Resume() (rt.IOResult[int], error) {
	l := r.log
	for {
		switch r.state {
		case recStart:
			l.index = map[string]entry{}
			r.off, r.records, r.corrupt, r.state = 0, 0, 0, recHeader

		case recHeader:
			if err := l.inj.ShouldFail(recoverBeforeRecord.Point()); err != nil {
				return rt.IOResult[int]{}, err
			}
			if l.inj.ShouldYield(recoverBeforeRecord.Point()) {
				// Re-entrancy: the previous record was committed before
				// the state came back here; nothing has been mutated in
				// this state.
				return rt.Yield[int](), nil
			}
			c, err := l.file.ReadAt(rt.NewRead(make([]byte, headerSize), nil), r.off)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.read, r.state = c, recHeaderEnd
			// Re-entrancy: the read is stored and the state moved to
			// recHeaderEnd, so re-entry consumes it instead of reading
			// again.
			return rt.Wait[int](c), nil

		case recHeaderEnd:
			if !r.read.Finished() {
				// Re-entrancy: a poll before the read landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[int](r.read), nil
			}
			if r.read.Failed() {
				// The driver that waited on it has reported the error;
				// this is a later poll, which reads the record again.
				r.read, r.state = nil, recHeader
				continue
			}
			if r.read.N() == 0 {
				// The clean end of the log.
				r.read, r.state = nil, recTruncate
				continue
			}
			if r.read.N() < headerSize {
				// A torn header, or garbage: look for a record after it.
				r.read, r.state = nil, recScan
				continue
			}
			h, err := parseHeader(r.read.Buffer(), r.off)
			if err != nil {
				// Garbage where the next record would start: look for a
				// record after it.
				r.read, r.state = nil, recScan
				continue
			}
			r.hdr, r.read, r.state = h, nil, recBody

		case recBody:
			c, err := l.file.ReadAt(rt.NewRead(make([]byte, r.hdr.bodySize()), nil), r.off+headerSize)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.read, r.state = c, recBodyEnd
			// Re-entrancy: the read is stored and the state moved to
			// recBodyEnd, so re-entry consumes it instead of reading
			// again.
			return rt.Wait[int](c), nil

		case recBodyEnd:
			if !r.read.Finished() {
				// Re-entrancy: a poll before the read landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[int](r.read), nil
			}
			if r.read.Failed() {
				// The driver that waited on it has reported the error;
				// this is a later poll, which reads the record again.
				r.read, r.state = nil, recHeader
				continue
			}
			body := r.read.Buffer()[:r.read.N()]
			key, _, err := checkBody(r.hdr, body, r.off)
			if err != nil {
				// A torn body or a checksum mismatch: look for a record
				// after it.
				r.read, r.state = nil, recScan
				continue
			}
			// Commit the record: the index entry, the next offset and
			// the count move together with the state.
			size := headerSize + r.hdr.bodySize()
			l.index[string(key)] = entry{off: r.off, size: size}
			r.off += int64(size)
			r.records++
			r.read, r.state = nil, recHeader

		case recScan:
			size, err := l.file.Size()
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			from := r.off + 1
			if size-from < headerSize {
				r.state = recTruncate // no room for a record after it
				continue
			}
			c, err := l.file.ReadAt(rt.NewRead(make([]byte, size-from), nil), from)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.read, r.state = c, recScanEnd
			// Re-entrancy: the read is stored and the state moved to
			// recScanEnd, so re-entry consumes it instead of reading
			// again.
			return rt.Wait[int](c), nil

		case recScanEnd:
			if !r.read.Finished() {
				// Re-entrancy: a poll before the read landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[int](r.read), nil
			}
			if r.read.Failed() {
				// Reported by the driver that waited on it; read again.
				r.read, r.state = nil, recScan
				continue
			}
			p := nextRecord(r.read.Buffer()[:r.read.N()], r.off+1)
			if p < 0 {
				// Nothing valid follows: the bad range is a torn tail.
				r.read, r.state = nil, recTruncate
				continue
			}
			// Skip the corrupt range; the record found is read again
			// through the ordinary states.
			r.off += 1 + int64(p)
			r.corrupt++
			r.read, r.state = nil, recHeader

		case recTruncate:
			size, err := l.file.Size()
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			if size <= r.off {
				r.state = recSync
				continue
			}
			c, err := l.file.Truncate(r.off, rt.NewTruncate(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.trunc, r.state = c, recTruncated
			// Re-entrancy: the truncate is stored and the state moved to
			// recTruncated, so re-entry consumes it instead of
			// truncating again.
			return rt.Wait[int](c), nil

		case recTruncated:
			if !r.trunc.Finished() {
				// Re-entrancy: a poll before the truncate landed; the
				// state is unchanged and re-entry checks it again.
				return rt.Wait[int](r.trunc), nil
			}
			if r.trunc.Failed() {
				// Reported by the driver that waited on it; truncate
				// again.
				r.trunc, r.state = nil, recTruncate
				continue
			}
			r.trunc, r.state = nil, recSync

		case recSync:
			c, err := l.file.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.sync, r.state = c, recSynced
			// Re-entrancy: the sync is stored and the state moved to
			// recSynced, so re-entry consumes it instead of syncing
			// again.
			return rt.Wait[int](c), nil

		case recSynced:
			if !r.sync.Finished() {
				// Re-entrancy: a poll before the sync landed; the state
				// is unchanged and re-entry checks it again.
				return rt.Wait[int](r.sync), nil
			}
			if r.sync.Failed() {
				// Reported by the driver that waited on it; sync again.
				r.sync, r.state = nil, recSync
				continue
			}
			r.sync, r.state = nil, recFinish

		case recFinish:
			l.tail, l.recovered = r.off, true
			r.state = recDone
			return rt.Done(r.records), nil

		default: // recDone
			return rt.Done(r.records), nil
		}
	}
}
