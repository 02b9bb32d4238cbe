// Package engine is a small page-based key-value storage engine written on
// reentrycheck's bundled runtime (runtime/rt): every operation is a
// resumable state machine in the cooperative I/O model, re-entered from the
// top after each yield.
//
// # Design
//
// A Put appends its record to the write-ahead log's open group and waits.
// The WAL's flusher takes the whole open group, writes its records (one
// write each, fanned into an rt.Group that is built once and memoized),
// syncs the WAL file once for the group, and then publishes the records
// into the memtable. Puts that arrive while a group is in flight gather in
// the next one (group commit). A Put is acknowledged only after its group
// was published, so a Get that starts afterwards sees it and no crash loses
// it. A failed WAL write or sync poisons the log (ErrPoisoned): the
// engine takes no more writes until it is reopened and recovered.
//
// Reads (Get) look at the memtable, then at the memtable being
// checkpointed, then at the B-tree; a range read (Scan) merges the three
// through a cursor, one key at a time. The tree lives in fixed-size pages
// of the page file, reached through the pager: a page cache of decoded
// pages (clean pages are evicted least recently used first, dirty ones
// stay) whose reads are memoized while in flight, so any number of
// operations missing on one page share one read. A cursor walks the tree
// from the root; a walk that yields for a read starts over on re-entry and
// finds the pages it had in the cache.
//
// A checkpoint moves the memtable into the tree. It asks the flusher to
// switch: between two groups the flusher freezes the memtable and moves
// the WAL to a new generation file. The checkpoint then applies the frozen
// records to the tree, writes every dirty page (a group), syncs the page
// file, writes the meta slot not used by the previous checkpoint, syncs
// again, and finally removes the WAL generations the checkpoint covers.
// The tree is copy-on-write: a page that a durable meta reaches is never
// overwritten; changing it copies it to a free page, and the old page is
// freed only once the next meta is durable. So whatever a crash tears, the
// tree of the newest intact meta is intact.
//
// Recovery reads both meta slots and takes the newest intact one, then
// replays every WAL generation from the meta's on into the memtable,
// skipping records with an LSN the checkpoint covers, and opens a new
// generation for new records. It writes nothing to old files, and it keeps
// every WAL record that decodes, resynchronising past damaged ones: it
// never discards a valid record.
//
// # On-disk format
//
// Integers are little-endian; checksums are IEEE CRC-32.
//
//	page file "db": pages of PageSize bytes; page 0 and 1 are the meta slots.
//	meta slot:  crc (4) | magic "ENG1" (4) | seq (8) | root (4) |
//	            page count (4) | checkpoint LSN (8) | WAL generation (8) |
//	            free count (2) | free page ids (4 each)
//	tree page:  crc (4) | kind (1: leaf, 2: branch) | count (2) | 0 (1) | entries
//	leaf entry: key length (2) | value length (2) | LSN (8) | key | value
//	branch:     first child (4), then per entry: key length (2) | child (4) | key
//	WAL file "wal-<generation>": records end to end
//	WAL record: magic "WAL1" (4) | crc (4) | LSN (8) | key length (2) |
//	            value length (2) | key | value
//
// A page's checksum covers its id and the rest of the page, a meta slot's
// its slot number and the rest, a WAL record's its generation, its file
// offset and the rest of the record: a page read from the wrong place, a
// stale record of an earlier generation, or a record embedded in a value
// never passes for a live one. Free pages beyond what one meta page holds
// are leaked at a restart (never reached, never reused).
//
// # Re-entrancy
//
// Every yield point carries a "Re-entrancy:" comment saying why calling the
// function again from the top repeats nothing. The shapes are the safe
// shapes of docs/runtime.md (docs/model.md §9): persistent state machines
// whose state moves in the same step as the work it records, one
// re-pollable call per state, mutation only after Done, groups built once
// and memoized, a page read memoized in the pager (readPage is annotated
// //reentrycheck:idempotent), and a tree walk that rewinds to the root.
// Tree changes happen inside one call, with no yield in between.
//
// Drivers: rt.Block, rt.BlockWith or rt.Stepper, from one goroutine. The
// injection hooks (sim.Injector) sit at state boundaries; production code
// passes sim.Never. No operation holds a lock or a pin across a yield, so a
// driver may abandon any of them at any yield without cleaning up: the
// database's own state machines (flusher, checkpoint, recovery) stay where
// they were and the next operation that needs them resumes them.
//
// # Tests
//
// The simulation (TestSim) runs 60 seeds by default; ENGINE_SEEDS=10000
// runs a long one.
package engine
