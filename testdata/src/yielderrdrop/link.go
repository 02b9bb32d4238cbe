// Package yielderrdrop: a link layer whose would-block is a drop. A NIC
// reads frames from a ring and hands them up; when the ring is empty, or the
// transmit queue full, the syscall says EAGAIN and the code returns
// ErrWouldBlock, the same sentinel the socket layer uses for "call me
// again". Here its callers stop the read loop, or drop the frame and send
// the next: nobody re-enters with the same input, so what the function did
// before the would-block is not repeated. Where a caller waits and calls
// again, the same code is a bug.
package yielderrdrop

import (
	"errors"
)

// ErrWouldBlock: the operation cannot proceed now.
//
//reentrycheck:yielderr
var ErrWouldBlock = errors.New("operation would block")

var errClosed = errors.New("closed")

type frame struct {
	data []byte
	hdr  []byte
}

type ring struct {
	slots  [][]byte
	head   int
	kernel []bool
}

type stats struct{ polls, rx, tx, dropped int }

// linkDispatcher reads inbound frames; dispatch returns false when the
// endpoint stops.
type linkDispatcher interface {
	dispatch() (bool, error)
}

type mmapDispatcher struct {
	ring    *ring
	stats   *stats
	deliver func([]byte)
}

// dispatch counts the poll, then hands the ready frames up, or
// would-blocks when none is ready. Its only caller is dispatchLoop, which
// stops at any error: a would-block ends the loop, and the count is right.
func (d *mmapDispatcher) dispatch() (bool, error) {
	d.stats.polls++
	r := d.ring
	if len(r.slots) == 0 || r.kernel[r.head] {
		return false, ErrWouldBlock
	}
	for !r.kernel[r.head] {
		d.deliver(r.slots[r.head])
		r.kernel[r.head] = true
		r.head = (r.head + 1) % len(r.slots)
		d.stats.rx++
	}
	return true, nil
}

type Endpoint struct {
	inbound linkDispatcher
	closed  func(error)
	tx      [][]byte
	txCap   int
	stats   stats
}

// dispatchLoop runs on its own goroutine: it stops and reports at the first
// error, would-block included.
func (e *Endpoint) dispatchLoop() {
	for {
		cont, err := e.inbound.dispatch()
		if err != nil || !cont {
			if e.closed != nil {
				e.closed(err)
			}
			return
		}
	}
}

// Attach starts the inbound loop.
func (e *Endpoint) Attach() {
	go e.dispatchLoop()
}

// writeFrame pushes the link header onto the frame and queues it, or
// would-blocks when the transmit queue is full. Its caller drops the frame
// and sends the next: the header pushed on a dropped frame is never pushed
// twice.
func (e *Endpoint) writeFrame(f *frame) error {
	f.hdr = append(f.hdr, 0xee)
	e.stats.tx++
	if len(e.tx) >= e.txCap {
		return ErrWouldBlock
	}
	e.tx = append(e.tx, f.data)
	return nil
}

// DeliverFrames drops a frame the queue cannot take and goes on.
func (e *Endpoint) DeliverFrames(frames []*frame) int {
	n := 0
	for _, f := range frames {
		if err := e.writeFrame(f); err != nil {
			e.stats.dropped++
			continue
		}
		n++
	}
	return n
}

// ---- the same shapes where a caller calls again ----

type pollDispatcher interface {
	poll() (bool, error)
}

type countingPoller struct {
	ring  *ring
	stats *stats
}

// poll counts before it would-blocks, and its caller waits and polls
// again: the count is repeated on every retry.
func (p *countingPoller) poll() (bool, error) {
	p.stats.polls++ // want `increments p\.stats\.polls before the yield at link\.go:\d+`
	r := p.ring
	if len(r.slots) == 0 || r.kernel[r.head] {
		return false, ErrWouldBlock
	}
	r.kernel[r.head] = true
	r.head = (r.head + 1) % len(r.slots)
	return true, nil
}

type Poller struct {
	in   pollDispatcher
	wait func()
}

// Run tells the would-block from other errors and polls again.
func (p *Poller) Run() error {
	for {
		cont, err := p.in.poll()
		if errors.Is(err, ErrWouldBlock) {
			p.wait()
			continue
		}
		if err != nil || !cont {
			return err
		}
	}
}

// queueFrame is writeFrame's shape with a caller that retries the same
// frame until the queue takes it: the header is pushed again each time.
func (e *Endpoint) queueFrame(f *frame) error {
	f.hdr = append(f.hdr, 0xee) // want `appends to f\.hdr before the yield at link\.go:\d+`
	if len(e.tx) >= e.txCap {
		return ErrWouldBlock
	}
	e.tx = append(e.tx, f.data)
	return nil
}

// SendReliably spins on the same frame until it is queued.
func (e *Endpoint) SendReliably(f *frame) {
	for e.queueFrame(f) != nil {
	}
}

var _ = errClosed
