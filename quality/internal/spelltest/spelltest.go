// Package spelltest confirms labels of corpus functions that spell their
// yield as a sentinel error or a status constant, where reentrytest (built
// around rt.IOResult) cannot drive them.
//
// The check is differential. An operation is first run on a world that
// never makes it yield (all input present, the send window wide open): the
// reference. It is then run again, on a fresh world with the same input,
// delivered so that it yields at points a seeded random source picks; after
// each yield the harness does what the operation's caller does, makes the
// world a little more ready and calls the operation again from the top.
// A re-entrancy bug shows as a different final result or observable state
// for some seed; a correct operation ends the same for every seed.
package spelltest

import (
	"fmt"
	"math/rand"

	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
)

// Seeds is how many delivery schedules each check tries.
const Seeds = 64

// MaxCalls bounds the calls of one run: an operation that loses its
// progress on re-entry may never finish, and that is a bug too.
const MaxCalls = 1000

// Gate decides how a world delivers its input. The reference gate delivers
// everything at once; a seeded gate delivers in small random pieces.
type Gate struct{ rng *rand.Rand }

// Reference reports whether this world must never make the operation yield.
func (g *Gate) Reference() bool { return g.rng == nil }

// Chunk says how many of the n units still held back to deliver now: all n
// for the reference, otherwise between 0 and max (0 is a spurious wake-up,
// which callers of would-block operations must tolerate).
func (g *Gate) Chunk(n, max int) int {
	if g.rng == nil || n <= 0 {
		return n
	}
	if max > n {
		max = n
	}
	return g.rng.Intn(max + 1)
}

// Run is one world's operation, as its caller drives it.
type Run[R any] struct {
	Op       func() R     // one call of the operation, from the top
	Yielded  func(R) bool // whether the result asks to be called again
	Ready    func()       // what the caller waits for before calling again
	Snapshot func() any   // the observable state compared at the end
}

// Setup builds a fresh world for one run.
type Setup[R any] func(g *Gate) Run[R]

type outcome struct {
	result, state string
	calls         int
	yields        int
	failure       string // a panic or a livelock
}

func drive[R any](setup Setup[R], g *Gate) (out outcome) {
	run := setup(g)
	defer func() {
		if p := recover(); p != nil {
			out.failure = fmt.Sprintf("panicked at call %d: %v", out.calls, p)
		}
	}()
	for out.calls < MaxCalls {
		out.calls++
		r := run.Op()
		if !run.Yielded(r) {
			out.result = fmt.Sprintf("%+v", r)
			out.state = fmt.Sprintf("%+v", run.Snapshot())
			return out
		}
		out.yields++
		if run.Ready != nil {
			run.Ready()
		}
	}
	out.failure = fmt.Sprintf("livelock: not finished after %d calls", MaxCalls)
	return out
}

// Check runs the reference and Seeds yielding schedules and reports the
// first difference. It panics when the check would be vacuous: when the
// reference yields (the world is not the reference it claims to be) or no
// schedule yields at all (nothing re-entered, nothing tested), so that a
// broken setup fails the test whatever the label says.
func Check[R any](setup Setup[R]) qtest.Result {
	ref := drive(setup, &Gate{})
	if ref.failure != "" {
		panic("spelltest: reference run " + ref.failure)
	}
	if ref.yields > 0 {
		panic(fmt.Sprintf("spelltest: the reference run yielded %d times", ref.yields))
	}
	yields := 0
	for seed := int64(1); seed <= Seeds; seed++ {
		got := drive(setup, &Gate{rng: rand.New(rand.NewSource(seed))})
		yields += got.yields
		switch {
		case got.failure != "":
			return qtest.Result{Detected: true, Detail: fmt.Sprintf("seed %d: %s", seed, got.failure)}
		case got.result != ref.result:
			return qtest.Result{Detected: true, Detail: fmt.Sprintf("seed %d (%d yields): result %s, reference %s", seed, got.yields, got.result, ref.result)}
		case got.state != ref.state:
			return qtest.Result{Detected: true, Detail: fmt.Sprintf("seed %d (%d yields): state %s, reference %s", seed, got.yields, got.state, ref.state)}
		}
	}
	if yields == 0 {
		panic("spelltest: no schedule made the operation yield")
	}
	return qtest.Result{Detail: fmt.Sprintf("%d schedules, %d yields, all ended as the reference", Seeds, yields)}
}
