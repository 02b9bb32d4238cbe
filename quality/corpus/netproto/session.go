package netproto

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// session is one client's progress through its input.
type session struct {
	Rd    chunkReader
	Bytes int
	Done  bool
}

// pump reads the session's input to the end.
//
// quality: ok C4 the reader keeps its offset; the byte count follows each Done
func (s *session) pump() (rt.IOResult[int], error) {
	for !s.Done {
		r, err := s.Rd.Fill()
		if err != nil || r.IsIO() {
			// Re-entrancy: the reader keeps its read in flight.
			return rt.Forward[int](r, err)
		}
		if len(r.Value()) == 0 {
			s.Done = true
			break
		}
		s.Bytes += len(r.Value())
	}
	return rt.Done(s.Bytes), nil
}

// Server keeps sessions by client id, by value.
type Server struct {
	Sessions map[int]session
}

// Drain pumps one client's session.
//
// quality: bug C5 the session is copied out of the map and written back only on Done
func (sv *Server) Drain(id int) (rt.IOResult[int], error) {
	s := sv.Sessions[id]
	r, err := s.pump()
	if err != nil || r.IsIO() {
		// Bug: the copy's reader (offset, read in flight) is dropped.
		return rt.Forward[int](r, err)
	}
	sv.Sessions[id] = s
	return rt.Done(r.Value()), nil
}

// StoringServer writes the session back on every exit.
type StoringServer struct {
	Sessions map[int]session
}

// Drain pumps one client's session.
//
// quality: ok C5 the copy is stored back before the yield check
func (sv *StoringServer) Drain(id int) (rt.IOResult[int], error) {
	s := sv.Sessions[id]
	r, err := s.pump()
	sv.Sessions[id] = s
	if err != nil || r.IsIO() {
		// Re-entrancy: the advanced copy was stored back just above.
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

type hsState uint8

const (
	hsHello hsState = iota
	hsReply
	hsDone
)

// Handshake sends a hello, then reads the peer's reply.
type Handshake struct {
	Out   *engine.Appender
	Rd    *chunkReader
	state hsState
	Peer  []byte
}

// Run performs the handshake.
//
// quality: bug C3 the state moves to hsReply before the hello append returned Done
func (h *Handshake) Run() (rt.IOResult[[]byte], error) {
	for {
		switch h.state {
		case hsHello:
			h.state = hsReply
			r, err := h.Out.Append([]byte("HELO"))
			if err != nil || r.IsIO() {
				// Bug: re-entry reads the reply; the hello's append is
				// left pending in the appender.
				return rt.Forward[[]byte](r, err)
			}
		case hsReply:
			r, err := h.Rd.Fill()
			if err != nil || r.IsIO() {
				// Re-entrancy: hsReply; re-entry re-polls the read.
				return rt.Forward[[]byte](r, err)
			}
			h.Peer, h.state = r.Value(), hsDone
		default:
			return rt.Done(h.Peer), nil
		}
	}
}

// OrderedHandshake advances after each call returned Done.
type OrderedHandshake struct {
	Out   *engine.Appender
	Rd    *chunkReader
	state hsState
	Peer  []byte
}

// Run performs the handshake.
//
// quality: ok C3 transitions after Done
func (h *OrderedHandshake) Run() (rt.IOResult[[]byte], error) {
	for {
		switch h.state {
		case hsHello:
			r, err := h.Out.Append([]byte("HELO"))
			if err != nil || r.IsIO() {
				// Re-entrancy: still hsHello; re-entry re-polls the append.
				return rt.Forward[[]byte](r, err)
			}
			h.state = hsReply
		case hsReply:
			r, err := h.Rd.Fill()
			if err != nil || r.IsIO() {
				// Re-entrancy: hsReply; re-entry re-polls the read.
				return rt.Forward[[]byte](r, err)
			}
			h.Peer, h.state = r.Value(), hsDone
		default:
			return rt.Done(h.Peer), nil
		}
	}
}

// Request reads a request chunk and answers it.
type Request struct {
	Rd       *chunkReader
	Out      *engine.Appender
	answered bool
	Got      []byte
}

// Run answers one request.
//
// quality: bug C2 the read and the answer's append share one state: the read runs again when the append yields
func (q *Request) Run() (rt.IOResult[int], error) {
	if q.answered {
		return rt.Done(len(q.Got)), nil
	}
	r, err := q.Rd.Fill()
	if err != nil || r.IsIO() {
		// Re-entrancy: the reader keeps its read in flight.
		return rt.Forward[int](r, err)
	}
	a, err := q.Out.Append(append([]byte("OK "), r.Value()...))
	if err != nil || a.IsIO() {
		// Bug: re-entry reads the next chunk and answers that instead.
		return rt.Forward[int](a, err)
	}
	q.Got, q.answered = r.Value(), true
	return rt.Done(len(q.Got)), nil
}

// StagedRequest keeps the request between its two calls.
type StagedRequest struct {
	Rd  *chunkReader
	Out *engine.Appender
	Got []byte
	ok  bool
}

// Run answers one request.
//
// quality: ok C2 the request is kept after its read; the append is the only call of the second stage
func (q *StagedRequest) Run() (rt.IOResult[int], error) {
	if q.Got == nil {
		r, err := q.Rd.Fill()
		if err != nil || r.IsIO() {
			// Re-entrancy: nothing kept yet; the reader keeps its read.
			return rt.Forward[int](r, err)
		}
		q.Got = r.Value()
	}
	if !q.ok {
		a, err := q.Out.Append(append([]byte("OK "), q.Got...))
		if err != nil || a.IsIO() {
			// Re-entrancy: q.Got is kept, so re-entry only re-polls the
			// append.
			return rt.Forward[int](a, err)
		}
		q.ok = true
	}
	return rt.Done(len(q.Got)), nil
}

// Ping sends a ping and records whether it went out.
type Ping struct {
	Out  *engine.Appender
	Sent bool
}

// Run pings.
//
// quality: bug C9 the append's result is read (IsDone) but its IO never propagated
func (p *Ping) Run() (rt.IOResult[bool], error) {
	r, err := p.Out.Append([]byte("PING"))
	if err != nil {
		return rt.IOResult[bool]{}, err
	}
	p.Sent = r.IsDone()
	return rt.Done(p.Sent), nil
}

// CheckedPing propagates the append.
type CheckedPing struct {
	Out  *engine.Appender
	Sent bool
}

// Run pings.
//
// quality: ok C9 the append's IO is propagated before its value is used
func (p *CheckedPing) Run() (rt.IOResult[bool], error) {
	r, err := p.Out.Append([]byte("PING"))
	if err != nil || r.IsIO() {
		// Re-entrancy: the appender waits on the ping's write.
		return rt.Forward[bool](r, err)
	}
	p.Sent = true
	return rt.Done(p.Sent), nil
}
