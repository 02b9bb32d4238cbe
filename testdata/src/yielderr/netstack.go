// Package yielderr: a receive path in the style of a network stack, where
// "not finished, call me again" is a sentinel error. The caller waits for
// the endpoint to become readable and calls again from the top.
package yielderr

import (
	"errors"
	"fmt"
)

// ErrWouldBlock means no data is queued yet: wait for readability and call
// again.
//
//reentrycheck:yielderr
var ErrWouldBlock = errors.New("operation would block")

// ErrClosed is an ordinary error: the caller stops.
var ErrClosed = errors.New("endpoint closed")

type queue struct{ buf []byte }

// take removes up to n queued bytes, or would-blocks when none are queued.
func (q *queue) take(n int) ([]byte, error) {
	if len(q.buf) == 0 {
		return nil, ErrWouldBlock
	}
	if n > len(q.buf) {
		n = len(q.buf)
	}
	out := q.buf[:n]
	q.buf = q.buf[n:]
	return out, nil
}

// peek looks without consuming; it never blocks.
func (q *queue) peek() []byte { return q.buf }

type stats struct{ reads, bytes, errors, waits int }

type Endpoint struct {
	rcv    queue
	closed bool
	stats  stats
	hdr    []byte // the header of the message being read, once taken
	phase  int    // 0: reading the header, 1: reading the body
	last   error
}

// ReadCounted counts a read before finding out whether it would block: a
// would-block and the retry count it twice.
func (e *Endpoint) ReadCounted(n int) ([]byte, error) {
	e.stats.reads++ // want `increments e\.stats\.reads before the yield at netstack\.go:\d+`
	b, err := e.rcv.take(n)
	if err != nil {
		return nil, err
	}
	e.stats.bytes += len(b)
	return b, nil
}

// The silent twin: the statistics move only once the read has happened.
func (e *Endpoint) Read(n int) ([]byte, error) {
	if e.closed {
		return nil, ErrClosed
	}
	b, err := e.rcv.take(n)
	if err != nil {
		return nil, err
	}
	e.stats.reads++
	e.stats.bytes += len(b)
	return b, nil
}

// ReadMessageBuggy takes a header and then a body: when the body would
// block, the retry takes a second header out of the queue.
func (e *Endpoint) ReadMessageBuggy() ([]byte, error) {
	hdr, err := e.rcv.take(2) // want `calls e\.rcv\.take, which already returned Done, runs again when the yield at netstack\.go:\d+ re-enters`
	if err != nil {
		return nil, err
	}
	body, err := e.rcv.take(int(hdr[1]))
	if err != nil {
		return nil, err
	}
	return body, nil
}

// The silent twin: the header is kept once taken, and the retry resumes at
// the body.
func (e *Endpoint) ReadMessage() ([]byte, error) {
	switch e.phase {
	case 0:
		hdr, err := e.rcv.take(2)
		if err != nil {
			return nil, err
		}
		e.hdr, e.phase = hdr, 1
		fallthrough
	case 1:
		body, err := e.rcv.take(int(e.hdr[1]))
		if err != nil {
			return nil, err
		}
		e.phase = 0
		return body, nil
	}
	return nil, ErrClosed
}

// ReadChecked counts errors, but only real ones: under the guard the
// return is an error exit, never a yield, so the count is not repeated by
// a retry. The would-block is forwarded through errors.Is.
func (e *Endpoint) ReadChecked(n int) ([]byte, error) {
	b, err := e.rcv.take(n)
	if err != nil && !errors.Is(err, ErrWouldBlock) {
		e.stats.errors++
		return nil, err
	}
	if errors.Is(err, ErrWouldBlock) {
		return nil, err
	}
	return b, nil
}

// ReadCountingWaits counts would-blocks on the yield path itself: that
// write runs once per yield, and re-entry repeats it only by yielding
// again, which is what it counts.
func (e *Endpoint) ReadCountingWaits(n int) ([]byte, error) {
	b, err := e.rcv.take(n)
	if errors.Is(err, ErrWouldBlock) {
		e.stats.waits++
		return nil, fmt.Errorf("read: %w", err)
	}
	return b, err
}

// The silent twin: the error count skips the would-block, which is
// returned wrapped (errors.Is sees through %w).
func (e *Endpoint) ReadWrapped(n int) ([]byte, error) {
	b, err := e.rcv.take(n)
	if err == ErrWouldBlock {
		return nil, fmt.Errorf("read: %w", err)
	}
	if err != nil {
		e.stats.errors++
		return nil, err
	}
	return b, nil
}

// Drain reads until the queue would block, and reports success: the
// would-block of the last take is swallowed, but that is the loop's end
// condition, not a lost yield, and Drain itself never yields.
func (e *Endpoint) Drain() int {
	n := 0
	for {
		b, err := e.rcv.take(64)
		if err != nil {
			return n
		}
		n += len(b)
	}
}

// DiscardBuggy throws the result of a read that may would-block away: the
// caller is told nothing about the retry it owes.
func (e *Endpoint) DiscardBuggy() error {
	e.rcv.take(1) // want `the result of take is discarded`
	return nil
}

// The silent twin: the read's error is returned.
func (e *Endpoint) Discard() error {
	_, err := e.rcv.take(1)
	return err
}

// Peek never yields: it is no resumable function, and its write is free.
func (e *Endpoint) Peek() []byte {
	e.stats.reads++
	return e.rcv.peek()
}

// ReadOrEmptyBuggy turns a would-block into an empty, successful read: the
// caller never learns it owes a retry, and the data that arrives later is
// never read by this call.
func (e *Endpoint) ReadOrEmptyBuggy(n int) ([]byte, error) {
	if e.closed {
		return nil, ErrClosed
	}
	b, err := e.rcv.take(n) // want `the yield of e\.rcv\.take is swallowed`
	if err != nil && err != ErrWouldBlock {
		return nil, err
	}
	return b, nil
}

// The silent twin: the would-block goes back to the caller.
func (e *Endpoint) ReadOrError(n int) ([]byte, error) {
	if e.closed {
		return nil, ErrClosed
	}
	b, err := e.rcv.take(n)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// packet buffers are counted in package state while alive, as leak
// checkers do.
type packet struct{ data []byte }

var live int

func newPacket(n int) *packet {
	live++
	return &packet{data: make([]byte, n)}
}

func (p *packet) fill(b []byte) { copy(p.data, b) }

func (p *packet) release() { live-- }

// Send acquires a packet for this call and releases it by a deferred call:
// the count is as it was when the would-block returns, so the retry
// repeats nothing.
func (e *Endpoint) Send(b []byte) error {
	pkt := newPacket(len(b))
	defer pkt.release()
	pkt.fill(b)
	if len(e.rcv.buf) > 64 {
		return ErrWouldBlock
	}
	e.rcv.buf = append(e.rcv.buf, pkt.data...)
	return nil
}

// SendBuggy releases the packet only on success: every would-block leaves
// one more registered.
func (e *Endpoint) SendBuggy(b []byte) error {
	pkt := newPacket(len(b)) // want `calls yielderr\.newPacket, which mutates package state before the yield at netstack\.go:\d+`
	pkt.fill(b)
	if len(e.rcv.buf) > 64 {
		return ErrWouldBlock
	}
	e.rcv.buf = append(e.rcv.buf, pkt.data...)
	pkt.release()
	return nil
}

// A write context is acquired with the endpoint's route and counted in
// package state while alive; prepareWrite returns it inside a struct, by
// value, with the ports it resolved.
type writeCtx struct{ route []byte }

func (c *writeCtx) Release() { live-- }

type writeInfo struct {
	ctx  writeCtx
	port uint16
}

func (e *Endpoint) prepareWrite() (writeInfo, error) {
	if e.closed {
		return writeInfo{}, ErrClosed
	}
	live++
	return writeInfo{ctx: writeCtx{route: e.hdr}, port: 7}, nil
}

// SendInfo releases the context it got inside prepareWrite's result by a
// deferred call: the count is back when the would-block returns.
func (e *Endpoint) SendInfo(b []byte) error {
	info, err := e.prepareWrite()
	if err != nil {
		return err
	}
	defer info.ctx.Release()
	if len(e.rcv.buf) > 64 {
		return ErrWouldBlock
	}
	e.rcv.buf = append(e.rcv.buf, b...)
	return nil
}

// SendInfoBuggy releases it only on success: every would-block leaves one
// more context counted.
func (e *Endpoint) SendInfoBuggy(b []byte) error {
	info, err := e.prepareWrite() // want `calls e\.prepareWrite, which mutates package state before the yield at netstack\.go:\d+`
	if err != nil {
		return err
	}
	if len(e.rcv.buf) > 64 {
		return ErrWouldBlock
	}
	e.rcv.buf = append(e.rcv.buf, b...)
	info.ctx.Release()
	return nil
}

// ReadFresh returns a fresh would-block when take would block (the ready!
// idiom in this spelling): take is being called again, not abandoned, and
// nothing before it repeats.
func (e *Endpoint) ReadFresh(n int) ([]byte, error) {
	b, err := e.rcv.take(n)
	if errors.Is(err, ErrWouldBlock) {
		return nil, ErrWouldBlock
	}
	if err != nil {
		return nil, err
	}
	e.stats.reads++
	return b, nil
}

// ReadFreshBuggy counts before the take whose would-block it answers with
// a fresh one: the retry counts again.
func (e *Endpoint) ReadFreshBuggy(n int) ([]byte, error) {
	e.stats.reads++ // want `increments e\.stats\.reads before the yield at netstack\.go:\d+`
	b, err := e.rcv.take(n)
	if errors.Is(err, ErrWouldBlock) {
		return nil, ErrWouldBlock
	}
	return b, err
}

// ReadPairFreshBuggy: the first take finished; the second's would-block is
// answered fresh, and the retry takes the first again.
func (e *Endpoint) ReadPairFreshBuggy() ([]byte, error) {
	a, err := e.rcv.take(1) // want `calls e\.rcv\.take, which already returned Done, runs again when the yield at netstack\.go:\d+ re-enters`
	if err != nil {
		return nil, err
	}
	b, err := e.rcv.take(1)
	if err == ErrWouldBlock {
		return nil, ErrWouldBlock
	}
	return append(a, b...), err
}

// ReadFlattenedBuggy turns the would-block into a message (%v, not %w): the
// caller's errors.Is no longer sees it and gives up instead of calling
// again.
func (e *Endpoint) ReadFlattenedBuggy(n int) ([]byte, error) {
	b, err := e.rcv.take(n) // want `the yield of e\.rcv\.take is swallowed`
	if err != nil {
		return nil, fmt.Errorf("read: %v", err)
	}
	return b, nil
}

// ReadOrNothingBuggy answers a would-block with an empty success.
func (e *Endpoint) ReadOrNothingBuggy(n int) ([]byte, error) {
	b, err := e.rcv.take(n) // want `the yield of e\.rcv\.take is swallowed`
	if errors.Is(err, ErrWouldBlock) {
		return nil, nil
	}
	return b, err
}

// request is an operation a caller asked for.
type request struct{ n int }

// parked holds the requests waiting for data.
type parked struct{ waiting []*request }

func (p *parked) park(r *request) { p.waiting = append(p.waiting, r) }

func (p *parked) note(n int) { _ = n }

// Server serves requests from an endpoint.
type Server struct {
	ep      Endpoint
	pending parked
	byN     map[int]*request
	served  int
	blocked int
}

func (s *Server) readFor(r *request) ([]byte, error) { return s.ep.rcv.take(r.n) }

// ServeParked answers a would-block by parking the request: the queue's
// owner serves it again when data arrives, so the yield is handed over,
// not swallowed.
func (s *Server) ServeParked(r *request) error {
	b, err := s.readFor(r)
	if errors.Is(err, ErrWouldBlock) {
		s.pending.park(r)
		return nil
	}
	if err != nil {
		return err
	}
	s.served += len(b)
	return nil
}

// ServeDroppedBuggy answers it with success and keeps nothing of the
// request: whoever asked believes it served, and nothing retries it.
func (s *Server) ServeDroppedBuggy(r *request) error {
	b, err := s.readFor(r) // want `the yield of s\.readFor is swallowed`
	if errors.Is(err, ErrWouldBlock) {
		s.pending.note(r.n)
		return nil
	}
	if err != nil {
		return err
	}
	s.served += len(b)
	return nil
}

func (p *parked) parkOrFull(r *request) error {
	if len(p.waiting) > 16 {
		return errors.New("queue full")
	}
	p.waiting = append(p.waiting, r)
	return nil
}

// ServeQueued returns what parking the request says (a full queue is an
// error): the would-block is still handed to the queue, not swallowed.
func (s *Server) ServeQueued(r *request) error {
	b, err := s.readFor(r)
	switch {
	case errors.Is(err, ErrWouldBlock):
		return s.pending.parkOrFull(r)
	case err != nil:
		return err
	}
	s.served += len(b)
	return nil
}

// ring is a bounded transmit queue: tryPush queues a frame, or reports
// false and queues nothing when the ring is full.
type ring struct {
	slots  [][]byte
	pushes int
}

func (q *ring) tryPush(b []byte) bool {
	if len(q.slots) == cap(q.slots) {
		return false
	}
	q.slots = append(q.slots, b)
	q.pushes++
	return true
}

// Link transmits frames through its ring.
type Link struct {
	tx   ring
	sent int
}

// Transmit yields when the ring is full: re-entry retries the push, which
// did nothing when it failed.
func (l *Link) Transmit(b []byte) error {
	if !l.tx.tryPush(b) {
		return ErrWouldBlock
	}
	l.sent++
	return nil
}

// TransmitCountedBuggy counts the frame before the push that may fail:
// every retry counts it again.
func (l *Link) TransmitCountedBuggy(b []byte) error {
	l.sent++ // want `increments l\.sent before the yield at netstack\.go:\d+`
	if ok := l.tx.tryPush(b); !ok {
		return ErrWouldBlock
	}
	return nil
}

// ServeParkedInline parks the request by appending it to the queue itself.
func (s *Server) ServeParkedInline(r *request) error {
	b, err := s.readFor(r)
	if errors.Is(err, ErrWouldBlock) {
		s.pending.waiting = append(s.pending.waiting, r)
		return nil
	}
	if err != nil {
		return err
	}
	s.served += len(b)
	return nil
}

// ServeParkedByN parks it in a map.
func (s *Server) ServeParkedByN(r *request) error {
	b, err := s.readFor(r)
	if errors.Is(err, ErrWouldBlock) {
		s.byN[r.n] = r
		return nil
	}
	if err != nil {
		return err
	}
	s.served += len(b)
	return nil
}

// ServeCountedBuggy stores only a count of would-blocks: the request
// itself is dropped, and nothing retries it.
func (s *Server) ServeCountedBuggy(r *request) error {
	b, err := s.readFor(r) // want `the yield of s\.readFor is swallowed`
	if errors.Is(err, ErrWouldBlock) {
		s.blocked++
		return nil
	}
	if err != nil {
		return err
	}
	s.served += len(b)
	return nil
}
