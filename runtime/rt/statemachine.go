package rt

// TransitionResult is the result of one step of a Transition: Continue (made progress, step again at once; not a yield), Finish(v)
// (finished with v) or IO(c) (needs I/O; the only yielding variant). The zero
// value is Continue.
//
//reentrycheck:ioresult
type TransitionResult[T any] struct {
	value    T
	c        *Completion
	finished bool
}

// Continue reports progress: the machine steps the transition again at once.
//
//reentrycheck:done
func Continue[T any]() TransitionResult[T] {
	return TransitionResult[T]{}
}

// Finish reports that the transition finished with v. The transition must
// have finalized itself before returning it.
//
//reentrycheck:done
func Finish[T any](v T) TransitionResult[T] {
	return TransitionResult[T]{value: v, finished: true}
}

// TransitionIO reports that the transition needs I/O and yields on c
// (possibly the explicit-yield sentinel). It panics on a nil completion.
func TransitionIO[T any](c *Completion) TransitionResult[T] {
	if c == nil {
		panic("rt.TransitionIO: nil completion (use rt.YieldCompletion() for an explicit yield)")
	}
	return TransitionResult[T]{c: c}
}

// ForwardTransition propagates a callee's result out of Transition.Step:
// it is Forward for transitions. It returns (zero, err) if err is non-nil,
// and otherwise TransitionIO of r's completion, the same object. It is meant
// for the exit of the idiom
//
//	r, err := s.tree.Insert(key)
//	if err != nil || r.IsIO() {
//		// Re-entrancy: ...
//		return rt.ForwardTransition[int](r, err)
//	}
//
// and, unlike Forward, it panics if r is Done and err is nil: that is a
// forgotten IsIO check, and r's value would be lost.
func ForwardTransition[T, U any](r IOResult[U], err error) (TransitionResult[T], error) {
	if err != nil {
		return TransitionResult[T]{}, err
	}
	if r.c == nil {
		panic("rt.ForwardTransition: the result is Done (check IsIO before forwarding; use Get)")
	}
	return TransitionResult[T]{c: r.c}, nil
}

// IsIO reports whether r yields on a completion.
func (r TransitionResult[T]) IsIO() bool { return r.c != nil }

// IsContinue reports whether r is Continue.
func (r TransitionResult[T]) IsContinue() bool { return r.c == nil && !r.finished }

// IsFinished reports whether r is Finish(v).
func (r TransitionResult[T]) IsFinished() bool { return r.c == nil && r.finished }

// Value returns the Finish value (zero otherwise).
func (r TransitionResult[T]) Value() T { return r.value }

// Completion returns the completion of the IO variant; nil otherwise.
func (r TransitionResult[T]) Completion() *Completion { return r.c }

// Transition is one state machine's logic (Turso's StateTransition). Step is
// called again from the top after every IO; all progress must live in the
// implementation's fields. Before returning Finish, Step must call Finalize
// on itself. Finalize cleans up and is also the abort path; it must be
// idempotent. IsFinalized reports whether Finalize has run.
type Transition[T any] interface {
	Step() (TransitionResult[T], error)
	Finalize()
	IsFinalized() bool
}

// Machine drives a Transition (Turso's StateMachine).
//
// Step loops on Continue, returns IO on TransitionIO, and on Finish checks
// that the transition finalized itself, marks the machine finished and
// returns Done; a transition that finishes without finalizing makes Step
// return ErrNotFinalized, then and on every later Step, without stepping
// the transition again. An error from the transition propagates and leaves the
// machine unfinished and unfinalized; the owner decides between Finalize (the
// abort path) and discarding it. Stepping a finished (or finalized, for
// example abandoned) machine returns ErrMachineFinished: a finished machine
// is never restarted silently.
//
// Machine implements Abandoner: Abandon finalizes the transition if it has
// not finalized itself, so a driver that gives up the operation (Block on
// cancellation) releases what the transition holds.
type Machine[T any] struct {
	t        Transition[T]
	finished bool
	misuse   error // sticky: ErrNotFinalized
}

// NewMachine returns a machine driving t.
func NewMachine[T any](t Transition[T]) *Machine[T] {
	return &Machine[T]{t: t}
}

// Step advances the machine until it needs I/O, finishes or fails.
func (m *Machine[T]) Step() (IOResult[T], error) {
	if m.misuse != nil {
		return IOResult[T]{}, m.misuse
	}
	if m.finished || m.t.IsFinalized() {
		return IOResult[T]{}, ErrMachineFinished
	}
	for {
		// Re-calling Step after Continue is the machine's contract:
		// Continue means the transition committed its progress in its
		// own state, so the call is not repeated work.
		r, err := m.t.Step()
		if err != nil {
			return IOResult[T]{}, err
		}
		if r.c != nil {
			// Re-entrancy: the transition keeps its progress in its own
			// fields; the machine itself changes nothing before yielding.
			return Wait[T](r.c), nil
		}
		if r.finished {
			if !m.t.IsFinalized() {
				m.misuse = ErrNotFinalized
				return IOResult[T]{}, ErrNotFinalized
			}
			m.finished = true
			return Done(r.value), nil
		}
	}
}

// Finalize finalizes the transition (the explicit abort path). It is
// idempotent: a finalized transition is not finalized again.
func (m *Machine[T]) Finalize() {
	if !m.t.IsFinalized() {
		m.t.Finalize()
	}
}

// IsFinalized reports whether the transition has finalized itself.
func (m *Machine[T]) IsFinalized() bool { return m.t.IsFinalized() }

// IsFinished reports whether Step has returned Done.
func (m *Machine[T]) IsFinished() bool { return m.finished }

// Abandon is Finalize; drivers call it when they give the operation up.
func (m *Machine[T]) Abandon() { m.Finalize() }
