package reentrytest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// Reporter is the part of testing.TB that Check reports through. *testing.T
// and *testing.B satisfy it; tests of this package use a recorder.
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// Env is what Setup builds an operation on. Each run gets a fresh Env.
type Env struct {
	// IO is the backend: synchronous memio in the inline run, deferring
	// memio in the others. Files opened through it count the I/O
	// submitted on them (Outcome.Submits); they behave exactly like the
	// backend's own.
	IO rt.IO
	// Store is IO's byte store, for preparing files (Store.SetBytes).
	Store *memio.Store
	// Inject is the yield injector to hand to the operation's hooks: one
	// that yields at every point in the re-entrant run, sim.Never in the
	// others.
	Inject sim.Injector
}

// Run is one instance of the operation under test, built on fresh state.
type Run[T any] struct {
	// Op is the resumable operation.
	Op func() (rt.IOResult[T], error)
	// Snapshot, if set, returns the operation's persistent state after the
	// run, for comparison (a plain-data copy is best: Diff follows
	// pointers, but handles such as completions hold bookkeeping that is
	// not the operation's state).
	Snapshot func() any
}

// Setup builds a Run on env. It is called once per run.
type Setup[T any] func(env Env) (Run[T], error)

// Options tunes Check. The zero value is ready to use.
type Options struct {
	// MaxCalls bounds the calls of Op per run, not counting the polled
	// run's polls (default 100000); a run that needs more is reported as
	// a livelock.
	MaxCalls int
	// Context bounds the runs (default context.Background()).
	Context context.Context
	// Polls is how many extra times the polled run re-enters the
	// operation at each yield on a pending completion (default 1). A
	// negative value skips the deferred and polled runs: the check is then
	// the inline-versus-re-entrant comparison alone.
	Polls int
	// PollTolerant declares that the operation absorbs polls: re-entered
	// while the completion it yielded on is still pending, it yields on
	// that completion again and changes nothing. The check then reports
	// every poll it does not absorb. Without it, such a poll is taken as
	// the operation's right (the model lets it assume that a re-entry
	// comes after the completion finished) and only skipped.
	PollTolerant bool
	// RequireSettled declares that the operation never finishes (Done or
	// an error) while I/O it caused is still pending. The check then
	// reports a deferred run that ends with I/O in flight: a sub-operation
	// whose IO result was dropped, say (Outcome.InFlight).
	RequireSettled bool
	// MaxPollRuns bounds how many times the polled run starts over after
	// a poll the operation did not absorb (default 256); past it, the
	// remaining yields are not polled (PollStats.Truncated).
	MaxPollRuns int
}

func (o Options) withDefaults() Options {
	if o.MaxCalls <= 0 {
		o.MaxCalls = 100000
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Polls == 0 {
		o.Polls = 1
	}
	if o.MaxPollRuns <= 0 {
		o.MaxPollRuns = 256
	}
	return o
}

// Outcome is what one run observed.
type Outcome[T any] struct {
	Value   T
	Err     error
	Store   map[string][]byte // every file, after the run
	State   any               // Run.Snapshot(), or nil
	Calls   int               // calls of Op: 1 + re-entries (polls included)
	Submits Submits           // I/O submitted through Env.IO
	// InFlight is how many completions were still pending when the
	// operation returned Done or an error (the harness lets them land
	// before looking at the files). Always 0 inline.
	InFlight int
}

// RunName names one of the runs of Verify.
type RunName string

// The runs.
const (
	RunInline    RunName = "inline"     // synchronous memio, no injected yields
	RunReentrant RunName = "re-entrant" // deferring memio, a yield at every injection point
	RunDeferred  RunName = "deferred"   // deferring memio, no injected yields
	RunPolled    RunName = "polled"     // as deferred, plus polls at every pending yield
)

// Finding is one thing the check found: a difference between two runs, a
// run that could not be completed, a poll the operation did not absorb
// (with Options.PollTolerant), or I/O it left in flight (with
// Options.RequireSettled).
type Finding struct {
	// Run is the run that diverged or failed.
	Run RunName
	// Base is the run Run was compared with; empty when the finding is
	// about Run alone (a harness error, a refused poll).
	Base RunName
	// What says what differs, with the path to the value
	// ("state.N: 30 != 60", "submits.Writes: 3 != 4", "error: <nil> != ..."),
	// or what went wrong.
	What string
}

// String renders the finding on one line.
func (f Finding) String() string {
	if f.Base == "" {
		return string(f.Run) + " run: " + f.What
	}
	return string(f.Base) + " vs " + string(f.Run) + ": " + f.What
}

// Refusal is a poll the operation did not absorb.
type Refusal struct {
	Site    int    // which yield on a pending completion (0: the first of the run)
	Call    int    // the poll's call number within its run
	Waiting string // the pending completion it had yielded on
	What    string // what it did instead of yielding on it again
}

// String renders the refusal on one line.
func (r Refusal) String() string {
	return fmt.Sprintf("call %d, waiting on %s: %s", r.Call, r.Waiting, r.What)
}

// PollStats says what the polled run exercised. Absorbed == 0 with
// Sites > 0 means the polled run learned nothing beyond the deferred run:
// the operation moves on whenever it is re-entered (see the package
// documentation for what that leaves unseen).
type PollStats struct {
	Sites     int       // yields on a pending completion in the final polled run
	Polled    int       // of those, the ones polled
	Absorbed  int       // polls the operation absorbed in the final run
	Refused   []Refusal // polls it did not absorb, over all attempts (those sites are not polled in the final run)
	Runs      int       // how many times the polled run was started
	Truncated bool      // MaxPollRuns was reached; later sites were not polled
}

// Report is the result of Check and Verify.
type Report[T any] struct {
	Inline    Outcome[T] // every completion finished inline, no injected yields
	Reentrant Outcome[T] // every I/O and every injection point forced a re-entry
	Deferred  Outcome[T] // every I/O forced a re-entry, no injected yields; zero if skipped
	Polled    Outcome[T] // as Deferred, re-entered Options.Polls more times at each pending yield; zero if skipped
	Polls     PollStats  // what the polled run exercised
	// Diffs has one line per finding: inline-versus-re-entrant
	// differences as before ("state: length 1 != 2"); the polled run's
	// prefixed with "polled: " ("polled: state.N: 3 != 6"), an unsettled
	// deferred run's with "deferred: "; a run that could not be completed
	// as "<run> run: <error>". Empty when nothing was found.
	Diffs []string
	// Findings holds the same, structured.
	Findings []Finding
}

// OK reports whether the check found nothing.
func (r Report[T]) OK() bool { return len(r.Diffs) == 0 }

// Check is the dynamic re-entrancy check, the runtime twin of the
// reentrycheck linter: Verify, with every finding reported through r.Errorf,
// one message per kind: a run that could not be completed, the differences
// between the inline and the re-entrant run (worded as before the polled
// run existed), and what the polled run found.
func Check[T any](r Reporter, setup Setup[T]) Report[T] {
	r.Helper()
	return CheckWith(r, Options{}, setup)
}

// CheckWith is Check with options.
func CheckWith[T any](r Reporter, opts Options, setup Setup[T]) Report[T] {
	r.Helper()
	rep := Verify(opts, setup)
	var legacy, polled []string
	for _, f := range rep.Findings {
		switch {
		case f.Base == "" && !strings.HasPrefix(f.What, refusedPrefix):
			r.Errorf("reentrytest: %s", f)
		case f.Run == RunPolled:
			polled = append(polled, f.What)
		default:
			legacy = append(legacy, f.What)
		}
	}
	if len(legacy) > 0 {
		r.Errorf("reentrytest: the operation behaves differently when re-entered at every yield "+
			"(inline run: %d call(s); re-entrant run: %d call(s)); inline vs re-entrant:\n\t%s",
			rep.Inline.Calls, rep.Reentrant.Calls, strings.Join(legacy, "\n\t"))
	}
	if len(polled) > 0 {
		r.Errorf("reentrytest: the operation behaves differently when re-entered more often "+
			"(deferred run: %d call(s); polled run: %d call(s), %d poll(s) absorbed); deferred vs polled:\n\t%s",
			rep.Deferred.Calls, rep.Polled.Calls, rep.Polls.Absorbed, strings.Join(polled, "\n\t"))
	}
	return rep
}

// refusedPrefix starts the What of a refused-poll finding, unsettledPrefix
// that of an operation that returned with I/O in flight.
const (
	refusedPrefix   = "poll not absorbed: "
	unsettledPrefix = "not settled: "
)

// Verify runs the check and returns its verdict without reporting
// anything: Report.OK, Report.Findings. It runs the operation four times,
// each time on fresh state built by setup (the polled run may start over,
// see below; a run that cannot be completed ends the check, and
// Options.Polls < 0 leaves out the last two):
//
//  1. inline: on the synchronous memio backend with sim.Never, so every
//     completion has finished when its submit call returns and nothing
//     yields explicitly;
//  2. re-entrant: on memio.DeferringIO with an injector that yields at
//     every point (sim.Everywhere), so every I/O and every injection
//     point makes the operation return and be called again from the top;
//  3. deferred: on memio.DeferringIO with sim.Never, the polled run's
//     baseline;
//  4. polled: as deferred, but each time the operation yields on a
//     completion that is still pending, the harness calls it again
//     Options.Polls times before letting the completion finish. A poll
//     is absorbed when the operation yields on the same, still pending,
//     completion again. If it does anything else, the model's own
//     assumption (re-entry comes after the completion finished) has been
//     broken by the harness, not by the operation: the polled run starts
//     over, on fresh state, without polling that yield, and the poll is
//     listed in PollStats.Refused (and reported, if Options.PollTolerant).
//     One exception: a poll that fails with rt.ErrLinkedTwice or
//     rt.ErrGroupBuilt ends the run with that error, since only group
//     bookkeeping repeated on re-entry produces it.
//
// A correct resumable operation gives the same observable result in all
// of them: the same value (compared with Diff), the same error (compared
// by message), the same files and the same persistent state
// (Run.Snapshot); the deferred and polled runs, which differ in nothing
// but re-entries, also submit the same number of I/Os of each kind. The
// check compares inline with re-entrant, which differ in how often the
// operation is re-entered when its yields depend on whether a completion
// has finished (if !c.Finished() { return rt.Wait(c) }) or when it has
// injection points; and deferred with polled, which differ in how often it
// is re-entered at every yield on I/O, whatever the style, so a write that
// repeats per re-entry before such a yield shows up there. (The polled run
// injects no yields: an injected yield in front of an I/O would hide that
// I/O's yield from the polls.)
//
// Each run is driven like rt.Block: an awaited completion that fails ends
// the run with its error. The operation must be deterministic.
func Verify[T any](opts Options, setup Setup[T]) Report[T] {
	opts = opts.withDefaults()
	var rep Report[T]
	fail := func(run RunName, err error) Report[T] {
		rep.Findings = append(rep.Findings, Finding{Run: run, What: err.Error()})
		rep.Diffs = append(rep.Diffs, string(run)+" run: "+err.Error())
		return rep
	}

	inline := memio.New()
	h := &harness{opts: opts, io: inline, n: &tally{}}
	out, err := run(h, Env{IO: &countingIO{IO: inline, n: h.n}, Store: inline.Store(), Inject: sim.Never}, setup)
	if err != nil {
		return fail(RunInline, err)
	}
	rep.Inline = out

	deferring := memio.NewDeferring()
	everywhere := sim.NewEverywhere()
	h = &harness{opts: opts, io: deferring, everywhere: everywhere, n: &tally{}}
	out, err = run(h, Env{IO: &countingIO{IO: deferring, n: h.n}, Store: deferring.Store(), Inject: everywhere}, setup)
	if err != nil {
		return fail(RunReentrant, err)
	}
	rep.Reentrant = out
	for _, d := range compare(rep.Inline, rep.Reentrant, false) {
		rep.Findings = append(rep.Findings, Finding{Run: RunReentrant, Base: RunInline, What: d})
		rep.Diffs = append(rep.Diffs, d)
	}

	if opts.Polls < 0 {
		return rep
	}
	deferring = memio.NewDeferring()
	h = &harness{opts: opts, io: deferring, n: &tally{}}
	out, err = run(h, Env{IO: &countingIO{IO: deferring, n: h.n}, Store: deferring.Store(), Inject: sim.Never}, setup)
	if err != nil {
		return fail(RunDeferred, err)
	}
	rep.Deferred = out
	if opts.RequireSettled && out.InFlight > 0 {
		what := fmt.Sprintf("%s%d I/O(s) still in flight when the operation returned", unsettledPrefix, out.InFlight)
		rep.Findings = append(rep.Findings, Finding{Run: RunDeferred, What: what})
		rep.Diffs = append(rep.Diffs, "deferred: "+what)
	}
	out, rep.Polls, err = polledRun(opts, setup)
	if err != nil {
		return fail(RunPolled, err)
	}
	rep.Polled = out
	for _, d := range compare(rep.Deferred, rep.Polled, true) {
		rep.Findings = append(rep.Findings, Finding{Run: RunPolled, Base: RunDeferred, What: d})
		rep.Diffs = append(rep.Diffs, "polled: "+d)
	}
	if opts.PollTolerant {
		for _, ref := range rep.Polls.Refused {
			what := refusedPrefix + ref.String()
			rep.Findings = append(rep.Findings, Finding{Run: RunPolled, What: what})
			rep.Diffs = append(rep.Diffs, "polled: "+what)
		}
	}
	return rep
}

// errLivelock reports a run that exceeded Options.MaxCalls.
var errLivelock = errors.New("operation did not finish (livelock?)")

// errRestart ends a polled run whose poll was not absorbed.
var errRestart = errors.New("poll not absorbed")

// harness is one run's driver state.
type harness struct {
	opts       Options
	io         rt.IO           // the backend, for Step and Wait
	everywhere *sim.Everywhere // the re-entrant run's injector
	n          *tally          // submissions through Env.IO
	plan       *pollPlan       // the polled run's polls; nil: no polls
	polls      int             // calls that were polls, outside MaxCalls
}

// pollPlan says where the polled run polls, and records what happened.
type pollPlan struct {
	k        int
	skip     map[int]bool // sites refused in earlier attempts
	skipFrom int          // no polls from this site on; -1: none
	sites    int
	polled   int
	absorbed int
	refused  *Refusal // set when the attempt must start over
}

// polledRun runs the polled run, starting over without a site whenever a
// poll there is not absorbed.
func polledRun[T any](opts Options, setup Setup[T]) (Outcome[T], PollStats, error) {
	var stats PollStats
	plan := &pollPlan{k: opts.Polls, skip: make(map[int]bool), skipFrom: -1}
	for {
		stats.Runs++
		plan.sites, plan.polled, plan.absorbed, plan.refused = 0, 0, 0, nil
		deferring := memio.NewDeferring()
		h := &harness{opts: opts, io: deferring, n: &tally{}, plan: plan}
		out, err := run(h, Env{IO: &countingIO{IO: deferring, n: h.n}, Store: deferring.Store(), Inject: sim.Never}, setup)
		if errors.Is(err, errRestart) {
			stats.Refused = append(stats.Refused, *plan.refused)
			plan.skip[plan.refused.Site] = true
			if stats.Runs >= opts.MaxPollRuns {
				plan.skipFrom = plan.refused.Site
				stats.Truncated = true
			}
			continue
		}
		stats.Sites, stats.Polled, stats.Absorbed = plan.sites, plan.polled, plan.absorbed
		return out, stats, err
	}
}

// run builds the operation on env and drives it to the end.
func run[T any](h *harness, env Env, setup Setup[T]) (Outcome[T], error) {
	var out Outcome[T]
	rn, err := setup(env)
	if err != nil {
		return out, fmt.Errorf("setup: %w", err)
	}
	if rn.Op == nil {
		return out, errors.New("setup returned a Run without Op")
	}
	if err := drive(h, rn.Op, &out); err != nil {
		return out, err
	}
	// Let anything the operation left in flight land before looking.
	if p, ok := env.IO.(rt.PendingCounter); ok {
		out.InFlight = p.Pending()
		for p.Pending() > 0 {
			if err := h.io.Step(h.opts.Context); err != nil {
				return out, err
			}
		}
	}
	out.Store = env.Store.Snapshot()
	out.Submits = h.n.snapshot()
	if rn.Snapshot != nil {
		out.State = rn.Snapshot()
	}
	return out, nil
}

// drive calls op until Done or an error, waiting on each completion. An
// explicit yield that the injector caused is re-entered at once; any other
// yield starts a new injection round, so every point yields once more on
// the way to the next I/O. In the polled run, a yield on a pending
// completion is polled first. The operation's value, error and call count
// go to out; the returned error is the harness's own (cancellation,
// livelock, errRestart).
func drive[T any](h *harness, op func() (rt.IOResult[T], error), out *Outcome[T]) error {
	ctx := h.opts.Context
	for {
		if err := h.budget(out.Calls); err != nil {
			return err
		}
		out.Calls++
		r, err := op()
		if err != nil {
			out.Err = err
			return nil
		}
		c := r.Completion()
		if c == nil {
			out.Value = r.Value()
			return nil
		}
		injected := h.everywhere != nil && h.everywhere.TakeFired()
		if c.IsExplicitYield() && injected {
			continue
		}
		if h.everywhere != nil {
			h.everywhere.NewRound()
		}
		if c.IsExplicitYield() {
			if err := h.io.Step(ctx); err != nil {
				return err
			}
			continue
		}
		if h.plan != nil && !c.Finished() {
			ended, err := poll(h, op, c, out)
			if err != nil || ended {
				return err
			}
		}
		if err := h.io.Wait(ctx, c); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			out.Err = err
			return nil
		}
	}
}

// budget fails when another call would exceed MaxCalls, or when the
// context is done. Polls do not count: each site is polled a bounded
// number of times.
func (h *harness) budget(calls int) error {
	if calls-h.polls >= h.opts.MaxCalls {
		return fmt.Errorf("%w: %d calls", errLivelock, h.opts.MaxCalls)
	}
	return h.opts.Context.Err()
}

// poll re-enters op up to plan.k times while c, the completion it just
// yielded on, is pending. It reports whether the run has ended (the poll
// failed with a group-bookkeeping error, which becomes the run's error),
// and returns errRestart when the operation did not absorb the poll.
func poll[T any](h *harness, op func() (rt.IOResult[T], error), c *rt.Completion, out *Outcome[T]) (bool, error) {
	p := h.plan
	site := p.sites
	p.sites++
	if p.skip[site] || (p.skipFrom >= 0 && site >= p.skipFrom) {
		return false, nil
	}
	p.polled++
	for range p.k {
		if err := h.opts.Context.Err(); err != nil {
			return true, err
		}
		before := h.n.snapshot().Total()
		out.Calls++
		h.polls++
		r, err := op()
		submitted := h.n.snapshot().Total() - before
		switch {
		case err == nil && r.Completion() == c && !c.Finished():
			// Absorbed. Anything it submitted on the way shows in the
			// comparison of Submits.
			p.absorbed++
		case err != nil && (errors.Is(err, rt.ErrLinkedTwice) || errors.Is(err, rt.ErrGroupBuilt)):
			out.Err = err
			return true, nil
		default:
			p.refused = &Refusal{Site: site, Call: out.Calls, Waiting: c.String(), What: refusal(r, err, submitted)}
			return true, errRestart
		}
	}
	return false, nil
}

// refusal says what an operation did on a poll instead of yielding on the
// pending completion again.
func refusal[T any](r rt.IOResult[T], err error, submitted int) string {
	var s string
	switch {
	case err != nil:
		s = "it failed: " + err.Error()
	case r.IsDone():
		s = "it returned Done"
	case r.Completion().IsExplicitYield():
		s = "it yielded explicitly"
	default:
		s = "it yielded on another completion, " + r.Completion().String()
	}
	if submitted > 0 {
		s += fmt.Sprintf(", after submitting %d I/O(s)", submitted)
	}
	return s
}

// compare lists the observable differences between two outcomes; the
// submission counts only with submits (the inline and re-entrant runs
// differ in timing, and an operation may choose its I/O by what has
// already finished).
func compare[T any](base, other Outcome[T], submits bool) []string {
	var diffs []string
	if (base.Err == nil) != (other.Err == nil) || (base.Err != nil && base.Err.Error() != other.Err.Error()) {
		diffs = append(diffs, fmt.Sprintf("error: %v != %v", base.Err, other.Err))
	}
	for _, d := range Diff(base.Value, other.Value) {
		diffs = append(diffs, "result"+strings.TrimPrefix(d, "(value)"))
	}
	for _, d := range Diff(base.Store, other.Store) {
		diffs = append(diffs, "files"+strings.TrimPrefix(d, "(value)"))
	}
	for _, d := range Diff(base.State, other.State) {
		diffs = append(diffs, "state"+strings.TrimPrefix(d, "(value)"))
	}
	if submits {
		for _, d := range Diff(base.Submits, other.Submits) {
			diffs = append(diffs, "submits"+d)
		}
	}
	return diffs
}
