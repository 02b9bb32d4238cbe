// Package netq is the corpus in the sentinel-error spelling: the receive and
// send path of a small network stack. An endpoint that cannot go on (no
// segment queued, the send window full, no connection to accept) returns
// ErrWouldBlock; its caller waits for readiness and calls it again from the
// top.
package netq

import (
	"errors"
	"fmt"
)

// ErrWouldBlock means the endpoint is not ready: wait for readability (a
// segment queued) or writability (the window opened) and call again.
//
//reentrycheck:yielderr
var ErrWouldBlock = errors.New("netq: operation would block")

// ErrClosed is an ordinary error: the endpoint is gone, do not call again.
var ErrClosed = errors.New("netq: endpoint closed")

// Segment is one unit on the wire.
type Segment struct {
	Seq  uint32
	Flag byte // FlagData, FlagFin, FlagAck, FlagSyn
	Data []byte
}

// Segment flags.
const (
	FlagData byte = iota
	FlagFin
	FlagAck
	FlagSyn
)

// rcvQueue holds the segments the stack has delivered to the endpoint.
type rcvQueue struct{ segs []Segment }

// pop removes the oldest segment, or would-blocks when none is queued.
func (q *rcvQueue) pop() (Segment, error) {
	if len(q.segs) == 0 {
		return Segment{}, ErrWouldBlock
	}
	s := q.segs[0]
	q.segs = q.segs[1:]
	return s, nil
}

// sndWindow is the peer's advertised window and what has been sent into it.
type sndWindow struct {
	avail int       // bytes the peer can take now
	sent  []Segment // on the wire, in order
}

// push sends s when the window has room for it, or would-blocks. A
// segment without data still takes one unit, as SYN and FIN do in TCP.
func (w *sndWindow) push(s Segment) error {
	n := len(s.Data)
	if n == 0 {
		n = 1
	}
	if w.avail < n {
		return ErrWouldBlock
	}
	w.avail -= n
	w.sent = append(w.sent, s)
	return nil
}

// Stats are the endpoint's counters, as a stack exports them.
type Stats struct {
	Reads, Writes     int
	BytesIn, BytesOut int
	Retransmits       int
	Errors            int
	Waits             int // would-blocks seen; one per yield by design
}

// Endpoint is one connection's end.
type Endpoint struct {
	rcv   rcvQueue
	snd   sndWindow
	wire  []Segment // arrived, not yet delivered to rcv
	Stats Stats

	SndNxt   uint32 // sequence number of the next byte to send
	RcvNxt   uint32 // sequence number of the next byte expected
	RTOArmed bool   // the retransmit timer is running
	RetxLog  []uint32
	Closed   bool

	// the record being read: its header segment, once taken
	recHdr   Segment
	recPhase int

	// the segment being echoed, once taken
	echo    Segment
	echoing bool

	// the close handshake
	closeState int

	// the reader of ReadN
	reader Reader
}

// NewEndpoint returns an endpoint whose peer has sent in (segments still
// on the wire until Deliver moves them) and advertises window bytes.
func NewEndpoint(in []Segment, window int) *Endpoint {
	return &Endpoint{wire: append([]Segment(nil), in...), snd: sndWindow{avail: window}}
}

// Deliver moves n segments from the wire to the receive queue, as the
// stack's receive softirq does.
func (e *Endpoint) Deliver(n int) {
	if n > len(e.wire) {
		n = len(e.wire)
	}
	e.rcv.segs = append(e.rcv.segs, e.wire[:n]...)
	e.wire = e.wire[n:]
}

// Pending is how many segments are still on the wire.
func (e *Endpoint) Pending() int { return len(e.wire) }

// OpenWindow adds n bytes to the send window, as an ACK from the peer does.
func (e *Endpoint) OpenWindow(n int) { e.snd.avail += n }

// Sent is what went on the wire, for the peer (and the tests) to look at.
func (e *Endpoint) Sent() []Segment { return e.snd.sent }

// Queued is what is still in the receive queue.
func (e *Endpoint) Queued() []Segment { return e.rcv.segs }

// String is the endpoint's observable state. The unread input is the
// receive queue followed by what is still on the wire: where the boundary
// lies depends on delivery timing, what is left to read does not. The
// window's free space is left out for the same reason.
func (e *Endpoint) String() string {
	unread := append(append([]Segment(nil), e.rcv.segs...), e.wire...)
	return fmt.Sprintf("stats=%+v snd=%d rcv=%d rto=%v retx=%v closed=%v sent=%v unread=%v",
		e.Stats, e.SndNxt, e.RcvNxt, e.RTOArmed, e.RetxLog, e.Closed, e.snd.sent, unread)
}
