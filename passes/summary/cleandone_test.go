package summary_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cleanShapes = `package p

type wouldBlock struct{}

func (wouldBlock) Error() string { return "would block" }

// ErrWouldBlock asks the caller to wait and call again.
//
//reentrycheck:yielderr
var ErrWouldBlock error = wouldBlock{}

type closedError struct{}

func (closedError) Error() string { return "closed" }

type E struct {
	hardErr error
	used    int
	size    int
	closed  bool
	checks  int
}

func (e *E) takeErr() error {
	err := e.hardErr
	e.hardErr = nil
	return err
}

// Writable consumes the pending error only on its way to an error exit.
func (e *E) Writable() (int, error) {
	if e.closed {
		if err := e.takeErr(); err != nil {
			return 0, err
		}
		return 0, closedError{}
	}
	avail := e.size - e.used
	if avail <= 0 {
		return 0, ErrWouldBlock
	}
	return avail, nil
}

// Counted counts its checks on the way to Done.
func (e *E) Counted() (int, error) {
	e.checks++
	avail := e.size - e.used
	if avail <= 0 {
		return 0, ErrWouldBlock
	}
	return avail, nil
}

// Forwarded returns what the helper said, which may be nil.
func (e *E) Forwarded() (int, error) {
	if e.closed {
		err := e.takeErr()
		return 0, err
	}
	if e.size <= e.used {
		return 0, ErrWouldBlock
	}
	return e.size - e.used, nil
}

// Armed writes on its way to the yield only.
func (e *E) Armed() (int, error) {
	if e.size <= e.used {
		e.checks = 1
		return 0, ErrWouldBlock
	}
	return e.size - e.used, nil
}
`

// A function that writes only on its way to a yield or an error is
// clean-done: a call of it that returned Done changed nothing.
func TestCleanDone(t *testing.T) {
	fs, _ := facts(t, cleanShapes)
	clean := func(name string) bool {
		require.NotNil(t, fs[name], name)
		return fs[name].CleanDone
	}
	assert.True(t, clean("E.Writable"), "writes only under an error exit")
	assert.True(t, clean("E.Armed"), "writes only on its way to the yield")
	assert.False(t, clean("E.Counted"), "writes on its way to Done")
	assert.False(t, clean("E.Forwarded"), "the helper's error may be nil: a Done exit")
}

// Errors spelled as a package's own interface, which need not be an error
// (gVisor's tcpip.Error is not): the carrier's non-nil values are still
// error exits.
const cleanTypeShapes = `package p

type Error interface{ isError() }

//reentrycheck:yielderr
type ErrWouldBlock struct{}

func (*ErrWouldBlock) isError() {}

type ErrClosed struct{}

func (*ErrClosed) isError() {}

type E struct {
	hard   Error
	closed bool
	n      int
}

func (e *E) take() Error {
	err := e.hard
	e.hard = nil
	return err
}

func (e *E) Writable() (int, Error) {
	if e.closed {
		if err := e.take(); err != nil {
			return 0, err
		}
		return 0, &ErrClosed{}
	}
	if e.n == 0 {
		return 0, &ErrWouldBlock{}
	}
	return e.n, nil
}

func (e *E) Consumed() (int, Error) {
	if e.closed {
		return 0, &ErrClosed{}
	}
	if e.n == 0 {
		return 0, &ErrWouldBlock{}
	}
	n := e.n
	e.n = 0
	return n, nil
}
`

func TestCleanDoneOwnErrorInterface(t *testing.T) {
	fs, _ := facts(t, cleanTypeShapes)
	require.NotNil(t, fs["E.Writable"])
	require.NotNil(t, fs["E.Consumed"])
	assert.True(t, fs["E.Writable"].CleanDone, "the pending error is consumed on an error exit only")
	assert.False(t, fs["E.Consumed"].CleanDone, "consumes its count on the way to Done")
}
