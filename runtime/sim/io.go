package sim

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Config sets up a simulator. The zero Config (apart from the seed) is a
// plain synchronous in-memory backend: nothing is delayed, nothing fails.
type Config struct {
	// Seed drives every random decision. The same seed and the same
	// sequence of calls give the same schedule, byte for byte.
	Seed uint64
	// Latency is the probability that an operation is queued instead of
	// finishing inside its submit call. A queued operation moves its bytes
	// and finishes its completion at a later Step, in seeded order.
	Latency float64
	// MaxDelay bounds how many ticks a queued operation waits: it is due
	// 1..MaxDelay ticks after submission (default 4). Each Step advances
	// one tick, or jumps to the next due tick when nothing is due.
	MaxDelay int
	// SubmitFaults is the probability that a submit call fails with a
	// *Fault (the submission channel): the completion never runs.
	SubmitFaults float64
	// CompletionFaults is the probability that an operation is queued and
	// then finishes with a *Fault at its Step (the completion channel),
	// without moving any bytes. The fault matches both ErrInjected and
	// rt.ErrAborted.
	CompletionFaults float64
	// FaultSyncs lets Sync fail too. Turso's simulators exclude sync faults
	// (issue #2091: they produced false positives, since a failed fsync
	// leaves durability undefined); so does the zero Config.
	FaultSyncs bool
	// Store is the byte store to operate on; nil means a fresh one.
	Store *memio.Store
}

// Channel says through which channel a fault was delivered: the submit call
// or the completion.
type Channel uint8

// The failure channels.
const (
	SubmitChannel     Channel = iota + 1 // the submit call returned the error
	CompletionChannel                    // the completion finished with the error
)

func (c Channel) String() string {
	switch c {
	case SubmitChannel:
		return "submission"
	case CompletionChannel:
		return "completion"
	}
	return "Channel(invalid)"
}

// Fault is an error injected by the simulator. errors.Is(err, ErrInjected)
// holds for both channels; a completion fault is also rt.ErrAborted, as in
// Turso's MemorySimIO.
type Fault struct {
	Channel Channel
	Op      string
	Path    string
	Off     int64
}

func (f *Fault) Error() string {
	return fmt.Sprintf("sim: injected %s fault: %s %s at %d", f.Channel, f.Op, f.Path, f.Off)
}

// Unwrap lists ErrInjected, and rt.ErrAborted for completion faults.
func (f *Fault) Unwrap() []error {
	if f.Channel == CompletionChannel {
		return []error{ErrInjected, rt.ErrAborted}
	}
	return []error{ErrInjected}
}

// Event is one entry of the simulator's trace: what happened to which
// operation at which tick. Two runs with the same seed and the same calls
// produce equal traces.
type Event struct {
	Tick int    // simulated time
	Seq  int    // operation number, in submission order
	Op   string // read, write, sync, truncate, timer
	Path string
	Off  int64
	Len  int
	What string // inline, queued(due=N), submit-fault, complete, complete-fault, skipped
}

func (e Event) String() string {
	return fmt.Sprintf("t%d #%d %s %s@%d+%d %s", e.Tick, e.Seq, e.Op, e.Path, e.Off, e.Len, e.What)
}

// queued is an operation waiting for its due tick.
type queued struct {
	seq     int
	due     int
	ev      Event
	t       rt.Ticket // the claimed operation: skipped if aborted (and perhaps recycled) before its Step
	fault   bool
	perform func(t rt.Ticket) error
}

// IO is the deterministic simulator: an rt.IO over an in-memory store with
// seeded latency and fault injection on both failure channels (Turso's
// MemorySimIO; docs/model.md §7 Test backends). Open, Remove and Size never fail by
// injection. It is safe for concurrent use, but a deterministic schedule
// needs a deterministic caller (one goroutine).
//
// Faults can be switched off and on (SetFaults), for instance to set up a
// file before the operation under test. A write that fails by injection
// moves no bytes (torn writes are not modelled). A queued operation whose
// completion was aborted before its Step (IO.Cancel, Group.Cancel) is
// skipped: a successful cancellation.
//
// The caller must keep a queued write's buffer unchanged until its
// completion finishes: the simulator copies it at the Step, as a real
// asynchronous backend may.
//
// A completion is submitted at most once: a second submission fails with
// rt.ErrSubmittedTwice before any dice are drawn. After is a timer on the
// simulated clock for event completions (rt.NewEvent).
type IO struct {
	inner *memio.IO
	cfg   Config

	mu     sync.Mutex
	rng    *rand.Rand
	now    int
	seq    int
	queue  []*queued
	trace  []Event
	faults bool
}

var _ rt.IO = (*IO)(nil)
var _ rt.PendingCounter = (*IO)(nil)

// New returns a simulator for cfg.
func New(cfg Config) *IO {
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = 4
	}
	if cfg.Store == nil {
		cfg.Store = memio.NewStore()
	}
	return &IO{
		inner:  memio.NewOn(cfg.Store),
		cfg:    cfg,
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x6a09e667f3bcc908)),
		faults: true,
	}
}

// Store returns the simulator's byte store.
func (s *IO) Store() *memio.Store { return s.cfg.Store }

// SetFaults switches fault injection on or off (Turso: inject_fault). It is
// on after New. Latency stays in force either way.
func (s *IO) SetFaults(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = on
}

// Trace returns a copy of the events so far.
func (s *IO) Trace() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.trace...)
}

// Now returns the simulated time in ticks.
func (s *IO) Now() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// Open opens path on the store (no injection).
func (s *IO) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	f, err := s.inner.Open(path, flag)
	if err != nil {
		return nil, err
	}
	return &file{sim: s, inner: f, path: path, writable: flag.Writable()}, nil
}

// Remove unlinks path (no injection).
func (s *IO) Remove(path string) error { return s.inner.Remove(path) }

// submit decides the fate of one operation: submission fault, inline, or
// queued (possibly with a completion fault). perform runs the operation on
// the inner synchronous backend and finishes c with its outcome; an error
// it returns is one the inner backend refused the operation with.
//
// A completion already submitted is refused before any dice are drawn, so a
// misuse does not shift the seeded schedule; the claim itself is taken only
// once the submission is accepted, so a completion refused by an injected
// submission fault may be submitted again.
func (s *IO) submit(ev Event, c *rt.Completion, faultable bool, perform func(t rt.Ticket) error) (*rt.Completion, error) {
	if c.Submitted() {
		return nil, &rt.IOError{Op: ev.Op, Path: ev.Path, Err: rt.ErrSubmittedTwice}
	}
	s.mu.Lock()
	faultable = faultable && s.faults
	ev.Tick, ev.Seq = s.now, s.seq
	s.seq++
	if faultable && s.rng.Float64() < s.cfg.SubmitFaults {
		ev.What = "submit-fault"
		s.trace = append(s.trace, ev)
		s.mu.Unlock()
		return nil, &Fault{Channel: SubmitChannel, Op: ev.Op, Path: ev.Path, Off: ev.Off}
	}
	t, err := c.Claim()
	if err != nil {
		// Lost a race with a concurrent submission of the same completion.
		s.mu.Unlock()
		return nil, &rt.IOError{Op: ev.Op, Path: ev.Path, Err: err}
	}
	fault := faultable && s.rng.Float64() < s.cfg.CompletionFaults
	if !fault && s.rng.Float64() >= s.cfg.Latency {
		ev.What = "inline"
		s.trace = append(s.trace, ev)
		s.mu.Unlock()
		// Callbacks run outside the lock: they may submit.
		if err := perform(t); err != nil {
			t.Fail(err)
		}
		return c, nil
	}
	s.enqueue(&queued{seq: ev.Seq, due: s.now + 1 + s.rng.IntN(s.cfg.MaxDelay), ev: ev, t: t, fault: fault, perform: perform})
	s.mu.Unlock()
	return c, nil
}

// enqueue queues q and traces it; s.mu is held.
func (s *IO) enqueue(q *queued) {
	q.ev.What = fmt.Sprintf("queued(due=%d)", q.due)
	s.trace = append(s.trace, q.ev)
	s.queue = append(s.queue, q)
}

// After is a timer on the simulated clock: it finishes the event completion
// c (rt.NewEvent) successfully at the Step that brings the time to at least
// Now()+ticks (ticks below 1 count as 1), in order with the operations due
// then. It claims c (rt.Completion.Claim), so a second After on the
// same completion fails; anything but an event completion is refused. It
// draws nothing from the generator and is never faulted. A timer aborted
// before it fires is skipped, like a cancelled operation.
func (s *IO) After(ticks int, c *rt.Completion) error {
	switch {
	case c == nil:
		return &rt.IOError{Op: "timer", Err: rt.ErrNilCompletion}
	case c.Kind() != rt.KindEvent:
		return &rt.IOError{Op: "timer", Err: errors.New("completion of kind " + c.Kind().String() + ", want event")}
	}
	t, err := c.Claim()
	if err != nil {
		return &rt.IOError{Op: "timer", Err: err}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := Event{Tick: s.now, Seq: s.seq, Op: "timer", Off: int64(max(ticks, 1))}
	s.seq++
	s.enqueue(&queued{seq: ev.Seq, due: s.now + max(ticks, 1), ev: ev, t: t, perform: func(t rt.Ticket) error {
		t.Complete(0)
		return nil
	}})
	return nil
}

// relay finishes the claimed operation t with the outcome of the inner
// operation's completion p.
func relay(t rt.Ticket, p *rt.Completion, err error) error {
	if err != nil {
		return err
	}
	if perr := p.Err(); perr != nil {
		t.Fail(perr)
	} else {
		t.Complete(p.N())
	}
	return nil
}

// Step advances simulated time by one tick, or straight to the next due
// tick if nothing is due earlier, and finishes every operation due by then,
// ordered by due tick and then submission. Operations submitted by the
// callbacks it runs are due at a later tick, so they wait for a later Step.
// It returns at once when nothing is queued.
func (s *IO) Step(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if len(s.queue) == 0 {
		s.mu.Unlock()
		return nil
	}
	s.now++
	next := s.queue[0].due
	for _, q := range s.queue {
		next = min(next, q.due)
	}
	s.now = max(s.now, next)
	var due, rest []*queued
	for _, q := range s.queue {
		if q.due <= s.now {
			due = append(due, q)
		} else {
			rest = append(rest, q)
		}
	}
	s.queue = rest
	sort.Slice(due, func(i, j int) bool {
		if due[i].due != due[j].due {
			return due[i].due < due[j].due
		}
		return due[i].seq < due[j].seq
	})
	for _, q := range due {
		ev := q.ev
		ev.Tick = s.now
		switch {
		case q.t.Finished():
			ev.What = "skipped"
		case q.fault:
			ev.What = "complete-fault"
		default:
			ev.What = "complete"
		}
		s.trace = append(s.trace, ev)
	}
	s.mu.Unlock()

	for _, q := range due {
		switch {
		case q.t.Finished():
		case q.fault:
			q.t.Fail(&Fault{Channel: CompletionChannel, Op: q.ev.Op, Path: q.ev.Path, Off: q.ev.Off})
		default:
			if err := q.perform(q.t); err != nil {
				q.t.Fail(err) // e.g. the handle was closed while the operation was queued
			}
		}
	}
	return nil
}

// Pending returns how many operations are queued (rt.PendingCounter).
func (s *IO) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Wait steps until c has finished and returns c.Err().
func (s *IO) Wait(ctx context.Context, c *rt.Completion) error { return rt.WaitFor(ctx, s, c) }

// Drain steps until every completion in cs has finished.
func (s *IO) Drain(ctx context.Context, cs []*rt.Completion) error {
	return rt.DrainAll(ctx, s, cs)
}

// Cancel aborts every completion in cs; queued operations among them are
// then skipped at their Step.
func (s *IO) Cancel(cs []*rt.Completion) { rt.AbortAll(cs) }

// file is an open file of the simulator.
type file struct {
	sim      *IO
	inner    rt.File
	path     string
	writable bool
	closed   atomic.Bool
}

var _ rt.File = (*file)(nil)

// check reports submission errors that do not depend on the dice, before
// anything is drawn, so that a misuse is reported at the call.
func (f *file) check(op string, c *rt.Completion, kind rt.Kind) error {
	switch {
	case f.closed.Load():
		return &rt.IOError{Op: op, Path: f.path, Err: fs.ErrClosed}
	case c == nil:
		return &rt.IOError{Op: op, Path: f.path, Err: rt.ErrNilCompletion}
	case c.Kind() != kind:
		return &rt.IOError{Op: op, Path: f.path, Err: errors.New("completion of kind " + c.Kind().String() + ", want " + kind.String())}
	case (kind == rt.KindWrite || kind == rt.KindTruncate) && !f.writable:
		return &rt.IOError{Op: op, Path: f.path, Err: fs.ErrPermission}
	}
	return nil
}

func (f *file) ReadAt(c *rt.Completion, off int64) (*rt.Completion, error) {
	if err := f.check("read", c, rt.KindRead); err != nil {
		return nil, err
	}
	if off < 0 {
		return nil, &rt.IOError{Op: "read", Path: f.path, Err: fs.ErrInvalid}
	}
	ev := Event{Op: "read", Path: f.path, Off: off, Len: len(c.Buffer())}
	buf := c.Buffer() // this operation's buffer, even if c is recycled while queued
	return f.sim.submit(ev, c, true, func(t rt.Ticket) error {
		// The inner backend reads into c's buffer through a completion of
		// its own (c is claimed by this submission); c's callback runs
		// when relay finishes c.
		p, err := f.inner.ReadAt(rt.NewRead(buf, nil), off)
		return relay(t, p, err)
	})
}

func (f *file) WriteAt(buf []byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("write", c, rt.KindWrite); err != nil {
		return nil, err
	}
	if off < 0 {
		return nil, &rt.IOError{Op: "write", Path: f.path, Err: fs.ErrInvalid}
	}
	ev := Event{Op: "write", Path: f.path, Off: off, Len: len(buf)}
	return f.sim.submit(ev, c, true, func(t rt.Ticket) error {
		p, err := f.inner.WriteAt(buf, off, rt.NewWrite(nil))
		return relay(t, p, err)
	})
}

// WriteV fans child writes into c through a group (rt.WriteVFanIn): each
// child gets its own latency and faults, and a failing child still
// finishes c with its error. A submission fault on a later child finishes
// c with that fault once the children already submitted have finished.
func (f *file) WriteV(bufs [][]byte, off int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("writev", c, rt.KindWrite); err != nil {
		return nil, err
	}
	return rt.WriteVFanIn(f, bufs, off, c)
}

func (f *file) Sync(c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("sync", c, rt.KindSync); err != nil {
		return nil, err
	}
	ev := Event{Op: "sync", Path: f.path}
	return f.sim.submit(ev, c, f.sim.cfg.FaultSyncs, func(t rt.Ticket) error {
		p, err := f.inner.Sync(rt.NewSync(nil))
		return relay(t, p, err)
	})
}

func (f *file) Truncate(size int64, c *rt.Completion) (*rt.Completion, error) {
	if err := f.check("truncate", c, rt.KindTruncate); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, &rt.IOError{Op: "truncate", Path: f.path, Err: fs.ErrInvalid}
	}
	ev := Event{Op: "truncate", Path: f.path, Off: size}
	return f.sim.submit(ev, c, true, func(t rt.Ticket) error {
		p, err := f.inner.Truncate(size, rt.NewTruncate(nil))
		return relay(t, p, err)
	})
}

// Size returns the current size; queued writes do not count until their
// Step.
func (f *file) Size() (int64, error) { return f.inner.Size() }

// Close closes the handle. Operations still queued then fail at their Step
// with fs.ErrClosed, as the inner handle refuses them.
func (f *file) Close() error {
	f.closed.Store(true)
	return f.inner.Close()
}
