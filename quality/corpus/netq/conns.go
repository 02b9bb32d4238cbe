package netq

import (
	"errors"
	"fmt"
)

// Conn is one connection's receive progress, held by value in a table.
type Conn struct {
	ID     int
	reader Reader
}

// Table multiplexes connections over one endpoint's receive queue.
type Table struct {
	Ep    *Endpoint
	Conns map[int]Conn
	Done  map[int][]byte
}

// PumpCopy reads the message of connection id.
//
// quality: bug C5 the connection is copied out of the map and stored back only when its message is complete: the segments read before a would-block are lost with the copy
func (t *Table) PumpCopy(id int) error {
	c := t.Conns[id]
	if err := c.reader.fill(&t.Ep.rcv); err != nil {
		// Bug: c's progress is not stored back; the retry starts from the map's old copy.
		return err
	}
	t.Done[id] = c.reader.Data
	delete(t.Conns, id)
	return nil
}

// Pump reads the message of connection id.
//
// quality: ok C5 a map value cannot be stepped in place, so the copy is stored back on the would-block exit too
func (t *Table) Pump(id int) error {
	c := t.Conns[id]
	err := c.reader.fill(&t.Ep.rcv)
	if err != nil {
		t.Conns[id] = c
		// Re-entrancy: the copy's progress is back in the map.
		return err
	}
	t.Done[id] = c.reader.Data
	delete(t.Conns, id)
	return nil
}

// noteRead accounts one read attempt in the endpoint's statistics.
func (e *Endpoint) noteRead() { e.Stats.Reads++ }

// RecvNoted reads one segment.
//
// quality: bug C1 a helper counts the read before the pop that may would-block: the retry calls it again
func (e *Endpoint) RecvNoted() ([]byte, error) {
	e.noteRead()
	s, err := e.rcv.pop()
	if err != nil {
		// Bug: noteRead's count is repeated by the retry.
		return nil, err
	}
	e.RcvNxt = s.Seq + uint32(len(s.Data))
	return s.Data, nil
}

// RecvWrapped reads one segment and says where an error came from.
//
// quality: bug C9 the would-block is wrapped with %v, not %w: the caller's errors.Is no longer sees it, takes it for a real error and gives up
func (e *Endpoint) RecvWrapped() ([]byte, error) {
	s, err := e.rcv.pop()
	if err != nil {
		// Bug: the wrapped error is no longer a would-block.
		return nil, fmt.Errorf("netq: recv on %d: %v", e.RcvNxt, err)
	}
	e.RcvNxt = s.Seq + uint32(len(s.Data))
	return s.Data, nil
}

// RecvJoined reads one segment and reports a pending close with it.
//
// quality: ok C9 errors.Join keeps the would-block visible to errors.Is, so the caller still calls again
func (e *Endpoint) RecvJoined() ([]byte, error) {
	s, err := e.rcv.pop()
	if err != nil {
		if e.Closed {
			// Re-entrancy: the join still carries the would-block.
			return nil, errors.Join(err, ErrClosed)
		}
		// Re-entrancy: forwarded unchanged.
		return nil, err
	}
	e.RcvNxt = s.Seq + uint32(len(s.Data))
	return s.Data, nil
}
