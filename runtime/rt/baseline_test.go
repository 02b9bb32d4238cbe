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
