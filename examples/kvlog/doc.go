// Package kvlog is an example program for reentrycheck's bundled runtime: a
// small append-only key-value log written as resumable operations in the
// cooperative I/O model of runtime/rt.
//
// The log is one file of records laid end to end:
//
//	crc32 (4) | key length (4) | value length (4) | key | value
//
// The checksum (IEEE CRC-32, little-endian like the lengths) covers the two
// lengths, the key and the value. An in-memory index maps every key to its
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
//     at a time, and truncates a torn or corrupt tail. Put and Get drive it
//     first on a log that has not been recovered yet.
//
// The operations carry injection hooks (sim.Injector) at their state
// boundaries; production code passes sim.Never. cmd/kvlog runs a few Puts
// and Gets on the deferring memory backend and on OS files.
package kvlog
