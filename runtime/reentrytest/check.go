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
	// memio in the re-entrant run.
	IO rt.IO
	// Store is IO's byte store, for preparing files (Store.SetBytes).
	Store *memio.Store
	// Inject is the yield injector to hand to the operation's hooks:
	// sim.Never in the inline run, one that yields at every point in the
	// re-entrant run.
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
	// MaxCalls bounds the calls of Op per run (default 100000); a run that
	// needs more is reported as a livelock.
	MaxCalls int
	// Context bounds the runs (default context.Background()).
	Context context.Context
}

// Outcome is what one run observed.
type Outcome[T any] struct {
	Value T
	Err   error
	Store map[string][]byte // every file, after the run
	State any               // Run.Snapshot(), or nil
	Calls int               // calls of Op: 1 + re-entries
}

// Report is the result of Check.
type Report[T any] struct {
	Inline    Outcome[T] // every completion finished inline, no injected yields
	Reentrant Outcome[T] // every I/O and every injection point forced a re-entry
	Diffs     []string   // what differs; empty when the two runs agree
}

// OK reports whether the runs agreed.
func (r Report[T]) OK() bool { return len(r.Diffs) == 0 }

// Check is the dynamic re-entrancy check, the runtime twin of the
// reentrycheck linter. It runs the operation twice, each time on fresh
// state built by setup:
//
//  1. inline: on the synchronous memio backend with sim.Never, so every
//     completion has finished when its submit call returns and nothing
//     yields explicitly;
//  2. re-entrant: on memio.DeferringIO with an injector that yields at
//     every point (sim.Everywhere), so every I/O and every injection
//     point makes the operation return and be called again from the top.
//
// A correct resumable operation gives the same observable result in both:
// the same value (compared with Diff), the same error (compared by
// message), the same files, and the same persistent state (Run.Snapshot).
// Re-entrancy bugs make them differ: a mutation before a yield is replayed
// (C1: duplicated appends, double counts), a state advanced before a
// re-pollable call abandons it (C3: missing writes), progress kept in
// locals is redone (C4). Check reports every difference through r.Errorf
// and returns the report.
//
// Both runs are driven like rt.Block: an awaited completion that fails
// ends the run with its error. The operation must be deterministic.
func Check[T any](r Reporter, setup Setup[T]) Report[T] {
	r.Helper()
	return CheckWith(r, Options{}, setup)
}

// CheckWith is Check with options.
func CheckWith[T any](r Reporter, opts Options, setup Setup[T]) Report[T] {
	r.Helper()
	if opts.MaxCalls <= 0 {
		opts.MaxCalls = 100000
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	var rep Report[T]

	inline := memio.New()
	out, err := run(opts, Env{IO: inline, Store: inline.Store(), Inject: sim.Never}, nil, setup)
	if err != nil {
		r.Errorf("reentrytest: inline run: %v", err)
		rep.Diffs = append(rep.Diffs, "inline run: "+err.Error())
		return rep
	}
	rep.Inline = out

	deferring := memio.NewDeferring()
	everywhere := sim.NewEverywhere()
	out, err = run(opts, Env{IO: deferring, Store: deferring.Store(), Inject: everywhere}, everywhere, setup)
	if err != nil {
		r.Errorf("reentrytest: re-entrant run: %v", err)
		rep.Diffs = append(rep.Diffs, "re-entrant run: "+err.Error())
		return rep
	}
	rep.Reentrant = out

	rep.Diffs = compare(rep.Inline, rep.Reentrant)
	if len(rep.Diffs) > 0 {
		r.Errorf("reentrytest: the operation behaves differently when re-entered at every yield "+
			"(inline run: %d call(s); re-entrant run: %d call(s)); inline vs re-entrant:\n\t%s",
			rep.Inline.Calls, rep.Reentrant.Calls, strings.Join(rep.Diffs, "\n\t"))
	}
	return rep
}

// errLivelock reports a run that exceeded Options.MaxCalls.
var errLivelock = errors.New("operation did not finish (livelock?)")

// run builds the operation on env and drives it to the end.
func run[T any](opts Options, env Env, everywhere *sim.Everywhere, setup Setup[T]) (Outcome[T], error) {
	var out Outcome[T]
	rn, err := setup(env)
	if err != nil {
		return out, fmt.Errorf("setup: %w", err)
	}
	if rn.Op == nil {
		return out, errors.New("setup returned a Run without Op")
	}
	if err := drive(opts, env.IO, everywhere, rn.Op, &out); err != nil {
		return out, err
	}
	// Let anything the operation left in flight land before looking.
	if p, ok := env.IO.(rt.PendingCounter); ok {
		for p.Pending() > 0 {
			if err := env.IO.Step(opts.Context); err != nil {
				return out, err
			}
		}
	}
	out.Store = env.Store.Snapshot()
	if rn.Snapshot != nil {
		out.State = rn.Snapshot()
	}
	return out, nil
}

// drive calls op until Done or an error, waiting on each completion. An
// explicit yield that the injector caused is re-entered at once; any other
// yield starts a new injection round, so every point yields once more on
// the way to the next I/O. The operation's value, error and call count go
// to out; the returned error is the harness's own (cancellation, livelock).
func drive[T any](opts Options, io rt.IO, everywhere *sim.Everywhere, op func() (rt.IOResult[T], error), out *Outcome[T]) error {
	for out.Calls = 1; out.Calls <= opts.MaxCalls; out.Calls++ {
		if err := opts.Context.Err(); err != nil {
			return err
		}
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
		injected := everywhere != nil && everywhere.TakeFired()
		if c.IsExplicitYield() && injected {
			continue
		}
		if everywhere != nil {
			everywhere.NewRound()
		}
		if c.IsExplicitYield() {
			if err := io.Step(opts.Context); err != nil {
				return err
			}
			continue
		}
		if err := io.Wait(opts.Context, c); err != nil {
			if ctxErr := opts.Context.Err(); ctxErr != nil {
				return ctxErr
			}
			out.Err = err
			return nil
		}
	}
	out.Calls = opts.MaxCalls
	return fmt.Errorf("%w: %d calls", errLivelock, opts.MaxCalls)
}

// compare lists the observable differences between the two outcomes.
func compare[T any](inline, reentrant Outcome[T]) []string {
	var diffs []string
	if (inline.Err == nil) != (reentrant.Err == nil) || (inline.Err != nil && inline.Err.Error() != reentrant.Err.Error()) {
		diffs = append(diffs, fmt.Sprintf("error: %v != %v", inline.Err, reentrant.Err))
	}
	for _, d := range Diff(inline.Value, reentrant.Value) {
		diffs = append(diffs, "result"+strings.TrimPrefix(d, "(value)"))
	}
	for _, d := range Diff(inline.Store, reentrant.Store) {
		diffs = append(diffs, "files"+strings.TrimPrefix(d, "(value)"))
	}
	for _, d := range Diff(inline.State, reentrant.State) {
		diffs = append(diffs, "state"+strings.TrimPrefix(d, "(value)"))
	}
	return diffs
}
