// Package use reads from sock with the yields declared by flags.
package use

import "yieldflags/sock"

type Session struct {
	conn     *sock.Conn
	received int
	polls    int
}

// PumpBuggy counts before the receive that may would-block.
func (s *Session) PumpBuggy() error {
	s.received++ // want `increments s\.received before the yield at use\.go:\d+`
	_, err := s.conn.Recv()
	return err
}

// The silent twin.
func (s *Session) Pump() error {
	_, err := s.conn.Recv()
	if err != nil {
		return err
	}
	s.received++
	return nil
}

// WaitBuggy counts a poll before forwarding a Pending status.
func (s *Session) WaitBuggy() sock.State {
	s.polls++ // want `increments s\.polls before the yield at use\.go:\d+`
	return s.conn.Poll()
}

// The silent twin.
func (s *Session) Wait() sock.State {
	st := s.conn.Poll()
	if st == sock.Pending {
		return st
	}
	s.polls++
	return st
}
