package yielderr

import "sync/atomic"

// route is reference counted: Acquire takes a reference, Release drops it.
type route struct {
	refs atomic.Int64
	mtu  int
}

func (r *route) Acquire() { r.refs.Add(1) }
func (r *route) Release() { r.refs.Add(-1) }

// sendCtx holds a reference on the route for one write.
type sendCtx struct{ r *route }

// Release drops the route and clears the context.
func (c *sendCtx) Release() {
	c.r.Release()
	*c = sendCtx{}
}

// releaseCounted drops the route and counts the release in the route.
func (c *sendCtx) releaseCounted() {
	c.r.Release()
	c.r.mtu++
}

type Socket struct {
	connected *route
	room      int
	sends     int
}

// acquire takes a reference on the connected route for the context it
// returns, and does nothing else on its way to success.
func (s *Socket) acquire() (sendCtx, error) {
	if s.connected == nil {
		return sendCtx{}, ErrClosed
	}
	s.connected.Acquire()
	return sendCtx{r: s.connected}, nil
}

// acquireCounted also counts the send.
func (s *Socket) acquireCounted() (sendCtx, error) {
	if s.connected == nil {
		return sendCtx{}, ErrClosed
	}
	s.connected.Acquire()
	s.sends++
	return sendCtx{r: s.connected}, nil
}

// Silent: the reference the context holds is dropped by the deferred
// release at every return, the would-block included; a retry takes and
// drops it again.
func (s *Socket) Write(p []byte) (int, error) {
	ctx, err := s.acquire()
	if err != nil {
		return 0, err
	}
	defer ctx.Release()
	if s.room < len(p) {
		return 0, ErrWouldBlock
	}
	return len(p), nil
}

// Flagged: nothing drops the reference; every retry leaks one.
func (s *Socket) WriteLeaky(p []byte) (int, error) {
	ctx, err := s.acquire() // want `calls s\.acquire, which mutates s .*before the yield at refpair\.go:\d+`
	if err != nil {
		return 0, err
	}
	if s.room < len(p) {
		return 0, ErrWouldBlock
	}
	_ = ctx
	return len(p), nil
}

// Flagged: the acquisition also counts the send, which the release does
// not undo.
func (s *Socket) WriteCounted(p []byte) (int, error) {
	ctx, err := s.acquireCounted() // want `calls s\.acquireCounted, which mutates s .*before the yield at refpair\.go:\d+`
	if err != nil {
		return 0, err
	}
	defer ctx.Release()
	if s.room < len(p) {
		return 0, ErrWouldBlock
	}
	return len(p), nil
}

// Flagged: the release does more than drop the reference.
func (s *Socket) WriteReleaseCounted(p []byte) (int, error) {
	ctx, err := s.acquire() // want `calls s\.acquire, which mutates s .*before the yield at refpair\.go:\d+`
	if err != nil {
		return 0, err
	}
	defer ctx.releaseCounted()
	if s.room < len(p) {
		return 0, ErrWouldBlock
	}
	return len(p), nil
}
