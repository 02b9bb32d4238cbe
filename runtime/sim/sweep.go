package sim

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// SweepCase is one fresh instance of the operation under an abandonment
// sweep. NewCase builds it from scratch for every N, so runs do not share
// state.
type SweepCase[T any] struct {
	// IO is the backend the operation runs on. Use one that defers
	// completions (memio.DeferringIO, or a simulator with Latency 1) so
	// that every I/O is a yield and therefore an abandonment point.
	IO rt.IO
	// Op is the resumable operation.
	Op func() (rt.IOResult[T], error)
	// Owner, if it implements rt.Abandoner (Abandon()), interface{ Abandon()
	// error } or io.Closer, is abandoned that way when the sweep gives the
	// operation up. nil: nothing to call.
	Owner any
	// Check verifies the invariants that must hold after the operation was
	// abandoned at any I/O boundary, and after it completed.
	Check func() error
}

// SweepFailure is an invariant violation found by Sweep.
type SweepFailure struct {
	N   int   // abandoned after its N-th I/O; 0 for the complete run
	Err error // what Check (or Abandon) returned
}

func (f SweepFailure) Error() string {
	if f.N == 0 {
		return fmt.Sprintf("after the complete run: %v", f.Err)
	}
	return fmt.Sprintf("abandoned after I/O %d: %v", f.N, f.Err)
}

// SweepResult summarizes a sweep.
type SweepResult struct {
	Boundaries int            // I/O boundaries the complete run passed through (= abandonment points swept)
	Failures   []SweepFailure // invariant violations, in order of N
}

// Err joins the failures into one error, or returns nil.
func (r SweepResult) Err() error {
	errs := make([]error, len(r.Failures))
	for i, f := range r.Failures {
		errs[i] = f
	}
	return errors.Join(errs...)
}

// Sweep abandons an operation at every I/O boundary (docs/model.md §7 Test
// backends; the regression harness of Turso's B38). For N = 1, 2, ... it builds a fresh
// case, runs the operation until it yields on its N-th real I/O (explicit
// yields do not count), waits for that I/O to complete, abandons the
// operation, and checks the invariants. It stops at the first N the
// operation completes without reaching, after checking the invariants of
// that complete run too. maxIO bounds the sweep: an operation that has not
// completed within maxIO I/Os is reported as an error.
//
// The returned error is for the harness (NewCase failed, the operation or
// an awaited completion failed, ctx was cancelled, maxIO exceeded); the
// invariant violations are in SweepResult.Failures.
func Sweep[T any](ctx context.Context, newCase func() (SweepCase[T], error), maxIO int) (SweepResult, error) {
	var res SweepResult
	for n := 1; ; n++ {
		if n > maxIO+1 {
			return res, fmt.Errorf("sim.Sweep: operation did not complete within %d I/Os", maxIO)
		}
		sc, err := newCase()
		if err != nil {
			return res, fmt.Errorf("sim.Sweep: new case for N=%d: %w", n, err)
		}
		reached, err := runToIO(ctx, sc, n)
		if err != nil {
			return res, fmt.Errorf("sim.Sweep: N=%d: %w", n, err)
		}
		if !reached {
			res.Boundaries = n - 1
			if err := sc.check(); err != nil {
				res.Failures = append(res.Failures, SweepFailure{N: 0, Err: err})
			}
			return res, nil
		}
		if err := abandon(sc.Owner); err != nil {
			res.Failures = append(res.Failures, SweepFailure{N: n, Err: fmt.Errorf("abandon: %w", err)})
		}
		if err := sc.check(); err != nil {
			res.Failures = append(res.Failures, SweepFailure{N: n, Err: err})
		}
	}
}

// runToIO drives sc.Op until its n-th I/O has completed (true) or until it
// finished first (false).
func runToIO[T any](ctx context.Context, sc SweepCase[T], n int) (bool, error) {
	ios := 0
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		r, err := sc.Op()
		if err != nil {
			return false, fmt.Errorf("operation failed after %d I/Os: %w", ios, err)
		}
		c := r.Completion()
		if c == nil {
			return false, nil
		}
		if c.IsExplicitYield() {
			if err := sc.IO.Step(ctx); err != nil {
				return false, err
			}
			continue
		}
		ios++
		if err := sc.IO.Wait(ctx, c); err != nil {
			return false, fmt.Errorf("I/O %d failed: %w", ios, err)
		}
		if ios == n {
			return true, nil
		}
	}
}

func (sc SweepCase[T]) check() error {
	if sc.Check == nil {
		return nil
	}
	return sc.Check()
}

// abandon calls the owner's abandonment method, if it has one.
func abandon(owner any) error {
	switch o := owner.(type) {
	case nil:
		return nil
	case rt.Abandoner:
		o.Abandon()
		return nil
	case interface{ Abandon() error }:
		return o.Abandon()
	case io.Closer:
		return o.Close()
	}
	return nil
}
