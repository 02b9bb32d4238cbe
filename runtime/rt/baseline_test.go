package rt

import (
	"context"
	"testing"
	"time"
)

// plainReads does the 1,000 one-byte reads the benchmarks' state machine
// does, as plain synchronous calls: the same copy under the same lock, no
// completion, no driver. It is the floor the runtime's overhead is measured
// against.
func plainReads(ff *fakeFile, buf []byte) int {
	sum := 0
	for page := 0; page < benchIOs; page++ {
		ff.mu.Lock()
		n := copy(buf, ff.data[page:])
		ff.mu.Unlock()
		if n != 1 {
			return -1
		}
		sum += int(buf[0])
	}
	return sum
}

// BenchmarkPlainCalls1000IOs is the floor: the reads as plain calls.
func BenchmarkPlainCalls1000IOs(b *testing.B) {
	ff := benchFile(b, newFakeIO(false)).(*fakeFile)
	buf := make([]byte, 1)
	b.ReportAllocs()
	for b.Loop() {
		if sum := plainReads(ff, buf); sum != benchIOs {
			b.Fatal(sum)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchIOs, "ns/io")
}

// BenchmarkStateMachineVsPlainCalls runs the state machine (over the
// synchronous backend, inline, and over the deferring one, where every read
// yields) and the plain calls in every iteration, alternating, so that all
// three see the same machine load. It reports the time per I/O of each,
// the runtime's overhead per I/O over a plain call, and the allocations per
// I/O of the state machine.
func BenchmarkStateMachineVsPlainCalls(b *testing.B) {
	inline, deferred := newFakeIO(false), newFakeIO(true)
	fi, fd := benchFile(b, inline), benchFile(b, deferred)
	ff := fi.(*fakeFile)
	buf := make([]byte, 1)
	ctx := context.Background()
	var inlineTime, deferredTime, plainTime time.Duration
	var allocs float64
	for b.Loop() {
		start := time.Now()
		sum, err := Run(ctx, inline, NewMachine[int](&benchMachine{file: fi, buf: make([]byte, 1)}))
		inlineTime += time.Since(start)
		if err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
		start = time.Now()
		sum, err = Run(ctx, deferred, NewMachine[int](&benchMachine{file: fd, buf: make([]byte, 1)}))
		deferredTime += time.Since(start)
		if err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
		start = time.Now()
		if sum := plainReads(ff, buf); sum != benchIOs {
			b.Fatal(sum)
		}
		plainTime += time.Since(start)
	}
	allocs = testing.AllocsPerRun(3, func() {
		_, _ = Run(ctx, inline, NewMachine[int](&benchMachine{file: fi, buf: make([]byte, 1)}))
	})
	perIO := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) / benchIOs }
	b.ReportMetric(perIO(plainTime), "plain-ns/io")
	b.ReportMetric(perIO(inlineTime), "inline-ns/io")
	b.ReportMetric(perIO(deferredTime), "deferred-ns/io")
	b.ReportMetric(perIO(inlineTime)-perIO(plainTime), "overhead-ns/io")
	b.ReportMetric(allocs/benchIOs, "allocs/io")
}

// reuseMachine is benchMachine with its read completion kept by value in
// its state and re-armed (ResetRead) for every read instead of allocated:
// the shape the reuse API is for.
type reuseMachine struct {
	file      File
	buf       []byte
	page      int
	state     int
	read      Completion
	sum       int
	finalized bool
}

func (m *reuseMachine) Step() (TransitionResult[int], error) {
	switch m.state {
	case 0:
		if m.page == benchIOs {
			m.Finalize()
			return Finish(m.sum), nil
		}
		// The previous read has finished (the driver re-entered after
		// it), so the reset cannot fail; check it anyway, a refused
		// reset is a bug worth failing on.
		if err := m.read.ResetRead(m.buf, nil); err != nil {
			return TransitionResult[int]{}, err
		}
		c, err := m.file.ReadAt(&m.read, int64(m.page))
		if err != nil {
			return TransitionResult[int]{}, err
		}
		m.state = 1
		// Re-entrancy: the state moved on before the yield, so re-entry
		// consumes the read instead of submitting again.
		return TransitionIO[int](c), nil
	default:
		if err := m.read.Err(); err != nil {
			return TransitionResult[int]{}, err
		}
		m.sum += int(m.buf[0])
		m.page, m.state = m.page+1, 0
		return Continue[int](), nil
	}
}

func (m *reuseMachine) Finalize()         { m.finalized = true }
func (m *reuseMachine) IsFinalized() bool { return m.finalized }

func benchReuseMachine(b *testing.B, deferred bool) {
	io := newFakeIO(deferred)
	f := benchFile(b, io)
	ctx := context.Background()
	m := &reuseMachine{file: f, buf: make([]byte, 1)}
	b.ReportAllocs()
	for b.Loop() {
		// One operation value for the whole benchmark, restarted per
		// run, as a connection or cursor would keep its state: the
		// completion inside it is reused across runs too.
		m.page, m.state, m.sum, m.finalized = 0, 0, 0, false
		sum, err := Run(ctx, io, NewMachine[int](m))
		if err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchIOs, "ns/io")
}

// BenchmarkStateMachine1000IOsReuse is BenchmarkStateMachine1000IOs with a
// reused completion (ResetRead on a Completion kept by value) over the
// deferring backend: every read yields.
func BenchmarkStateMachine1000IOsReuse(b *testing.B) { benchReuseMachine(b, true) }

// BenchmarkStateMachine1000IOsInlineReuse is the same over the inline
// backend.
func BenchmarkStateMachine1000IOsInlineReuse(b *testing.B) { benchReuseMachine(b, false) }

// BenchmarkCompletionResetComplete is BenchmarkCompletionCreateComplete
// with one completion re-armed each time instead of a new one.
func BenchmarkCompletionResetComplete(b *testing.B) {
	b.ReportAllocs()
	var c Completion
	for b.Loop() {
		if err := c.ResetWrite(nil); err != nil {
			b.Fatal(err)
		}
		c.Complete(1)
		if !c.Succeeded() {
			b.Fatal("not succeeded")
		}
	}
}

// BenchmarkReuseVsPlainCalls is BenchmarkStateMachineVsPlainCalls for the
// reusing machine: in every iteration it runs the plain calls, the
// allocating state machine and the reusing one over the inline backend, and
// the reusing one over the deferring backend, alternating, so that all see
// the same machine load. It reports each path's time per I/O, the overhead
// per I/O over a plain call of both inline machines, their ratio to the
// plain call, and the reusing machine's allocations per I/O.
func BenchmarkReuseVsPlainCalls(b *testing.B) {
	inline, deferred := newFakeIO(false), newFakeIO(true)
	fi, fd := benchFile(b, inline), benchFile(b, deferred)
	ff := fi.(*fakeFile)
	buf := make([]byte, 1)
	ctx := context.Background()
	ri := &reuseMachine{file: fi, buf: make([]byte, 1)}
	rd := &reuseMachine{file: fd, buf: make([]byte, 1)}
	runReuse := func(io IO, m *reuseMachine) {
		m.page, m.state, m.sum, m.finalized = 0, 0, 0, false
		if sum, err := Run(ctx, io, NewMachine[int](m)); err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
	}
	var plainTime, allocTime, reuseTime, reuseDeferredTime time.Duration
	for b.Loop() {
		start := time.Now()
		if sum := plainReads(ff, buf); sum != benchIOs {
			b.Fatal(sum)
		}
		plainTime += time.Since(start)
		start = time.Now()
		sum, err := Run(ctx, inline, NewMachine[int](&benchMachine{file: fi, buf: make([]byte, 1)}))
		allocTime += time.Since(start)
		if err != nil || sum != benchIOs {
			b.Fatal(sum, err)
		}
		start = time.Now()
		runReuse(inline, ri)
		reuseTime += time.Since(start)
		start = time.Now()
		runReuse(deferred, rd)
		reuseDeferredTime += time.Since(start)
	}
	allocs := testing.AllocsPerRun(3, func() { runReuse(inline, ri) })
	perIO := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) / benchIOs }
	plain := perIO(plainTime)
	b.ReportMetric(plain, "plain-ns/io")
	b.ReportMetric(perIO(allocTime), "alloc-inline-ns/io")
	b.ReportMetric(perIO(reuseTime), "reuse-inline-ns/io")
	b.ReportMetric(perIO(reuseDeferredTime), "reuse-deferred-ns/io")
	b.ReportMetric(perIO(allocTime)-plain, "alloc-overhead-ns/io")
	b.ReportMetric(perIO(reuseTime)-plain, "reuse-overhead-ns/io")
	b.ReportMetric(perIO(allocTime)/plain, "alloc-x-plain")
	b.ReportMetric(perIO(reuseTime)/plain, "reuse-x-plain")
	b.ReportMetric(allocs/benchIOs, "reuse-allocs/io")
}
