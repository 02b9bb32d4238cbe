package futq

// Log is a write-ahead log over a device. Records are batched in memory;
// a commit writes the whole batch with one append and makes it durable
// with a sync (group commit: one commit carries the records of everyone
// who added before it).
type Log struct {
	Dev   *Device
	batch [][]byte
}

// Add batches rec for the next commit.
func (l *Log) Add(rec []byte) { l.batch = append(l.batch, rec) }

// take hands the batch over to a write.
func (l *Log) take() [][]byte {
	b := l.batch
	l.batch = nil
	return b
}

// Commit commits its records, and whatever else is batched, to the log;
// it is ready with the log sequence number of the last record written.
type Commit struct {
	Log    *Log
	Recs   [][]byte
	queued bool
	write  *Op
	sync   *Op
	lsn    int
}

// PollAppendEvery commits the records.
//
// quality: bug C1 the records are added to the batch on every poll: each re-poll adds them again, after the write took the batch, so they are left over for the next commit
func (f *Commit) PollAppendEvery(cx *Context) Poll[int] {
	f.Log.batch = append(f.Log.batch, f.Recs...)
	if f.write == nil {
		f.write = Append(f.Log.Dev, f.Log.take())
	}
	if f.sync == nil {
		p := f.write.Poll(cx)
		if !p.IsReady() {
			// Bug: the records were appended to the batch again above.
			return Pending[int]()
		}
		f.lsn = p.Value().LSN
		f.sync = Sync(f.Log.Dev)
	}
	p := f.sync.Poll(cx)
	if !p.IsReady() {
		// Bug: here too: every re-poll re-adds the records.
		return Pending[int]()
	}
	return Ready(f.lsn)
}

// Poll commits the records.
//
// quality: ok C1 the records join the batch once, under the queued flag; the batch is taken once, when the write is made; a re-poll only re-polls the write or the sync
func (f *Commit) Poll(cx *Context) Poll[int] {
	if !f.queued {
		f.Log.batch = append(f.Log.batch, f.Recs...)
		f.queued = true
	}
	if f.write == nil {
		f.write = Append(f.Log.Dev, f.Log.take())
	}
	if f.sync == nil {
		p := f.write.Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: queued is set and the batch is in f.write: the
			// re-poll re-polls the write and adds nothing.
			return Pending[int]()
		}
		f.lsn = p.Value().LSN
		f.sync = Sync(f.Log.Dev)
	}
	p := f.sync.Poll(cx)
	if !p.IsReady() {
		// Re-entrancy: f.sync is set, so the re-poll skips the finished
		// write and re-polls the sync.
		return Pending[int]()
	}
	return Ready(f.lsn)
}

// PollSyncDropped commits the records.
//
// quality: bug C9 the sync's poll result is discarded: the commit is ready, its records reported committed, while the sync is still pending and nobody polls it again
func (f *Commit) PollSyncDropped(cx *Context) Poll[int] {
	if !f.queued {
		f.Log.batch = append(f.Log.batch, f.Recs...)
		f.queued = true
	}
	if f.write == nil {
		f.write = Append(f.Log.Dev, f.Log.take())
	}
	if f.sync == nil {
		p := f.write.Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: the re-poll re-polls the write and adds nothing.
			return Pending[int]()
		}
		f.lsn = p.Value().LSN
		f.sync = Sync(f.Log.Dev)
	}
	// Bug: the sync's Pending is dropped: Ready below says durable.
	f.sync.Poll(cx)
	return Ready(f.lsn)
}
