package rt

import (
	"context"
	"errors"
	"os"
	"sync"
)

// fakeIO is a tiny in-memory backend for this package's tests and
// benchmarks. Bytes move eagerly at submission; in deferred mode every
// completion runs in the next Step (like Turso's MemoryYieldIO),
// otherwise inline inside the submit call (like MemoryIO).
type fakeIO struct {
	mu       sync.Mutex
	files    map[string]*fakeFile
	deferred bool
	queue    []fakeOp
	spare    []fakeOp
	steps    int

	// failSubmit, when set, makes the next submission fail with it.
	failSubmit error
	// failComplete, when set, makes the next submitted completion fail
	// with it (a completion error).
	failComplete error
}

type fakeOp struct {
	t   Ticket // the claimed operation: a recycled completion is not finished twice
	n   int
	err error
}

type fakeFile struct {
	io   *fakeIO
	mu   sync.Mutex
	data []byte
}

func newFakeIO(deferred bool) *fakeIO {
	return &fakeIO{files: map[string]*fakeFile{}, deferred: deferred}
}

func (f *fakeIO) Open(path string, flag OpenFlag) (File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	file, ok := f.files[path]
	if !ok {
		if flag != OpenCreate {
			return nil, &IOError{Op: "open", Path: path, Err: os.ErrNotExist}
		}
		file = &fakeFile{io: f}
		f.files[path] = file
	}
	return file, nil
}

func (f *fakeIO) Remove(path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.files[path]; !ok {
		return &IOError{Op: "remove", Path: path, Err: os.ErrNotExist}
	}
	delete(f.files, path)
	return nil
}

// submit finishes c now or queues it, after consuming injected faults.
func (f *fakeIO) submit(c *Completion, n int) (*Completion, error) {
	f.mu.Lock()
	if err := f.failSubmit; err != nil {
		f.failSubmit = nil
		f.mu.Unlock()
		return nil, err
	}
	t, err := c.Claim()
	if err != nil {
		f.mu.Unlock()
		return nil, err
	}
	if f.failComplete != nil {
		err, f.failComplete = f.failComplete, nil
	}
	if f.deferred {
		f.queue = append(f.queue, fakeOp{t: t, n: n, err: err})
		f.mu.Unlock()
		return c, nil
	}
	f.mu.Unlock()
	finishOp(fakeOp{t: t, n: n, err: err})
	return c, nil
}

func finishOp(op fakeOp) {
	if op.err != nil {
		op.t.Fail(op.err)
	} else {
		op.t.Complete(op.n)
	}
}

// Step completes every completion queued before the call; completions
// submitted by callbacks wait for the next Step.
func (f *fakeIO) Step(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.steps++
	batch := f.queue
	f.queue, f.spare = f.spare[:0], nil
	f.mu.Unlock()
	for i := range batch {
		finishOp(batch[i])
		batch[i] = fakeOp{}
	}
	f.mu.Lock()
	if f.spare == nil {
		f.spare = batch[:0]
	}
	f.mu.Unlock()
	return nil
}

func (f *fakeIO) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}

func (f *fakeIO) Wait(ctx context.Context, c *Completion) error { return WaitFor(ctx, f, c) }
func (f *fakeIO) Drain(ctx context.Context, cs []*Completion) error {
	return DrainAll(ctx, f, cs)
}
func (f *fakeIO) Cancel(cs []*Completion) { AbortAll(cs) }

func (ff *fakeFile) ReadAt(c *Completion, off int64) (*Completion, error) {
	if c == nil || c.Kind() != KindRead {
		return nil, errors.New("fakeio: ReadAt needs a read completion")
	}
	if c.Submitted() {
		return nil, ErrSubmittedTwice
	}
	buf := c.Buffer()
	ff.mu.Lock()
	n := 0
	if off < int64(len(ff.data)) {
		n = copy(buf, ff.data[off:])
	}
	ff.mu.Unlock()
	return ff.io.submit(c, n)
}

func (ff *fakeFile) WriteAt(buf []byte, off int64, c *Completion) (*Completion, error) {
	if c == nil {
		return nil, ErrNilCompletion
	}
	if c.Submitted() {
		return nil, ErrSubmittedTwice // before moving any byte
	}
	ff.io.mu.Lock()
	failing := ff.io.failSubmit != nil
	ff.io.mu.Unlock()
	if !failing {
		ff.mu.Lock()
		if end := off + int64(len(buf)); end > int64(len(ff.data)) {
			ff.data = append(ff.data, make([]byte, end-int64(len(ff.data)))...)
		}
		copy(ff.data[off:], buf)
		ff.mu.Unlock()
	}
	return ff.io.submit(c, len(buf))
}

func (ff *fakeFile) WriteV(bufs [][]byte, off int64, c *Completion) (*Completion, error) {
	return WriteVFanIn(ff, bufs, off, c)
}

func (ff *fakeFile) Sync(c *Completion) (*Completion, error) { return ff.io.submit(c, 0) }

func (ff *fakeFile) Truncate(size int64, c *Completion) (*Completion, error) {
	ff.mu.Lock()
	if size < int64(len(ff.data)) {
		ff.data = ff.data[:size]
	} else {
		ff.data = append(ff.data, make([]byte, size-int64(len(ff.data)))...)
	}
	ff.mu.Unlock()
	return ff.io.submit(c, 0)
}

func (ff *fakeFile) Size() (int64, error) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	return int64(len(ff.data)), nil
}

func (ff *fakeFile) Close() error { return nil }
