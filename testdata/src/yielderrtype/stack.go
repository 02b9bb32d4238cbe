// Package yielderrtype: a transport endpoint whose errors are values of a
// package's own error interface, and "would block" is one of its types. A
// caller waits on the endpoint's queue and calls again from the top.
package yielderrtype

import "sync"

// Error is the package's error interface.
type Error interface {
	error
	IgnoreStats() bool
}

// ErrWouldBlock: no data yet, wait and call again.
//
//reentrycheck:yielderr
type ErrWouldBlock struct{}

func (*ErrWouldBlock) Error() string     { return "operation would block" }
func (*ErrWouldBlock) IgnoreStats() bool { return true }

// ErrClosedForReceive: the peer is gone; the caller stops.
type ErrClosedForReceive struct{}

func (*ErrClosedForReceive) Error() string     { return "closed for receive" }
func (*ErrClosedForReceive) IgnoreStats() bool { return false }

// rcvQueue is what an endpoint reads from; it would-blocks when empty.
type rcvQueue struct{ data []byte }

func (q *rcvQueue) Read(p []byte) (int, Error) {
	if len(q.data) == 0 {
		return 0, &ErrWouldBlock{}
	}
	n := copy(p, q.data)
	q.data = q.data[n:]
	return n, nil
}

// LinkWriter is the layer below. Every method of the package returns
// Error, the package's whole error space: a call through the interface is
// not taken to would-block by its result type alone.
type LinkWriter interface {
	WritePacket(p []byte) Error
}

type counters struct{ packets, dropped, retransmits uint64 }

type Endpoint struct {
	src     *rcvQueue
	link    LinkWriter
	rcvNxt  uint32
	stats   counters
	segment []byte
}

// ReadSegmentBuggy advances the sequence number before the read that may
// would-block: the retry advances it again and the peer's data is
// mis-sequenced.
func (e *Endpoint) ReadSegmentBuggy(p []byte) (int, Error) {
	e.rcvNxt += uint32(len(p)) // want `increments e\.rcvNxt before the yield at stack\.go:\d+`
	n, err := e.src.Read(p)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// The silent twin: the sequence number moves after the data arrived.
func (e *Endpoint) ReadSegment(p []byte) (int, Error) {
	n, err := e.src.Read(p)
	if err != nil {
		return 0, err
	}
	e.rcvNxt += uint32(n)
	return n, nil
}

// ReadCounting counts dropped packets on real errors only: the type switch
// sends the would-block back, and under its default arm the return is an
// error exit, not a yield.
func (e *Endpoint) ReadCounting(p []byte) (int, Error) {
	n, err := e.src.Read(p)
	switch err.(type) {
	case nil:
		e.stats.packets++
		return n, nil
	case *ErrWouldBlock:
		return 0, err
	default:
		e.stats.dropped++
		return 0, err
	}
}

// RetransmitBuggy counts a retransmission and then waits for the window:
// the count is repeated by every retry.
func (e *Endpoint) RetransmitBuggy(window int) Error {
	e.stats.retransmits++ // want `increments e\.stats\.retransmits before the yield at stack\.go:\d+`
	if window == 0 {
		return &ErrWouldBlock{}
	}
	return nil
}

// The silent twin: the count moves only when the segment goes out.
func (e *Endpoint) Retransmit(window int) Error {
	if window == 0 {
		return &ErrWouldBlock{}
	}
	e.stats.retransmits++
	return nil
}

// Close is no resumable function: it returns only ErrClosedForReceive.
func (e *Endpoint) Close() Error {
	e.segment = nil
	return &ErrClosedForReceive{}
}

// Send counts the packet and hands it to the link through an interface
// whose result is the package's error interface: silent, since nothing
// says the link would-blocks (WritePacket's errors are error exits).
func (e *Endpoint) Send(p []byte) Error {
	e.stats.packets++
	return e.link.WritePacket(p)
}

// SendBuggy counts the packet and then reads the reply, which may
// would-block: the retry counts the packet twice.
func (e *Endpoint) SendBuggy(p []byte) Error {
	e.stats.packets++ // want `increments e\.stats\.packets before the yield at stack\.go:\d+`
	if err := e.link.WritePacket(p); err != nil {
		return err
	}
	_, err := e.src.Read(p)
	return err
}

type readErrors struct{ closed counter }

type counter struct{ n uint64 }

func (c *counter) Increment() { c.n++ }

type Queue struct {
	mu     sync.Mutex
	items  [][]byte
	closed bool
	errs   readErrors
}

func (q *Queue) release([]byte) {}

// Read counts a closed read on its own path; the merged return yields
// only on the other.
func (q *Queue) Read() ([]byte, Error) {
	q.mu.Lock()
	if len(q.items) == 0 {
		var err Error = &ErrWouldBlock{}
		if q.closed {
			q.errs.closed.Increment()
			err = &ErrClosedForReceive{}
		}
		q.mu.Unlock()
		return nil, err
	}
	b := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	defer q.release(b) // a defer: the results go through result cells
	return b, nil
}
