package engine

import (
	"slices"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

type ckState uint8

const (
	ckStart        ckState = iota // freeze, unless a frozen memtable is waiting already
	ckFreeze                      // drive the WAL until it switched generations
	ckApply                       // apply the frozen records to the tree, one per pass
	ckWrite                       // submit the writes of the dirty pages
	ckWriteWait                   // wait for them
	ckSync                        // submit the sync of the page file
	ckSyncWait                    // wait for it
	ckMeta                        // submit the write of the meta slot
	ckMetaWait                    // wait for it
	ckMetaSync                    // submit the sync of the meta
	ckMetaSyncWait                // wait for it, then publish
)

// checkpointer is the database's one checkpoint state machine. Checkpoint
// operations drive it; when one of them fails or is abandoned, the machine
// stays where it was and the next Checkpoint resumes it. A wait state that
// finds its completion failed (the driver that waited has reported the
// error) rewinds to the state that submitted it.
type checkpointer struct {
	db    *DB
	state ckState

	i   int    // frozen keys applied
	cur cursor // the cursor of the key being applied

	pages []*page   // the dirty pages being written
	next  int       // writes submitted
	group *rt.Group // their group, built once
	built *rt.Completion

	sync    *rt.Completion // the sync in flight
	newMeta meta
	write   *rt.Completion // the meta write
}

// step runs the checkpoint until it yields or has made one checkpoint
// durable (Done); the machine is then back at ckStart.
func (k *checkpointer) step() (rt.IOResult[struct{}], error) {
	db := k.db
	for {
		switch k.state {
		case ckStart:
			if db.frozen != nil {
				k.i, k.cur, k.state = 0, cursor{pg: db.pager}, ckApply
				continue
			}
			db.wal.switchReq, k.state = true, ckFreeze

		case ckFreeze:
			if db.frozen == nil {
				r, err := db.wal.pump()
				if err != nil || r.IsIO() {
					// Re-entrancy: the switch is requested and the state
					// selects ckFreeze, so re-entry drives the WAL again;
					// the flusher keeps its own state.
					return r, err
				}
				continue
			}
			k.i, k.cur, k.state = 0, cursor{pg: db.pager}, ckApply

		case ckApply:
			for k.i < len(db.frozenKeys) {
				if err := db.inj.ShouldFail(ckptBeforeApply.Point()); err != nil {
					return rt.IOResult[struct{}]{}, err
				}
				if db.inj.ShouldYield(ckptBeforeApply.Point()) {
					// Re-entrancy: the records before k.i are in the tree
					// and k.i moved with each; nothing else changed.
					return rt.Yield[struct{}](), nil
				}
				key := db.frozenKeys[k.i]
				r, err := k.cur.seek([]byte(key))
				if err != nil || r.IsIO() {
					// Re-entrancy: the seek wrote nothing; re-entry seeks
					// the same key again from the root.
					return rt.Forward[struct{}](r, err)
				}
				e := db.frozen[key]
				k.cur.put([]byte(key), e.value, e.lsn)
				k.i++
			}
			k.group, k.state = nil, ckWrite

		case ckWrite:
			if k.group == nil {
				k.pages, k.next, k.group = db.pager.dirtyPages(), 0, rt.NewGroup(nil)
			}
			for k.next < len(k.pages) {
				p := k.pages[k.next]
				c, err := db.file.WriteAt(p.encode(), int64(p.id)*PageSize, rt.NewWrite(nil))
				if err != nil {
					k.group.Cancel()
					k.group = nil
					return rt.IOResult[struct{}]{}, err
				}
				if err := k.group.Add(c); err != nil {
					return rt.IOResult[struct{}]{}, err
				}
				k.next++
			}
			k.built, k.state = k.group.Build(), ckWriteWait
			// Re-entrancy: every write is in the group, which is built
			// once and memoized in k.built; re-entry waits on it.
			return rt.Wait[struct{}](k.built), nil

		case ckWriteWait:
			if !k.built.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[struct{}](k.built), nil
			}
			if k.built.Failed() || !k.wroteAll() {
				k.group, k.state = nil, ckWrite // write them all again
				continue
			}
			k.state = ckSync

		case ckSync:
			c, err := db.file.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[struct{}]{}, err
			}
			k.sync, k.state = c, ckSyncWait
			// Re-entrancy: the sync is stored and the state moved on.
			return rt.Wait[struct{}](c), nil

		case ckSyncWait:
			if !k.sync.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[struct{}](k.sync), nil
			}
			if k.sync.Failed() {
				// After a failed sync the written pages may be lost even
				// though the system took them: write them again.
				k.group, k.state = nil, ckWrite
				continue
			}
			k.newMeta = meta{
				seq: db.meta.seq + 1, root: db.pager.root, pageCount: db.pager.pageCount,
				ckptLSN: db.frozenLSN, walGen: db.frozenGen,
				free: append(slices.Clone(db.pager.free), db.pager.retired...),
			}
			k.state = ckMeta

		case ckMeta:
			if err := db.inj.ShouldFail(ckptBeforeMeta.Point()); err != nil {
				return rt.IOResult[struct{}]{}, err
			}
			if db.inj.ShouldYield(ckptBeforeMeta.Point()) {
				// Re-entrancy: the pages are durable and the new meta is
				// computed; nothing else changed in this state.
				return rt.Yield[struct{}](), nil
			}
			slot := uint32(k.newMeta.seq % 2)
			c, err := db.file.WriteAt(k.newMeta.encode(slot), int64(slot)*PageSize, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[struct{}]{}, err
			}
			k.write, k.state = c, ckMetaWait
			// Re-entrancy: the write is stored and the state moved on.
			return rt.Wait[struct{}](c), nil

		case ckMetaWait:
			if !k.write.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[struct{}](k.write), nil
			}
			if k.write.Failed() || k.write.N() != PageSize {
				k.state = ckMeta
				continue
			}
			k.state = ckMetaSync

		case ckMetaSync:
			c, err := db.file.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[struct{}]{}, err
			}
			k.sync, k.state = c, ckMetaSyncWait
			// Re-entrancy: the sync is stored and the state moved on.
			return rt.Wait[struct{}](c), nil

		case ckMetaSyncWait:
			if !k.sync.Finished() {
				// Re-entrancy: unchanged state; re-entry checks again.
				return rt.Wait[struct{}](k.sync), nil
			}
			if k.sync.Failed() {
				k.state = ckMeta // write the meta again, then sync again
				continue
			}
			k.publish()
			return rt.Done(struct{}{}), nil
		}
	}
}

// wroteAll checks that every page write transferred a whole page.
func (k *checkpointer) wroteAll() bool {
	for _, c := range k.group.Completions() {
		if c.N() != PageSize {
			return false
		}
	}
	return true
}

// publish makes the durable checkpoint the database's: pages clean, the
// retired pages free, the frozen memtable gone, the WAL generations it
// covered removed; the machine is ready for the next checkpoint.
func (k *checkpointer) publish() {
	db := k.db
	old := db.meta
	db.meta = k.newMeta
	db.pager.checkpointed()
	db.frozen, db.frozenKeys = nil, nil
	for g := old.walGen; g < db.meta.walGen; g++ {
		_ = db.io.Remove(walPath(g)) // a generation that never got a file is fine
	}
	db.stats.Checkpoints++
	k.pages, k.group, k.built, k.sync, k.write = nil, nil, nil, nil, nil
	k.cur = cursor{pg: db.pager}
	k.state = ckStart
}

// Checkpoint returns an operation that drives the database's checkpoint
// machine until the next checkpoint is durable: one under way already (left
// by a failed or abandoned Checkpoint) or a new one. Its Done value is the
// checkpoint's sequence number.
func (db *DB) Checkpoint() *Checkpoint {
	return &Checkpoint{db: db, target: db.meta.seq + 1}
}

// Checkpoint is one checkpoint request; see DB.Checkpoint.
type Checkpoint struct {
	db     *DB
	target uint64
}

// Resume runs the checkpoint until it yields or finishes.
func (c *Checkpoint) Resume() (rt.IOResult[uint64], error) {
	db := c.db
	for db.meta.seq < c.target {
		if !db.recovered {
			return rt.IOResult[uint64]{}, ErrNotRecovered
		}
		r, err := db.ckpt.step()
		if err != nil || r.IsIO() {
			// Re-entrancy: the request keeps no state but its target;
			// the machine resumes from its own state on re-entry.
			return rt.Forward[uint64](r, err)
		}
	}
	return rt.Done(db.meta.seq), nil
}
