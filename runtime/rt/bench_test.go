package rt

import (
	"context"
	"sync"
	"testing"
	"time"
)

// benchIOs is the number of I/Os per operation in the state-machine and
// goroutine-per-operation benchmarks.
const benchIOs = 1000

func BenchmarkCompletionCreateComplete(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c := NewWrite(nil)
		c.Complete(1)
		if !c.Succeeded() {
			b.Fatal("not succeeded")
		}
	}
}

func BenchmarkCompletionCreateCompleteWithCallback(b *testing.B) {
	b.ReportAllocs()
	total := 0
	cb := func(n int, err error) {
		if err == nil {
			total += n
		}
	}
	for b.Loop() {
		c := NewWrite(cb)
		c.Complete(1)
	}
	if total == 0 {
		b.Fatal("callback never ran")
	}
}

func BenchmarkGroupFanIn64(b *testing.B) {
	b.ReportAllocs()
	cs := make([]*Completion, 64)
	for b.Loop() {
		g := NewGroup(nil)
		for i := range cs {
			cs[i] = NewWrite(nil)
			if err := g.Add(cs[i]); err != nil {
				b.Fatal(err)
			}
		}
		gc := g.Build()
		for _, c := range cs {
			c.Complete(1)
		}
		if !gc.Succeeded() {
			b.Fatal("group not finished")
		}
	}
}

func BenchmarkStepperExplicitYield(b *testing.B) {
	b.ReportAllocs()
	s := NewStepper(func() (IOResult[int], error) { return Yield[int](), nil })
	for b.Loop() {
		if out, _ := s.Step(); out != StepYield {
			b.Fatal("not a yield")
		}
	}
}

// benchMachine reads benchIOs one-byte pages one at a time; every read
// yields (the deferred backend finishes it in the next Step).
type benchMachine struct {
	file      File
	buf       []byte
	page      int
	state     int
	read      *Completion
	sum       int
	finalized bool
}

func (m *benchMachine) Step() (TransitionResult[int], error) {
	switch m.state {
	case 0:
		if m.page == benchIOs {
			m.Finalize()
			return Finish(m.sum), nil
		}
		c, err := m.file.ReadAt(NewRead(m.buf, nil), int64(m.page))
		if err != nil {
			return TransitionResult[int]{}, err
		}
		m.read, m.state = c, 1
		// Re-entrancy: the read is stored and the state moved on, so
		// re-entry consumes it instead of submitting again.
		return TransitionIO[int](c), nil
	default:
		m.sum += int(m.buf[0])
		m.read, m.page, m.state = nil, m.page+1, 0
		return Continue[int](), nil
	}
}

func (m *benchMachine) Finalize()         { m.finalized = true }
func (m *benchMachine) IsFinalized() bool { return m.finalized }

func benchFile(b *testing.B, io *fakeIO) File {
	f, err := io.Open("bench", OpenCreate)
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, benchIOs)
	for i := range data {
		data[i] = 1
	}
	c, err := f.WriteAt(data, 0, NewWrite(nil))
	if err != nil {
		b.Fatal(err)
	}
	if err := io.Wait(context.Background(), c); err != nil {
		b.Fatal(err)
	}
	return f
}

func benchStateMachine(b *testing.B, deferred bool) {
	io := newFakeIO(deferred)
	f := benchFile(b, io)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		m := NewMachine[int](&benchMachine{file: f, buf: make([]byte, 1)})
		sum, err := Run(ctx, io, m)
		if err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchIOs, "ns/io")
}

// BenchmarkStateMachine1000IOs drives a 1,000-read state machine to
// completion with Block (Run) over the deferring in-memory backend: every
// read yields, Block steps the backend and re-enters the machine.
func BenchmarkStateMachine1000IOs(b *testing.B) { benchStateMachine(b, true) }

// BenchmarkStateMachine1000IOsInline is the same over the synchronous
// in-memory backend (completions finish inside ReadAt).
func BenchmarkStateMachine1000IOsInline(b *testing.B) { benchStateMachine(b, false) }

// BenchmarkGoroutinePerOp1000IOs does the same 1,000 reads the way the
// model rules out: one goroutine per I/O, its result sent on a channel that
// the caller blocks on.
func BenchmarkGoroutinePerOp1000IOs(b *testing.B) {
	io := newFakeIO(false)
	ff := benchFile(b, io).(*fakeFile)
	b.ReportAllocs()
	for b.Loop() {
		if sum := goroutinePerOp(ff); sum != benchIOs {
			b.Fatal(sum)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchIOs, "ns/io")
}

// goroutinePerOp reads benchIOs one-byte pages, one goroutine and one
// channel per read, each read waiting for the previous one (the same
// dependency chain as benchMachine).
func goroutinePerOp(ff *fakeFile) int {
	type result struct {
		n   int
		err error
	}
	readAt := func(buf []byte, off int64) (int, error) {
		ff.mu.Lock()
		defer ff.mu.Unlock()
		return copy(buf, ff.data[off:]), nil
	}
	buf := make([]byte, 1)
	sum := 0
	var wg sync.WaitGroup
	for page := 0; page < benchIOs; page++ {
		ch := make(chan result, 1)
		wg.Add(1)
		go func(off int64) {
			defer wg.Done()
			n, err := readAt(buf, off)
			ch <- result{n, err}
		}(int64(page))
		if r := <-ch; r.err != nil || r.n != 1 {
			return -1
		}
		sum += int(buf[0])
	}
	wg.Wait()
	return sum
}

// BenchmarkStateMachineVsGoroutinePerOp runs both paths in every iteration,
// alternating, so that both see the same machine load, and reports the
// time per I/O of each and their ratio (goroutine / state machine).
func BenchmarkStateMachineVsGoroutinePerOp(b *testing.B) {
	io := newFakeIO(true)
	ff := benchFile(b, io).(*fakeFile)
	ctx := context.Background()
	var smTime, grTime time.Duration
	for b.Loop() {
		start := time.Now()
		sum, err := Run(ctx, io, NewMachine[int](&benchMachine{file: ff, buf: make([]byte, 1)}))
		smTime += time.Since(start)
		if err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
		start = time.Now()
		if sum := goroutinePerOp(ff); sum != benchIOs {
			b.Fatal(sum)
		}
		grTime += time.Since(start)
	}
	perIO := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) / benchIOs }
	b.ReportMetric(perIO(smTime), "sm-ns/io")
	b.ReportMetric(perIO(grTime), "goroutine-ns/io")
	b.ReportMetric(float64(grTime)/float64(smTime), "x-faster")
}
