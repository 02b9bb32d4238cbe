package netq

import (
	"errors"
	"fmt"
)

// RecvCountFirst reads one data segment.
//
// quality: bug C1 the read is counted before the pop that may would-block: every retry counts it again
func (e *Endpoint) RecvCountFirst() ([]byte, error) {
	if e.Closed {
		return nil, ErrClosed
	}
	e.Stats.Reads++
	s, err := e.rcv.pop()
	if err != nil {
		// Bug: Reads was incremented above and the retry increments it again.
		return nil, err
	}
	e.Stats.BytesIn += len(s.Data)
	e.RcvNxt = s.Seq + uint32(len(s.Data))
	return s.Data, nil
}

// Recv reads one data segment.
//
// quality: ok C1 the counters and the expected sequence number move only after the pop succeeded
func (e *Endpoint) Recv() ([]byte, error) {
	if e.Closed {
		return nil, ErrClosed
	}
	s, err := e.rcv.pop()
	if err != nil {
		// Re-entrancy: nothing was written yet; the retry pops again.
		return nil, err
	}
	e.Stats.Reads++
	e.Stats.BytesIn += len(s.Data)
	e.RcvNxt = s.Seq + uint32(len(s.Data))
	return s.Data, nil
}

// RecvCountingWaits reads one segment and counts the would-blocks.
//
// quality: ok C1 the wait counter is written on the yield path itself: it counts yields, and each re-entry yields again only when it waits again
func (e *Endpoint) RecvCountingWaits() ([]byte, error) {
	s, err := e.rcv.pop()
	if err == ErrWouldBlock {
		e.Stats.Waits++
		// Re-entrancy: the only write is the count of this very wait.
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	e.Stats.Reads++
	return s.Data, nil
}

// RecvOrEmpty reads one segment, or reports an empty read.
//
// quality: bug C9 the would-block is turned into an empty successful read: the caller never calls again and the segment is never read
func (e *Endpoint) RecvOrEmpty() ([]byte, error) {
	s, err := e.rcv.pop()
	if err != nil && err != ErrWouldBlock {
		return nil, err
	}
	// Bug: a would-block reaches here and is reported as success.
	e.Stats.Reads++
	return s.Data, nil
}

// RecvChecked reads one segment and counts real errors.
//
// quality: ok C9 real errors are counted under a guard that excludes the would-block, which is forwarded
func (e *Endpoint) RecvChecked() ([]byte, error) {
	s, err := e.rcv.pop()
	if errors.Is(err, ErrWouldBlock) {
		// Re-entrancy: forwarded unchanged; nothing was written.
		return nil, fmt.Errorf("recv: %w", err)
	}
	if err != nil {
		e.Stats.Errors++
		return nil, err
	}
	e.Stats.Reads++
	return s.Data, nil
}

// ReadRecordTwice reads a record: a header segment whose first byte is the
// number of body segments (one, here), then the body segment.
//
// quality: bug C2 the header pop already succeeded when the body pop would-blocks: the retry pops a second header, the first body is taken for a header
func (e *Endpoint) ReadRecordTwice() ([]byte, error) {
	hdr, err := e.rcv.pop()
	if err != nil {
		return nil, err
	}
	body, err := e.rcv.pop()
	if err != nil {
		// Bug: hdr is lost; the retry pops again from the top.
		return nil, err
	}
	e.Stats.Reads++
	return append(append([]byte(nil), hdr.Data...), body.Data...), nil
}

// ReadRecord reads a record: a header segment, then the body segment.
//
// quality: ok C2 the header is kept in the endpoint once popped, and the retry resumes at the body
func (e *Endpoint) ReadRecord() ([]byte, error) {
	if e.recPhase == 0 {
		hdr, err := e.rcv.pop()
		if err != nil {
			// Re-entrancy: nothing taken; the retry starts over.
			return nil, err
		}
		e.recHdr, e.recPhase = hdr, 1
	}
	body, err := e.rcv.pop()
	if err != nil {
		// Re-entrancy: the header is in e.recHdr; the retry skips its pop.
		return nil, err
	}
	e.recPhase = 0
	e.Stats.Reads++
	return append(append([]byte(nil), e.recHdr.Data...), body.Data...), nil
}

// Reader collects n segments' data.
type Reader struct {
	Want int
	Got  int
	Data []byte
}

// fill pops segments until the reader has Want of them.
func (r *Reader) fill(q *rcvQueue) error {
	for r.Got < r.Want {
		s, err := q.pop()
		if err != nil {
			return err
		}
		r.Data = append(r.Data, s.Data...)
		r.Got++
	}
	return nil
}

// ReadNCopy reads e.reader.Want segments.
//
// quality: bug C5 the reader is a copy; the segments it popped before a would-block are dropped with it, and the retry starts an empty reader
func (e *Endpoint) ReadNCopy() ([]byte, error) {
	r := e.reader
	if err := r.fill(&e.rcv); err != nil {
		// Bug: r's progress is dropped here; the popped segments are gone.
		return nil, err
	}
	e.reader = Reader{Want: r.Want}
	return r.Data, nil
}

// ReadN reads e.reader.Want segments.
//
// quality: ok C5 the reader is filled in place, so its progress survives the would-block
func (e *Endpoint) ReadN() ([]byte, error) {
	if err := e.reader.fill(&e.rcv); err != nil {
		// Re-entrancy: the segments popped so far are in e.reader.
		return nil, err
	}
	data := e.reader.Data
	e.reader = Reader{Want: e.reader.Want}
	return data, nil
}
