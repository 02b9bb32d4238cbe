// Package yielderrspace: errors in the style of gVisor's netstack. The
// package's error interface leaves out the Error method on purpose, so that
// its values are never passed as error; "would block" is one of its types.
package yielderrspace

// Error is the package's error space.
type Error interface {
	isError()
	IgnoreStats() bool
	String() string
}

// ErrWouldBlock: wait for the queue and call again.
//
//reentrycheck:yielderr
type ErrWouldBlock struct{}

func (*ErrWouldBlock) isError()          {}
func (*ErrWouldBlock) IgnoreStats() bool { return true }
func (*ErrWouldBlock) String() string    { return "operation would block" }

// ErrClosedForSend: the caller stops.
type ErrClosedForSend struct{}

func (*ErrClosedForSend) isError()          {}
func (*ErrClosedForSend) IgnoreStats() bool { return false }
func (*ErrClosedForSend) String() string    { return "endpoint is closed for send" }

type sndQueue struct {
	used, limit int
}

// reserve takes room in the send buffer, or would-blocks when it is full.
func (q *sndQueue) reserve(n int) Error {
	if q.used+n > q.limit {
		return &ErrWouldBlock{}
	}
	q.used += n
	return nil
}

type Endpoint struct {
	snd     sndQueue
	closed  bool
	written uint64
	pending [][]byte
}

// WriteBuggy counts the bytes before reserving room: when the buffer is
// full the caller waits and calls again, and the bytes are counted twice.
func (e *Endpoint) WriteBuggy(p []byte) (int64, Error) {
	e.written += uint64(len(p)) // want `e\.written .*before the yield at tcpip\.go:\d+`
	if err := e.snd.reserve(len(p)); err != nil {
		return 0, err
	}
	e.pending = append(e.pending, p)
	return int64(len(p)), nil
}

// Write is the silent twin: it counts once the room is reserved.
func (e *Endpoint) Write(p []byte) (int64, Error) {
	if e.closed {
		return 0, &ErrClosedForSend{}
	}
	if err := e.snd.reserve(len(p)); err != nil {
		return 0, err
	}
	e.written += uint64(len(p))
	e.pending = append(e.pending, p)
	return int64(len(p)), nil
}

// Shutdown returns only ErrClosedForSend: no resumable function.
func (e *Endpoint) Shutdown() Error {
	e.closed = true
	e.pending = nil
	return &ErrClosedForSend{}
}
