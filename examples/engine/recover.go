package engine

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type recState uint8

const (
	recSync        recState = iota // sync the page file: the meta recovery trusts must be durable
	recSyncWait                    // wait for it
	recMeta                        // submit the reads of both meta slots
	recMetaWait                    // wait for them, pick the newest intact one
	recWAL                         // open the next WAL generation, read it whole
	recWALWait                     // wait, replay its records
	recWALSync                     // sync the file: what recovery replays must be durable
	recWALSyncWait                 // wait for the sync, go to the next generation
	recFinish                      // open the new generation, install the state
	recDone
)

// Recovery brings a database back after a restart or a crash: it syncs the
// page file (after a restart without a crash, a meta written but not synced
// may be the newest; recovery trusts it, and removes the WAL generations it
// covers, only once it is durable), picks the newest intact meta slot (a torn meta write leaves the other one), then
// replays every WAL generation from the meta's on into the memtable,
// skipping records the checkpoint already holds. It reads each WAL file
// whole and keeps every record that decodes, resynchronising past damaged
// ones (scanWAL), and it writes nothing to the old files: no valid record
// is ever discarded. It syncs each WAL file it replays, since what it
// replays counts as committed from then on. New records go to a fresh
// generation. Its Done value is the number of records replayed.
//
// A failed read is reported by the driver that waited on it; the next poll
// finds the failed completion and reads again.
type Recovery struct {
	db *DB

	state  recState
	group  *rt.Group // the two meta reads, built once
	built  *rt.Completion
	reads  [2]*rt.Completion
	meta   meta
	gen    uint64
	file   rt.File        // the WAL file being read
	read   *rt.Completion // its read
	sync   *rt.Completion // the sync in flight
	mem    memtable
	maxLSN uint64
	count  int
}

// Resume runs the recovery until it yields or finishes.
func (r *Recovery) Resume() (rt.IOResult[int], error) {
	db := r.db
	for {
		switch r.state {
		case recSync:
			c, err := db.file.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.sync, r.state = c, recSyncWait
			// Re-entrancy: the sync is stored and the state moved on.
			return rt.Wait[int](c), nil

		case recSyncWait:
			if !r.sync.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[int](r.sync), nil
			}
			if r.sync.Failed() {
				r.state = recSync // sync again
				continue
			}
			r.sync, r.state = nil, recMeta

		case recMeta:
			g := rt.NewGroup(nil)
			for slot := range r.reads {
				c, err := db.file.ReadAt(rt.NewRead(make([]byte, PageSize), nil), int64(slot)*PageSize)
				if err != nil {
					g.Cancel()
					return rt.IOResult[int]{}, err
				}
				if err := g.Add(c); err != nil {
					return rt.IOResult[int]{}, err
				}
				r.reads[slot] = c
			}
			r.group, r.built, r.state = g, g.Build(), recMetaWait
			// Re-entrancy: both reads are in the group, built once and
			// memoized in r.built, and the state moved on.
			return rt.Wait[int](r.built), nil

		case recMetaWait:
			if !r.built.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[int](r.built), nil
			}
			if r.built.Failed() {
				r.state = recMeta // read both again
				continue
			}
			r.meta = meta{walGen: 1, pageCount: 2}
			for slot, c := range r.reads {
				if m, ok := decodeMeta(uint32(slot), c.Buffer()[:c.N()]); ok && m.seq > r.meta.seq {
					r.meta = m
				}
			}
			r.gen, r.mem, r.maxLSN, r.count = r.meta.walGen, memtable{}, r.meta.ckptLSN, 0
			r.state = recWAL

		case recWAL:
			f, err := db.io.Open(walPath(r.gen), rt.OpenReadWrite)
			if isNotExist(err) {
				r.state = recFinish
				continue
			}
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			size, err := f.Size()
			if err != nil || size == 0 {
				_ = f.Close()
				if err != nil {
					return rt.IOResult[int]{}, err
				}
				r.gen++
				continue
			}
			c, err := f.ReadAt(rt.NewRead(make([]byte, size), nil), 0)
			if err != nil {
				_ = f.Close()
				return rt.IOResult[int]{}, err
			}
			r.file, r.read, r.state = f, c, recWALWait
			// Re-entrancy: the read is stored and the state moved on.
			return rt.Wait[int](c), nil

		case recWALWait:
			if !r.read.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[int](r.read), nil
			}
			if r.read.Failed() {
				_ = r.file.Close()
				r.file, r.read, r.state = nil, nil, recWAL // read it again
				continue
			}
			recs, corrupt := scanWAL(r.read.Buffer()[:r.read.N()], r.gen)
			for _, rec := range recs {
				if rec.lsn > r.meta.ckptLSN {
					r.mem.put(rec)
					r.count++
				}
				r.maxLSN = max(r.maxLSN, rec.lsn)
			}
			db.stats.Corrupt += corrupt
			r.read, r.state = nil, recWALSync

		case recWALSync:
			// After a restart without a crash the file may hold writes
			// that were never synced (a Put whose sync failed); the
			// records recovery replays become committed, so make them
			// durable first.
			c, err := r.file.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.sync, r.state = c, recWALSyncWait
			// Re-entrancy: the sync is stored and the state moved on.
			return rt.Wait[int](c), nil

		case recWALSyncWait:
			if !r.sync.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[int](r.sync), nil
			}
			if r.sync.Failed() {
				r.state = recWALSync // sync again
				continue
			}
			_ = r.file.Close()
			r.file, r.sync, r.gen = nil, nil, r.gen+1
			r.state = recWAL

		case recFinish:
			f, err := db.io.Open(walPath(r.gen), rt.OpenCreate)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			r.install(f)
			r.state = recDone
			return rt.Done(r.count), nil

		default: // recDone
			return rt.Done(r.count), nil
		}
	}
}

// install makes the recovered state the database's.
func (r *Recovery) install(f rt.File) {
	db := r.db
	db.meta = r.meta
	p := db.pager
	p.root, p.pageCount, p.free = r.meta.root, r.meta.pageCount, append([]uint32(nil), r.meta.free...)
	db.active = r.mem
	w := &db.wal
	w.gen, w.file, w.off = r.gen, f, 0
	w.nextLSN = r.maxLSN + 1
	w.durable = r.maxLSN
	db.stats.Replayed = r.count
	for g := r.meta.walGen - 1; g > 0; g-- {
		if err := db.io.Remove(walPath(g)); err != nil {
			break // generations below were removed already
		}
	}
	db.recovered = true
}
