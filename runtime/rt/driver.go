package rt

import (
	"context"
	"runtime"
)

// Abandoner is implemented by operations that hold resources (locks, pins,
// transaction state) across a yield. Go has no destructors, so a driver that
// gives an operation up at a yield (cancellation, an error) calls Abandon to
// restore invariants: an operation may be given up at any of its yields and
// never re-entered. Abandon must be idempotent.
type Abandoner interface {
	Abandon()
}

// Block runs op to completion (docs/model.md §6 Drivers): call op; Done ends the loop;
// IO means wait until the completion has finished (stepping io) and call op
// again from the top. An error from op, or from the awaited completion, ends
// the operation with that error. An explicit yield steps io once (letting
// other work progress) and calls op again.
//
// On cancellation of ctx Block abandons the operation at its yield and
// returns ctx.Err(): it never calls op again, and it never aborts the pending
// completion (an asynchronous backend may still write into its buffer; keep
// buffers referenced until their completions finish).
func Block[T any](ctx context.Context, io IO, op func() (IOResult[T], error)) (T, error) {
	return BlockWith(ctx, io, op, nil)
}

// BlockWith is Block for an operation that holds resources across a yield:
// whenever it gives op up without a Done (error, failed completion,
// cancellation) it calls a.Abandon() first. a may be nil.
func BlockWith[T any](ctx context.Context, io IO, op func() (IOResult[T], error), a Abandoner) (T, error) {
	var zero T
	giveUp := func(err error) (T, error) {
		if a != nil {
			a.Abandon()
		}
		return zero, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return giveUp(err)
		}
		r, err := op()
		if err != nil {
			return giveUp(err)
		}
		c := r.Completion()
		if c == nil {
			return r.Value(), nil
		}
		if c.IsExplicitYield() {
			// Nothing of ours is pending: let other work progress
			// before calling op again, so that a yield under
			// contention does not spin against the holder (B25).
			if err := io.Step(ctx); err != nil {
				return giveUp(err)
			}
			runtime.Gosched()
			continue
		}
		if err := io.Wait(ctx, c); err != nil {
			return giveUp(err)
		}
		if !c.Finished() {
			// Re-entering before the completion has finished would
			// let op consume an unfilled buffer.
			return giveUp(errWaitReturnedEarly)
		}
	}
}

// Run drives a state machine to completion with BlockWith, abandoning
// (finalizing) it if it is given up.
func Run[T any](ctx context.Context, io IO, m *Machine[T]) (T, error) {
	return BlockWith(ctx, io, m.Step, m)
}

// StepOutcome is what one Stepper.Step achieved.
type StepOutcome uint8

// The outcomes of Stepper.Step (docs/model.md §6 Drivers).
const (
	StepDone  StepOutcome = iota // the operation finished; Result holds its value
	StepIO                       // I/O is pending; Pending holds it; step again once it has finished
	StepYield                    // explicit yield: return to the scheduler, step again later (nothing stored)
	StepError                    // the operation failed; Step returned the error
)

var stepOutcomeNames = [...]string{"done", "io", "yield", "error"}

func (o StepOutcome) String() string {
	if int(o) < len(stepOutcomeNames) {
		return stepOutcomeNames[o]
	}
	return "StepOutcome(invalid)"
}

// Stepper is the statement-style driver (Turso's Program::normal_step;
// docs/model.md §6 Drivers). Each Step runs op until it cannot make
// progress without waiting, and distinguishes three cases:
//
//   - finished I/O: check its error, then re-execute op at once;
//   - explicit yield: return StepYield without storing anything;
//   - pending I/O: store the completion and return StepIO.
//
// A later Step first checks the stored completion: still pending returns
// StepIO again (op is not called), failed ends the operation with its error,
// succeeded re-executes op. Once op has returned Done, Step returns StepDone
// (and Result the value) without calling op again; once the operation has
// failed, Step returns StepError with the same error.
//
// Giving up: StepContext with a cancelled context, or Abandon, ends the
// operation at its yield with ctx.Err() or ErrAbandoned. Like BlockWith, a
// Stepper made with NewStepperWith calls its Abandoner's Abandon exactly
// once whenever the operation ends without Done (an error, a failed
// completion, cancellation, Abandon). It never aborts the pending
// completion: an asynchronous backend may still use its buffer, so keep
// Pending() referenced (or drain it) until it has finished. A Stepper is not
// safe for concurrent use.
type Stepper[T any] struct {
	op        func() (IOResult[T], error)
	a         Abandoner
	pending   *Completion
	result    T
	err       error
	done      bool
	abandoned bool // a.Abandon has been called
}

// NewStepper returns a Stepper for op.
func NewStepper[T any](op func() (IOResult[T], error)) *Stepper[T] {
	return &Stepper[T]{op: op}
}

// NewStepperWith returns a Stepper for op that calls a.Abandon() once when
// the operation ends without Done (see Stepper). a may be nil.
func NewStepperWith[T any](op func() (IOResult[T], error), a Abandoner) *Stepper[T] {
	return &Stepper[T]{op: op, a: a}
}

// NewMachineStepper returns a Stepper that drives m and abandons
// (finalizes) it when the operation ends without Done.
func NewMachineStepper[T any](m *Machine[T]) *Stepper[T] {
	return NewStepperWith(m.Step, m)
}

// Step advances the operation; see Stepper. It is StepContext with a
// context that is never cancelled.
func (s *Stepper[T]) Step() (StepOutcome, error) {
	return s.StepContext(context.Background())
}

// StepContext is Step, except that a cancelled ctx gives the operation up
// (before op is called again, never in the middle of op): it returns
// StepError with ctx.Err(), then and on every later Step.
func (s *Stepper[T]) StepContext(ctx context.Context) (StepOutcome, error) {
	switch {
	case s.err != nil:
		return StepError, s.err
	case s.done:
		return StepDone, nil
	}
	if err := ctx.Err(); err != nil {
		return s.fail(err)
	}
	if c := s.pending; c != nil {
		if !c.Finished() {
			return StepIO, nil
		}
		s.pending = nil
		if err := c.Err(); err != nil {
			return s.fail(err)
		}
	}
	for {
		r, err := s.op()
		if err != nil {
			return s.fail(err)
		}
		c := r.Completion()
		switch {
		case c == nil:
			s.result, s.done = r.Value(), true
			return StepDone, nil
		case c.IsExplicitYield():
			return StepYield, nil
		case !c.Finished():
			s.pending = c
			return StepIO, nil
		case c.Err() != nil:
			return s.fail(c.Err())
		}
		// Finished I/O: re-execute now, unless the context ended.
		if err := ctx.Err(); err != nil {
			return s.fail(err)
		}
	}
}

// Abandon gives the operation up at its current yield: later Steps return
// StepError with ErrAbandoned, and the Abandoner (NewStepperWith) is
// called. It is idempotent, and a no-op once the operation has finished or
// failed. The pending completion, if any, is kept (Pending) and not aborted.
func (s *Stepper[T]) Abandon() {
	if s.done || s.err != nil {
		return
	}
	_, _ = s.fail(ErrAbandoned)
}

func (s *Stepper[T]) fail(err error) (StepOutcome, error) {
	s.err = err
	if s.a != nil && !s.abandoned {
		s.abandoned = true
		s.a.Abandon()
	}
	return StepError, err
}

// Pending returns the stored pending completion, or nil. After the
// operation has been given up it still returns the completion that was
// pending then, so that its owner can wait for it before reusing buffers.
// It submits nothing.
//
//reentrycheck:idempotent
func (s *Stepper[T]) Pending() *Completion { return s.pending }

// Result returns the value op finished with (zero until StepDone).
func (s *Stepper[T]) Result() T { return s.result }

// Err returns the error the operation failed with, if any.
func (s *Stepper[T]) Err() error { return s.err }
