package rt

import (
	"errors"
	"fmt"
)

// Sentinel errors. Compare them with errors.Is.
var (
	// ErrAborted is the outcome of Completion.Abort, of IO.Cancel and of
	// simulator faults.
	ErrAborted = errors.New("rt: I/O aborted")

	// ErrLinkedTwice reports that a pending completion was added to a
	// second group (or twice to the same group). A completion is linked to
	// at most one group for its lifetime, at that group's Build; the usual
	// cause is rebuilding a group on re-entry instead of memoizing it (B24;
	// GroupOnce memoizes).
	ErrLinkedTwice = errors.New("rt: completion can only be linked to one group")

	// ErrGroupBuilt reports an Add after Build.
	ErrGroupBuilt = errors.New("rt: group already built; children must be added before Build")

	// ErrNilCompletion reports a nil completion passed where one is required.
	ErrNilCompletion = errors.New("rt: nil completion")

	// ErrMachineFinished is returned by Machine.Step once the machine has
	// returned Done. A finished machine is never restarted silently: replace
	// it with a new one.
	ErrMachineFinished = errors.New("rt: state machine already finished")

	// ErrNotFinalized is returned by Machine.Step when a transition returns
	// Finish without having finalized itself first. It is sticky: later
	// Steps return it again without stepping the transition.
	ErrNotFinalized = errors.New("rt: transition returned Finish before finalizing itself")

	// ErrSubmittedTwice reports a completion submitted to a backend a
	// second time (Completion.MarkSubmitted). A completion stands for one
	// operation; submit a new one.
	ErrSubmittedTwice = errors.New("rt: completion already submitted")

	// ErrCompletionBusy is returned by Completion.Reset (and ResetRead,
	// ...) for a completion that has not finished, or that was aborted
	// while a backend that claimed it with MarkSubmitted may still finish
	// it. Wait for it, or use a new completion.
	ErrCompletionBusy = errors.New("rt: completion not finished, or still held by a backend; it cannot be reset")

	// ErrNotResettable is returned by Completion.Reset for group
	// completions and the explicit-yield sentinel, which are never reused,
	// and by Reset (not ResetRead, ...) for a zero Completion, which has no
	// kind to keep.
	ErrNotResettable = errors.New("rt: group, explicit-yield and unarmed completions cannot be reset")

	// ErrStaleCompletion is the error a group finishes with when one of
	// its children was reset between Add and Build: the operation that was
	// added has finished and its outcome is gone.
	ErrStaleCompletion = errors.New("rt: completion was reset after it was added to a group")

	// ErrAbandoned is the error of a Stepper whose operation was given up
	// with Stepper.Abandon.
	ErrAbandoned = errors.New("rt: operation abandoned")

	// ErrChecksumNotEnabled reports a checksum operation on a store that has
	// checksums disabled.
	ErrChecksumNotEnabled = errors.New("rt: checksums not enabled")

	// errWaitReturnedEarly reports a backend whose IO.Wait returned
	// without error before the completion had finished.
	errWaitReturnedEarly = errors.New("rt: IO.Wait returned before the completion finished (backend bug)")

	// errNotSubmittable is MarkSubmitted's error for completions that no
	// backend submits.
	errNotSubmittable = errors.New("rt: group and explicit-yield completions are never submitted to a backend")

	// errNilError is stored when Completion.Fail is called with a nil error,
	// so that a failure is never silently turned into a success.
	errNilError = errors.New("rt: Completion.Fail called with a nil error")
)

// IOError is an error reported by a backend. It wraps the operating-system
// error instead of flattening it, so errors.Is(err, fs.ErrNotExist) and
// errors.As(err, *syscall.Errno) keep working.
type IOError struct {
	Op   string // "read", "write", "sync", "truncate", "open", ...
	Path string // file path, when known
	Err  error  // the underlying error
}

func (e *IOError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("rt: %s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("rt: %s %s: %v", e.Op, e.Path, e.Err)
}

// Unwrap returns the underlying (operating-system) error.
func (e *IOError) Unwrap() error { return e.Err }

// ShortReadError reports a read that returned fewer bytes than expected.
// Page identifies a page read (and is -1 otherwise); Offset is the byte
// offset of the read (used for WAL frames and other non-page reads).
type ShortReadError struct {
	Page     int64
	Offset   int64
	Expected int
	Actual   int
}

func (e *ShortReadError) Error() string {
	if e.Page >= 0 {
		return fmt.Sprintf("rt: short read of page %d: expected %d bytes, got %d", e.Page, e.Expected, e.Actual)
	}
	return fmt.Sprintf("rt: short read at offset %d: expected %d bytes, got %d", e.Offset, e.Expected, e.Actual)
}

// ShortWriteError reports a write that transferred fewer bytes than asked.
type ShortWriteError struct {
	Offset   int64
	Expected int
	Actual   int
}

func (e *ShortWriteError) Error() string {
	return fmt.Sprintf("rt: short write at offset %d: expected %d bytes, wrote %d", e.Offset, e.Expected, e.Actual)
}

// ChecksumError reports a checksum mismatch on a page.
type ChecksumError struct {
	Page     int64
	Expected uint64
	Actual   uint64
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("rt: checksum mismatch on page %d: expected %#x, got %#x", e.Page, e.Expected, e.Actual)
}

// PageMismatchError reports a frame that holds a different page than the
// one expected (Turso: WalFramePageMismatch).
type PageMismatchError struct {
	Frame    int64
	Expected int64
	Actual   int64
}

func (e *PageMismatchError) Error() string {
	return fmt.Sprintf("rt: frame %d holds page %d, expected page %d", e.Frame, e.Actual, e.Expected)
}

// DecryptionError reports a page that failed to decrypt.
type DecryptionError struct {
	Page int64
	Err  error // optional cause
}

func (e *DecryptionError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("rt: failed to decrypt page %d", e.Page)
	}
	return fmt.Sprintf("rt: failed to decrypt page %d: %v", e.Page, e.Err)
}

// Unwrap returns the cause, if any.
func (e *DecryptionError) Unwrap() error { return e.Err }

// CodecError reports a page that failed to decode.
type CodecError struct {
	Page int64
	Err  error // optional cause
}

func (e *CodecError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("rt: failed to decode page %d", e.Page)
	}
	return fmt.Sprintf("rt: failed to decode page %d: %v", e.Page, e.Err)
}

// Unwrap returns the cause, if any.
func (e *CodecError) Unwrap() error { return e.Err }

// CallbackPanicError is the outcome of a completion whose callback panicked.
// The completion still finishes (so that waiters and groups are not stuck)
// and the panic then continues on the completing goroutine.
type CallbackPanicError struct {
	Kind Kind
}

func (e *CallbackPanicError) Error() string {
	return "rt: " + e.Kind.String() + " completion callback panicked"
}
