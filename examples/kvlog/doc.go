// Package kvlog is an example program for reentrycheck's bundled runtime: a
// small append-only key-value log written as resumable operations in the
// cooperative I/O model of runtime/rt.
//
// The log is one file of records laid end to end:
//
//	magic (4) | crc32 (4) | key length (4) | value length (4) | key | value
//
// The magic is "KVL1"; integers are little-endian. The checksum (IEEE
// CRC-32) covers the record's file offset (8 bytes, not stored), the two
// lengths, the key and the value: a record is valid only at the offset it
// was written for. An in-memory index maps every key to its
// latest record. Three operations work on a Log, each a state machine whose
// progress lives in its fields, so that it can be called again from the top
// after every yield:
//
//   - Put appends a record at the tail: encode, write, sync, then publish the
//     record in the index and move the tail. One Put at a time holds the log;
//     a second one yields until the first has finished or was abandoned.
//   - Get reads a key's latest record through the index; the read's callback
//     checks the error, the length and the checksum.
//   - Recovery scans the file from the start, rebuilding the index one record
//     at a time. At a record that does not decode it looks for the next
//     offset where a whole record decodes and, if there is one, skips the
//     corrupt range and goes on; only a bad range with nothing valid after
//     it is a torn tail, which it truncates. So an intact record, synced or
//     not, is never discarded. Put and Get drive it first on a log that has
//     not been recovered yet.
//
// Durability: a Put is acknowledged (Done) only after its sync succeeded,
// and its sync covers its write, which it waited for. Under the crash model
// of runtime/memio (unsynced writes vanish or tear, syncs make them
// durable) an acknowledged record therefore survives every crash; a record
// whose Put failed or was in flight may survive too, but only at the tail.
//
// The operations carry injection hooks (sim.Injector) at their state
// boundaries; production code passes sim.Never. cmd/kvlog runs a few Puts
// and Gets on the deferring memory backend and on OS files.
package kvlog
