package sim_test

import (
	"context"
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// Every submission is queued (Latency 1) and finished at a seeded later
// tick; the trace records the schedule, identical for identical seeds.
func ExampleIO() {
	s := sim.New(sim.Config{Seed: 42, Latency: 1, MaxDelay: 3})
	f, _ := s.Open("db", rt.OpenCreate)
	for i := range 3 {
		_, _ = f.WriteAt([]byte{'a' + byte(i)}, int64(i), rt.NewWrite(nil))
	}
	for s.Pending() > 0 {
		_ = s.Step(context.Background())
	}
	for _, ev := range s.Trace() {
		fmt.Println(ev)
	}
	b, _ := s.Store().Bytes("db")
	fmt.Printf("%q\n", b)
	// Output:
	// t0 #0 write db@0+1 queued(due=3)
	// t0 #1 write db@1+1 queued(due=1)
	// t0 #2 write db@2+1 queued(due=3)
	// t1 #1 write db@1+1 complete
	// t3 #0 write db@0+1 complete
	// t3 #2 write db@2+1 complete
	// "abc"
}

// A fixed injector makes a hook yield exactly where a unit test wants it.
func ExampleFixed() {
	type point int
	const beforeCommit point = 0
	p := sim.Point{Subsystem: "commit", Ordinal: int(beforeCommit), Count: 1}

	inj := sim.NewFixed().YieldAt(p, 1)
	fmt.Println(inj.ShouldYield(p), inj.ShouldYield(p))
	// Output: true false
}
