package netq

// Listener accepts connections: a SYN from the accept queue, answered by a
// SYN-ACK (sent as FlagAck) through the window.
type Listener struct {
	Ep       *Endpoint
	phase    int
	cur      Segment
	Accepted []uint32
}

// AcceptEarly accepts one connection.
//
// quality: bug C3 the phase moves to "answering" before the SYN is popped: when the queue is empty, the retry answers a SYN it never took
func (l *Listener) AcceptEarly() (uint32, error) {
	if l.phase == 0 {
		l.phase = 1
		syn, err := l.Ep.rcv.pop()
		if err != nil {
			// Bug: the phase says a SYN was taken; the retry skips the pop.
			return 0, err
		}
		l.cur = syn
	}
	if err := l.Ep.snd.push(Segment{Seq: l.cur.Seq, Flag: FlagAck}); err != nil {
		// Re-entrancy: the SYN is in l.cur; the retry answers it.
		return 0, err
	}
	l.phase = 0
	l.Accepted = append(l.Accepted, l.cur.Seq)
	return l.cur.Seq, nil
}

// Accept accepts one connection.
//
// quality: ok C3 the phase moves once the SYN is held in the listener
func (l *Listener) Accept() (uint32, error) {
	if l.phase == 0 {
		syn, err := l.Ep.rcv.pop()
		if err != nil {
			// Re-entrancy: nothing taken; the retry pops again.
			return 0, err
		}
		l.cur, l.phase = syn, 1
	}
	if err := l.Ep.snd.push(Segment{Seq: l.cur.Seq, Flag: FlagAck}); err != nil {
		// Re-entrancy: the SYN is in l.cur; the retry answers it.
		return 0, err
	}
	l.phase = 0
	l.Accepted = append(l.Accepted, l.cur.Seq)
	return l.cur.Seq, nil
}
