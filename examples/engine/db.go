package engine

import (
	"errors"
	"io/fs"
	"slices"
	"sort"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// DBPath is the name of the page file; WAL files are wal-<generation>.
const DBPath = "db"

var (
	// ErrNotFound is returned by Get for a key the database does not hold.
	ErrNotFound = errors.New("engine: key not found")
	// ErrNotRecovered is returned by operations on a database whose
	// recovery has not finished.
	ErrNotRecovered = errors.New("engine: database not recovered")
)

// point names the injection hooks of the engine, one small enum for the
// "engine" subsystem (sim.Point).
type point int

const (
	putBeforeAppend point = iota
	walBeforeSync
	ckptBeforeApply
	ckptBeforeMeta
	numPoints
)

func (p point) Point() sim.Point {
	return sim.Point{Subsystem: "engine", Ordinal: int(p), Count: int(numPoints)}
}

// memEntry is the newest record of a key in a memtable.
type memEntry struct {
	value []byte
	lsn   uint64
}

// memtable holds the records that are durable in the WAL but not yet in
// the tree.
type memtable map[string]memEntry

// put keeps r unless the table has a newer record of its key.
func (m memtable) put(r walRecord) {
	if e, ok := m[string(r.key)]; ok && e.lsn >= r.lsn {
		return
	}
	m[string(r.key)] = memEntry{value: r.value, lsn: r.lsn}
}

// Options configure a database. The zero value is usable.
type Options struct {
	// CacheClean is how many clean pages the page cache keeps (default 32).
	CacheClean int
	// Inject is the injector of the engine's hooks; nil means sim.Never.
	Inject sim.Injector
}

// DB is the engine: a page file with a copy-on-write B-tree, a memtable of
// the records logged since the last checkpoint, and the write-ahead log.
// Its operations (Recover, Put, Get, Checkpoint) are resumable; any number
// may be in flight at once, interleaved by their drivers on one goroutine.
type DB struct {
	io   rt.IO
	inj  sim.Injector
	file rt.File

	pager *pager
	wal   wal
	meta  meta // the last durable checkpoint

	active memtable // records published since the last switch
	frozen memtable // records up to frozenLSN, being checkpointed; nil if none
	// frozenKeys are the frozen keys in order; frozenLSN the last frozen
	// LSN; frozenGen the generation the switch moved to.
	frozenKeys []string
	frozenLSN  uint64
	frozenGen  uint64

	ckpt      checkpointer
	recovery  *Recovery
	recovered bool
	stats     Stats
}

// Stats counts what a database did, for tests and tools.
type Stats struct {
	Groups      int // WAL groups synced
	Records     int // records in them
	Checkpoints int // checkpoints made durable
	Replayed    int // records recovery put back into the memtable
	Corrupt     int // corrupt WAL ranges recovery skipped
}

// Open opens the database on io (creating the page file if needed). It is
// not recovered yet: run Recover first.
func Open(io rt.IO, opts Options) (*DB, error) {
	f, err := io.Open(DBPath, rt.OpenCreate)
	if err != nil {
		return nil, err
	}
	if opts.CacheClean <= 0 {
		opts.CacheClean = 32
	}
	if opts.Inject == nil {
		opts.Inject = sim.Never
	}
	db := &DB{io: io, inj: opts.Inject, file: f, pager: newPager(f, opts.CacheClean), active: memtable{}}
	db.wal.db = db
	db.ckpt.db = db
	db.recovery = &Recovery{db: db}
	return db, nil
}

// Close closes the files. Operations still in flight fail.
func (db *DB) Close() error {
	err := db.file.Close()
	if db.wal.file != nil {
		err = errors.Join(err, db.wal.file.Close())
	}
	return err
}

// Recover returns the database's recovery; there is one per DB.
func (db *DB) Recover() *Recovery { return db.recovery }

// Stats returns the counters.
func (db *DB) Stats() Stats { return db.stats }

// DurableLSN returns the LSN up to which every record is durable.
func (db *DB) DurableLSN() uint64 { return db.wal.durable }

// Poisoned returns the error that stopped the WAL, or nil.
func (db *DB) Poisoned() error { return db.wal.err }

// switchGeneration freezes the memtable and moves the WAL to a new
// generation file. The flusher calls it between groups, when every logged
// record up to the durable LSN is published.
func (db *DB) switchGeneration() error {
	w := &db.wal
	f, err := db.io.Open(walPath(w.gen+1), rt.OpenCreate)
	if err != nil {
		return err
	}
	old := w.file
	w.gen, w.file, w.off, w.switchReq = w.gen+1, f, 0, false
	keys := make([]string, 0, len(db.active))
	for k := range db.active {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	db.frozen, db.frozenKeys, db.frozenLSN, db.frozenGen = db.active, keys, w.durable, w.gen
	db.active = memtable{}
	if old != nil {
		return old.Close()
	}
	return nil
}

// Put returns an operation that logs key=value and makes it visible. Its
// Done value is the record's LSN.
func (db *DB) Put(key, value []byte) *Put {
	return &Put{db: db, key: slices.Clone(key), value: slices.Clone(value)}
}

type putState uint8

const (
	putAppend putState = iota // append the record to the open group
	putCommit                 // wait until its group is synced and published
	putDone
)

// Put is one write. It is acknowledged (Done) only after the WAL group
// holding its record has been synced and published into the memtable, so a
// Get that starts after the acknowledgement sees it and no crash loses it.
// An abandoned or failed Put may still become durable with its group: its
// outcome is unknown, as with any storage engine.
type Put struct {
	db         *DB
	key, value []byte

	state putState
	lsn   uint64 // from putCommit on
}

// LSN returns the record's LSN once it was appended (0 before).
func (p *Put) LSN() uint64 { return p.lsn }

// Resume runs the Put until it yields or finishes.
func (p *Put) Resume() (rt.IOResult[uint64], error) {
	db := p.db
	for {
		switch p.state {
		case putAppend:
			if !db.recovered {
				return rt.IOResult[uint64]{}, ErrNotRecovered
			}
			if err := validate(p.key, p.value); err != nil {
				return rt.IOResult[uint64]{}, err
			}
			if db.wal.err != nil {
				return rt.IOResult[uint64]{}, db.wal.err
			}
			if err := db.inj.ShouldFail(putBeforeAppend.Point()); err != nil {
				return rt.IOResult[uint64]{}, err
			}
			if db.inj.ShouldYield(putBeforeAppend.Point()) {
				// Re-entrancy: nothing has been appended yet; re-entry
				// starts this state over.
				return rt.Yield[uint64](), nil
			}
			p.lsn, p.state = db.wal.append(p.key, p.value), putCommit

		case putCommit:
			r, err := db.wal.waitDurable(p.lsn)
			if err != nil || r.IsIO() {
				// Re-entrancy: the record is appended and the state
				// selects putCommit, so re-entry only waits again; the
				// flusher keeps its own state.
				return rt.Forward[uint64](r, err)
			}
			p.state = putDone

		default: // putDone
			return rt.Done(p.lsn), nil
		}
	}
}

// Get returns an operation that reads the newest committed value of key.
func (db *DB) Get(key []byte) *Get {
	return &Get{db: db, key: slices.Clone(key), cur: cursor{pg: db.pager}}
}

// Get is one read: the active memtable, then the frozen one, then the
// tree. Every call looks at all three afresh; only the tree walk can
// yield, and it restarts from the root, so the value comes from one
// consistent moment: the call that returns Done.
type Get struct {
	db  *DB
	key []byte
	cur cursor
}

// Resume runs the Get until it yields or finishes. A missing key ends it
// with ErrNotFound.
func (g *Get) Resume() (rt.IOResult[[]byte], error) {
	db := g.db
	if !db.recovered {
		return rt.IOResult[[]byte]{}, ErrNotRecovered
	}
	if e, ok := db.active[string(g.key)]; ok {
		return rt.Done(e.value), nil
	}
	if e, ok := db.frozen[string(g.key)]; ok {
		return rt.Done(e.value), nil
	}
	r, err := g.cur.seek(g.key)
	if err != nil || r.IsIO() {
		// Re-entrancy: nothing was changed; re-entry looks again from
		// the memtables down, and the walk's reads are memoized.
		return rt.Forward[[]byte](r, err)
	}
	v, _, ok := g.cur.lookup(g.key)
	if !ok {
		return rt.IOResult[[]byte]{}, ErrNotFound
	}
	return rt.Done(v), nil
}

// isNotExist reports whether err says a file does not exist.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
