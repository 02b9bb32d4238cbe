package spelltest

import (
	"strings"
	"testing"
)

// counter is a world with n units of input held back: take yields while
// none is delivered, and bumps calls before (buggy) or after (correct)
// finding that out.
func counter(n int, early bool) Setup[int] {
	return func(g *Gate) Run[int] {
		held, avail, calls := n, 0, 0
		ready := func() { k := g.Chunk(held, 1); held -= k; avail += k }
		if g.Reference() {
			ready()
		}
		return Run[int]{
			Op: func() int {
				if early {
					calls++
				}
				if avail < n {
					return -1
				}
				if !early {
					calls++
				}
				return avail
			},
			Yielded:  func(r int) bool { return r < 0 },
			Ready:    ready,
			Snapshot: func() any { return calls },
		}
	}
}

func TestCheckDetectsRepeatedMutation(t *testing.T) {
	if r := Check(counter(3, true)); !r.Detected || !strings.Contains(r.Detail, "state") {
		t.Fatalf("early count not detected: %+v", r)
	}
}

func TestCheckPassesCorrectOperation(t *testing.T) {
	if r := Check(counter(3, false)); r.Detected {
		t.Fatalf("correct operation detected: %+v", r)
	}
}

func TestCheckDetectsLivelock(t *testing.T) {
	r := Check(func(g *Gate) Run[int] {
		run := counter(1, false)(g)
		if !g.Reference() {
			run.Ready = func() {} // input never arrives
		}
		return run
	})
	if !r.Detected || !strings.Contains(r.Detail, "livelock") {
		t.Fatalf("livelock not detected: %+v", r)
	}
}

func TestCheckRefusesVacuousWorld(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "no schedule") {
			t.Fatalf("want a vacuity panic, got %v", p)
		}
	}()
	Check(counter(0, true)) // nothing held back: never yields
}

func TestCheckRefusesYieldingReference(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "reference") {
			t.Fatalf("want a reference panic, got %v", p)
		}
	}()
	Check(func(g *Gate) Run[int] {
		run := counter(2, false)(&Gate{rng: nil})
		first := true
		op := run.Op
		run.Op = func() int {
			if first {
				first = false
				return -1
			}
			return op()
		}
		return run
	})
}
