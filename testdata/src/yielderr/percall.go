package yielderr

import "errors"

// A sender builds packets through a write context its callers acquire for
// one call and release by a deferred call; the context's packet count is
// package state, as in a pool.
type Sender struct {
	window int
	queued [][]byte
	shared writeInfo // a context kept across calls
	wait   func()
}

var allocated int

// newPacket takes a packet from the context's pool.
func (c *writeCtx) newPacket(n int) []byte {
	allocated++
	c.route = append(c.route, byte(n))
	return make([]byte, n)
}

// build fills a packet from the caller's context and would-blocks when the
// window is shut. Every caller passes a context of its own, acquired for
// its call and released when it returns, and hands the would-block up: a
// retry comes through the caller, with a new context.
func (s *Sender) build(ctx *writeCtx, b []byte) error {
	pkt := ctx.newPacket(len(b))
	ctx.route = append(ctx.route, 1)
	if s.window == 0 {
		return ErrWouldBlock
	}
	copy(pkt, b)
	s.queued = append(s.queued, pkt)
	return nil
}

func (s *Sender) Send(e *Endpoint, b []byte) error {
	info, err := e.prepareWrite()
	if err != nil {
		return err
	}
	defer info.ctx.Release()
	return s.build(&info.ctx, b)
}

// SendTwice builds two packets: the context is its own, but the first
// build's queued packet is not, and the second build's would-block builds
// it again.
func (s *Sender) SendTwice(e *Endpoint, b []byte) error {
	info, err := e.prepareWrite()
	if err != nil {
		return err
	}
	defer info.ctx.Release()
	if err := s.build(&info.ctx, b); err != nil { // want `calls s\.build, which already returned Done, runs again when the yield at percall\.go:\d+ re-enters`
		return err
	}
	return s.build(&info.ctx, b)
}

// buildShared is build with a caller that passes the context it keeps
// across calls: the retry appends to the same route again.
func (s *Sender) buildShared(ctx *writeCtx, b []byte) error {
	pkt := ctx.newPacket(len(b)) // want `calls ctx\.newPacket, which mutates package state before the yield at percall\.go:\d+`
	if s.window == 0 {
		return ErrWouldBlock
	}
	copy(pkt, b)
	return nil
}

func (s *Sender) SendShared(b []byte) error {
	return s.buildShared(&s.shared.ctx, b)
}

func (s *Sender) SendOwn(e *Endpoint, b []byte) error {
	info, err := e.prepareWrite()
	if err != nil {
		return err
	}
	defer info.ctx.Release()
	return s.buildShared(&info.ctx, b)
}

// buildRetried is build whose caller waits and calls again with the same
// context: the packet count and the route grow on every retry.
func (s *Sender) buildRetried(ctx *writeCtx, b []byte) error {
	pkt := ctx.newPacket(len(b)) // want `calls ctx\.newPacket, which mutates package state before the yield at percall\.go:\d+`
	if s.window == 0 {
		return ErrWouldBlock
	}
	copy(pkt, b)
	return nil
}

func (s *Sender) SendWaiting(e *Endpoint, b []byte) error {
	info, err := e.prepareWrite()
	if err != nil {
		return err
	}
	defer info.ctx.Release()
	for {
		err := s.buildRetried(&info.ctx, b)
		if errors.Is(err, ErrWouldBlock) {
			s.wait()
			continue
		}
		return err
	}
}
