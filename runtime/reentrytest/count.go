package reentrytest

import (
	"sync"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Submits counts the I/O an operation submitted in one run: submit calls
// on the files it opened through Env.IO that the backend accepted (a call
// that returned a submission error is not counted). WriteV counts once.
type Submits struct {
	Reads, Writes, Syncs, Truncates int
}

// Total is the sum of all kinds.
func (s Submits) Total() int { return s.Reads + s.Writes + s.Syncs + s.Truncates }

// tally counts one run's submissions; every file of the run shares it.
type tally struct {
	mu sync.Mutex
	s  Submits
}

// The kinds tally.add counts.
const (
	kindRead = iota
	kindWrite
	kindSync
	kindTruncate
)

func (c *tally) add(kind int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch kind {
	case kindRead:
		c.s.Reads++
	case kindWrite:
		c.s.Writes++
	case kindSync:
		c.s.Syncs++
	default:
		c.s.Truncates++
	}
}

func (c *tally) snapshot() Submits {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

// countingIO is the IO the harness hands out: the run's backend, with every
// file it opens counting submissions. It adds no behaviour of its own.
type countingIO struct {
	rt.IO
	n *tally
}

var _ rt.PendingCounter = (*countingIO)(nil)

func (c *countingIO) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	f, err := c.IO.Open(path, flag)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, n: c.n}, nil
}

// Pending forwards to the backend (both memio backends count); 0 otherwise.
func (c *countingIO) Pending() int {
	if p, ok := c.IO.(rt.PendingCounter); ok {
		return p.Pending()
	}
	return 0
}

// countingFile counts the submissions its backend accepted.
type countingFile struct {
	rt.File
	n *tally
}

func (f *countingFile) counted(c *rt.Completion, err error, kind int) (*rt.Completion, error) {
	if err == nil {
		f.n.add(kind)
	}
	return c, err
}

func (f *countingFile) ReadAt(c *rt.Completion, off int64) (*rt.Completion, error) {
	got, err := f.File.ReadAt(c, off)
	return f.counted(got, err, kindRead)
}

func (f *countingFile) WriteAt(buf []byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	got, err := f.File.WriteAt(buf, off, c)
	return f.counted(got, err, kindWrite)
}

func (f *countingFile) WriteV(bufs [][]byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	got, err := f.File.WriteV(bufs, off, c)
	return f.counted(got, err, kindWrite)
}

func (f *countingFile) Sync(c *rt.Completion) (*rt.Completion, error) {
	got, err := f.File.Sync(c)
	return f.counted(got, err, kindSync)
}

func (f *countingFile) Truncate(size int64, c *rt.Completion) (*rt.Completion, error) {
	got, err := f.File.Truncate(size, c)
	return f.counted(got, err, kindTruncate)
}
