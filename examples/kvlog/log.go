package kvlog

import (
	"errors"
	"sort"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

var (
	// ErrNotFound is returned by Get for a key the log does not hold.
	ErrNotFound = errors.New("kvlog: key not found")
	// ErrAbandoned is returned by an operation called again after Abandon.
	ErrAbandoned = errors.New("kvlog: operation abandoned")
)

// entry locates a key's latest record in the file.
type entry struct {
	off  int64 // where the record starts
	size int   // header and body
}

// point names the injection hooks of the log's operations, one small enum
// for the "kvlog" subsystem (sim.Point).
type point int

const (
	putBeforeWrite point = iota
	putBeforeSync
	recoverBeforeRecord
	numPoints
)

func (p point) Point() sim.Point {
	return sim.Point{Subsystem: "kvlog", Ordinal: int(p), Count: int(numPoints)}
}

// Log is an append-only key-value log over one file. Its operations (Put,
// Get, Recover) are resumable; drive them with rt.BlockWith, rt.Stepper or
// any other driver of the runtime. A Log is used from one goroutine at a
// time, as the runtime's operations are; several operations may be in
// flight on it at once, interleaved by their driver.
type Log struct {
	file rt.File
	inj  sim.Injector

	index     map[string]entry // key -> latest committed record
	tail      int64            // end of the last committed record
	recovered bool             // the index reflects the file
	recovery  *Recovery        // the log's one recovery, driven by whoever needs it first

	// writer is the Put that holds the log, from its lock state to its
	// commit, failure or abandonment.
	writer *Put
	// fence is the last write or sync a Put submitted. A Put abandoned with
	// that I/O in flight has released the log, but the next Put must not
	// write over the same offsets before it lands.
	fence *rt.Completion
}

// Open opens (creating it if needed) the log at path on io. The log is not
// recovered yet: the first Put or Get recovers it, or call Recover. inj is
// the injector for the operations' hooks; nil means sim.Never.
func Open(io rt.IO, path string, inj sim.Injector) (*Log, error) {
	f, err := io.Open(path, rt.OpenCreate)
	if err != nil {
		return nil, err
	}
	return New(f, inj), nil
}

// New returns an unrecovered log over an open file.
func New(f rt.File, inj sim.Injector) *Log {
	if inj == nil {
		inj = sim.Never
	}
	l := &Log{file: f, inj: inj, index: map[string]entry{}}
	l.recovery = &Recovery{log: l}
	return l
}

// Close closes the log's file. Operations still in flight fail.
func (l *Log) Close() error { return l.file.Close() }

// Recover returns the log's recovery operation. There is one per Log:
// calling Recover again returns the same operation, which after it finished
// keeps returning Done with the number of records it found.
func (l *Log) Recover() *Recovery { return l.recovery }

// Put returns an operation that appends key=value to the log and then
// publishes it in the index. Its Done value is the record's offset.
func (l *Log) Put(key, value []byte) *Put {
	return &Put{log: l, key: clone(key), value: clone(value)}
}

// Get returns an operation that reads the latest value of key.
func (l *Log) Get(key []byte) *Get {
	return &Get{log: l, key: clone(key)}
}

// Recovered reports whether the index reflects the file.
func (l *Log) Recovered() bool { return l.recovered }

// Len returns the number of keys in the index.
func (l *Log) Len() int { return len(l.index) }

// Tail returns the end of the last committed record: where the next Put
// writes.
func (l *Log) Tail() int64 { return l.tail }

// Keys returns the indexed keys, sorted.
func (l *Log) Keys() []string {
	keys := make([]string, 0, len(l.index))
	for k := range l.index {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// clone copies b, so an operation does not depend on the caller's buffer.
func clone(b []byte) []byte { return append([]byte(nil), b...) }
