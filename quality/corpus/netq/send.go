package netq

// SendSeqFirst sends b as one segment.
//
// quality: bug C1 the sequence number is advanced before the push that may would-block: each retry skips another len(b) of sequence space
func (e *Endpoint) SendSeqFirst(b []byte) error {
	seq := e.SndNxt
	e.SndNxt += uint32(len(b))
	if err := e.snd.push(Segment{Seq: seq, Data: b}); err != nil {
		// Bug: SndNxt has moved; the retry sends at the next sequence number.
		return err
	}
	e.Stats.Writes++
	e.Stats.BytesOut += len(b)
	return nil
}

// Send sends b as one segment.
//
// quality: ok C1 the sequence number and the counters move only once the segment is in the window
func (e *Endpoint) Send(b []byte) error {
	if err := e.snd.push(Segment{Seq: e.SndNxt, Data: b}); err != nil {
		// Re-entrancy: nothing was written; the retry pushes the same segment.
		return err
	}
	e.SndNxt += uint32(len(b))
	e.Stats.Writes++
	e.Stats.BytesOut += len(b)
	return nil
}

// SendArmed sends b and makes sure the retransmit timer runs.
//
// quality: ok C1 arming the timer is a blind write of a constant: the retry writes the same value again
func (e *Endpoint) SendArmed(b []byte) error {
	e.RTOArmed = true
	if err := e.snd.push(Segment{Seq: e.SndNxt, Data: b}); err != nil {
		// Re-entrancy: RTOArmed is already true and stays true.
		return err
	}
	e.SndNxt += uint32(len(b))
	return nil
}

// RetransmitLogged sends s again after a timeout.
//
// quality: bug C1 the retransmission is counted and logged before the push: a full window logs it once per retry
func (e *Endpoint) RetransmitLogged(s Segment) error {
	e.Stats.Retransmits++
	e.RetxLog = append(e.RetxLog, s.Seq)
	if err := e.snd.push(s); err != nil {
		// Bug: the counter and the log entry are repeated by the retry.
		return err
	}
	return nil
}

// EchoLost sends the next received segment back.
//
// quality: bug C2 the pop already succeeded when the push would-blocks: the retry pops the next segment and the first is never echoed
func (e *Endpoint) EchoLost() error {
	s, err := e.rcv.pop()
	if err != nil {
		return err
	}
	if err := e.snd.push(s); err != nil {
		// Bug: s is dropped; the retry pops another one.
		return err
	}
	e.Stats.Writes++
	return nil
}

// Echo sends the next received segment back.
//
// quality: ok C2 the popped segment is held in the endpoint until it is in the window
func (e *Endpoint) Echo() error {
	if !e.echoing {
		s, err := e.rcv.pop()
		if err != nil {
			// Re-entrancy: nothing popped; the retry pops again.
			return err
		}
		e.echo, e.echoing = s, true
	}
	if err := e.snd.push(e.echo); err != nil {
		// Re-entrancy: the segment is held in e.echo; the retry skips the pop.
		return err
	}
	e.echoing = false
	e.Stats.Writes++
	return nil
}

// Close states.
const (
	closeOpen = iota
	closeFinSent
	closeDone
)

// CloseEarly sends a FIN and waits for its ACK.
//
// quality: bug C3 the state moves to "FIN sent" before the FIN's push: when the window is full, the retry waits for an ACK of a FIN never sent
func (e *Endpoint) CloseEarly() error {
	switch e.closeState {
	case closeOpen:
		e.closeState = closeFinSent
		if err := e.snd.push(Segment{Seq: e.SndNxt, Flag: FlagFin}); err != nil {
			// Bug: the state says the FIN is out; the retry skips its push.
			return err
		}
		e.SndNxt++
		fallthrough
	case closeFinSent:
		s, err := e.rcv.pop()
		if err != nil {
			// Re-entrancy: the FIN is out; the retry waits for the ACK.
			return err
		}
		if s.Flag != FlagAck {
			return ErrClosed
		}
		e.closeState, e.Closed = closeDone, true
	}
	return nil
}

// Close sends a FIN and waits for its ACK.
//
// quality: ok C3 the state moves once the FIN is in the window
func (e *Endpoint) Close() error {
	switch e.closeState {
	case closeOpen:
		if err := e.snd.push(Segment{Seq: e.SndNxt, Flag: FlagFin}); err != nil {
			// Re-entrancy: nothing sent; the retry pushes the FIN again.
			return err
		}
		e.SndNxt++
		e.closeState = closeFinSent
		fallthrough
	case closeFinSent:
		s, err := e.rcv.pop()
		if err != nil {
			// Re-entrancy: the FIN is out; the retry waits for the ACK.
			return err
		}
		if s.Flag != FlagAck {
			return ErrClosed
		}
		e.closeState, e.Closed = closeDone, true
	}
	return nil
}

// FlushDiscard sends the queued segments.
//
// quality: bug C9 the would-block of each push is discarded: segments the window had no room for are dropped from the queue unsent
func (e *Endpoint) FlushDiscard(out []Segment) error {
	for _, s := range out {
		e.snd.push(s) // Bug: the would-block is thrown away.
	}
	e.Stats.Writes += len(out)
	return nil
}

// Outbox is the queue of segments waiting for the window.
type Outbox struct {
	Ep   *Endpoint
	Segs []Segment
}

// Flush sends the queued segments.
//
// quality: ok C9 each push's would-block is returned, and a segment leaves the queue only once it is in the window
func (o *Outbox) Flush() error {
	for len(o.Segs) > 0 {
		if err := o.Ep.snd.push(o.Segs[0]); err != nil {
			// Re-entrancy: the segments sent so far have left the queue.
			return err
		}
		o.Segs = o.Segs[1:]
		o.Ep.Stats.Writes++
	}
	return nil
}
