package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
)

// Point names one injection site: a member of a subsystem's small ordinal
// enum. A subsystem declares its points once, as an int-based enum with a
// method that returns the Point:
//
//	type commitPoint int
//
//	const (
//		commitBeforeWrite commitPoint = iota
//		commitBeforeSync
//		numCommitPoints
//	)
//
//	func (p commitPoint) Point() sim.Point {
//		return sim.Point{Subsystem: "commit", Ordinal: int(p), Count: int(numCommitPoints)}
//	}
//
// Count lets a seeded injector draw ordinals for a subsystem before it has
// seen all of its points.
type Point struct {
	Subsystem string // the enum's name: "commit", "checkpoint", "cursor", ...
	Ordinal   int    // 0 <= Ordinal < Count
	Count     int    // how many points the subsystem declares
}

// String renders the point as subsystem#ordinal.
func (p Point) String() string { return fmt.Sprintf("%s#%d", p.Subsystem, p.Ordinal) }

// Injector decides, at a point, whether a resumable function yields
// explicitly or fails. The hook a resumable function places at a state
// boundary is:
//
//	if err := s.inj.ShouldFail(p.Point()); err != nil {
//		return rt.IOResult[T]{}, err
//	}
//	if s.inj.ShouldYield(p.Point()) {
//		// Re-entrancy: <why replaying this state from the top is safe>
//		return rt.Yield[T](), nil
//	}
//
// Placement rules (docs/model.md §7 Test backends):
//   - prove that re-entry at the point is safe before adding the hook;
//   - move the state into its resumable state before the hook, so the
//     re-entry resumes there and does not redo earlier work;
//   - never place a hook after a push, insert, counter increment, lock
//     acquisition or cleanup in the same state, unless repeating that
//     effect is harmless: the hook's yield replays it;
//   - if a lock is held across the hook, test both resuming and abandoning
//     the operation at the yield (Sweep does the latter).
//
// Production code passes Never, so a hook costs one interface call.
// Implementations used by one operation at a time need not be safe for
// concurrent use; the ones in this package are.
//
// The methods are declared idempotent to the reentrycheck analyzer: an
// injector's bookkeeping (consumed draws, counters) belongs to the test
// harness, not to the operation's persistent state, and asking again on
// re-entry is the point of the hook, so a hook never counts as a mutation
// before the yield it guards.
type Injector interface {
	// ShouldYield reports whether to return an explicit yield at p.
	//
	//reentrycheck:idempotent
	ShouldYield(p Point) bool
	// ShouldFail returns a non-nil error to fail the operation at p.
	//
	//reentrycheck:idempotent
	ShouldFail(p Point) error
}

// ErrInjected is matched (errors.Is) by every fault this package injects:
// failures from an injector, and both failure channels of the simulator.
var ErrInjected = errors.New("sim: injected fault")

// IsInjected reports whether err is, or wraps, a fault injected by this
// package.
func IsInjected(err error) bool { return errors.Is(err, ErrInjected) }

// PointFault is the error an injector returns from ShouldFail.
type PointFault struct {
	Point Point
}

func (e *PointFault) Error() string { return "sim: injected failure at " + e.Point.String() }

// Unwrap makes errors.Is(err, ErrInjected) true.
func (e *PointFault) Unwrap() error { return ErrInjected }

// Never never yields and never fails. It is the injector for production code.
var Never Injector = never{}

type never struct{}

//reentrycheck:idempotent
func (never) ShouldYield(Point) bool { return false }

//reentrycheck:idempotent
func (never) ShouldFail(Point) error { return nil }

// Fixed yields and fails at points chosen by a unit test. Each entry is
// consumed as it fires, so an operation cannot livelock on it.
type Fixed struct {
	mu     sync.Mutex
	yields map[Point]int
	fails  map[Point]error
	fired  []Point
}

// NewFixed returns a Fixed injector with nothing armed.
func NewFixed() *Fixed {
	return &Fixed{yields: make(map[Point]int), fails: make(map[Point]error)}
}

// YieldAt arms n more yields at p: the next n arrivals at p yield.
func (f *Fixed) YieldAt(p Point, n int) *Fixed {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.yields[p] += n
	return f
}

// FailAt arms one failure at p. A nil err fails with a *PointFault.
func (f *Fixed) FailAt(p Point, err error) *Fixed {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil {
		err = &PointFault{Point: p}
	}
	f.fails[p] = err
	return f
}

// ShouldYield consumes one armed yield at p.
//
//reentrycheck:idempotent
func (f *Fixed) ShouldYield(p Point) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.yields[p] == 0 {
		return false
	}
	f.yields[p]--
	f.fired = append(f.fired, p)
	return true
}

// ShouldFail consumes the armed failure at p.
//
//reentrycheck:idempotent
func (f *Fixed) ShouldFail(p Point) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err, ok := f.fails[p]
	if !ok {
		return nil
	}
	delete(f.fails, p)
	return err
}

// Fired returns the points where a yield fired, in order.
func (f *Fixed) Fired() []Point {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Point(nil), f.fired...)
}

// Seeded is the simulator's injector (Turso's simulator injector). The first
// time it sees a subsystem it draws, from its seeded generator, between 0
// and MaxYields ordinals to yield at and between 0 and MaxFailures ordinals
// to fail at; each drawn ordinal fires once, when the point is next reached,
// and is then consumed. The same seed and the same sequence of queries give
// the same answers.
type Seeded struct {
	mu          sync.Mutex
	rng         *rand.Rand
	maxYields   int
	maxFailures int
	plans       map[string]*plan
	yields      int
	failures    int
}

// plan holds the armed ordinals of one subsystem.
type plan struct {
	yields map[int]int
	fails  map[int]int
}

// SeededConfig configures a Seeded injector.
type SeededConfig struct {
	Seed        uint64
	MaxYields   int // ordinals drawn per subsystem for yields (Turso: 20)
	MaxFailures int // ordinals drawn per subsystem for failures (0: never fail)
}

// NewSeeded returns a seeded injector.
func NewSeeded(cfg SeededConfig) *Seeded {
	return &Seeded{
		rng:         rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		maxYields:   cfg.MaxYields,
		maxFailures: cfg.MaxFailures,
		plans:       make(map[string]*plan),
	}
}

// planFor returns p's subsystem plan, drawing it on first use.
func (s *Seeded) planFor(p Point) *plan {
	pl, ok := s.plans[p.Subsystem]
	if ok {
		return pl
	}
	pl = &plan{yields: make(map[int]int), fails: make(map[int]int)}
	if p.Count > 0 {
		for range s.rng.IntN(s.maxYields + 1) {
			pl.yields[s.rng.IntN(p.Count)]++
		}
		for range s.rng.IntN(s.maxFailures + 1) {
			pl.fails[s.rng.IntN(p.Count)]++
		}
	}
	s.plans[p.Subsystem] = pl
	return pl
}

// ShouldYield consumes one drawn yield at p, if any.
//
//reentrycheck:idempotent
func (s *Seeded) ShouldYield(p Point) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	pl := s.planFor(p)
	if pl.yields[p.Ordinal] == 0 {
		return false
	}
	pl.yields[p.Ordinal]--
	s.yields++
	return true
}

// ShouldFail consumes one drawn failure at p, if any.
//
//reentrycheck:idempotent
func (s *Seeded) ShouldFail(p Point) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	pl := s.planFor(p)
	if pl.fails[p.Ordinal] == 0 {
		return nil
	}
	pl.fails[p.Ordinal]--
	s.failures++
	return &PointFault{Point: p}
}

// Counts returns how many yields and failures have fired.
func (s *Seeded) Counts() (yields, failures int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.yields, s.failures
}

// Everywhere yields at every arrival at every point, so that every
// injection hook forces a re-entry. The only arrivals it lets pass are the
// re-entry's way back to the point that just yielded: after a yield at p it
// answers no until p is reached again (the points before p on that path
// are the re-entry replaying its prologue, already visited), and then
// yields again at the next arrival. An operation therefore re-enters once
// per arrival and still moves on.
//
// A driver calls NewRound when the operation yields for a reason other
// than this injector (typically real I/O), so that a re-entry that never
// reaches p again does not silence the injector; TakeFired tells it which
// kind of yield it got.
type Everywhere struct {
	mu        sync.Mutex
	skipUntil *Point
	fired     bool
	yields    int
}

// NewEverywhere returns an Everywhere injector.
func NewEverywhere() *Everywhere { return &Everywhere{} }

// ShouldYield yields unless the operation is on its way back to the point
// that yielded last.
//
//reentrycheck:idempotent
func (e *Everywhere) ShouldYield(p Point) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.skipUntil != nil {
		if *e.skipUntil == p {
			e.skipUntil = nil
		}
		return false
	}
	e.skipUntil = &p
	e.fired = true
	e.yields++
	return true
}

// ShouldFail never fails: Everywhere exercises re-entry, not error paths.
//
//reentrycheck:idempotent
func (e *Everywhere) ShouldFail(Point) error { return nil }

// NewRound forgets the point that yielded last.
func (e *Everywhere) NewRound() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.skipUntil = nil
}

// TakeFired reports whether a yield fired since the last call, and resets
// the flag. A driver uses it to tell an injected explicit yield from the
// operation's own.
func (e *Everywhere) TakeFired() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.fired
	e.fired = false
	return f
}

// Yields returns how many yields have fired in total.
func (e *Everywhere) Yields() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.yields
}
