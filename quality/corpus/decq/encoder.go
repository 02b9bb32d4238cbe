package decq

// Encoder frames a payload: a header, the payload copied from the input
// window, and a trailer byte.
type Encoder struct {
	hdrDone bool
	stage   int
	body    Copier
	Errors  int
}

// header is what every encoded frame starts with.
var header = []byte{Magic, 1, Magic ^ 1}

// NewEncoder returns an encoder of an n-byte payload.
func NewEncoder(n int) *Encoder { return &Encoder{body: Copier{Left: n}} }

// EncodeHeaderTwice writes the header and the payload.
//
// quality: bug C2 the header was written when the payload asks for more: the retry writes it again into the output
func (e *Encoder) EncodeHeaderTwice(b *Buf) Status {
	if ret := putBytes(b, header); ret != StatusEnd {
		return ret
	}
	if ret := e.body.Step(b); ret != StatusEnd {
		// Bug: the retry puts the header again.
		return ret
	}
	return StatusEnd
}

// Encode writes the header and the payload.
//
// quality: ok C2 the header is written once, and the retry resumes at the payload
func (e *Encoder) Encode(b *Buf) Status {
	if !e.hdrDone {
		if ret := putBytes(b, header); ret != StatusEnd {
			// Re-entrancy: nothing written.
			return ret
		}
		e.hdrDone = true
	}
	if ret := e.body.Step(b); ret != StatusEnd {
		// Re-entrancy: the header is out; the payload's progress is in e.body.
		return ret
	}
	return StatusEnd
}

// trailer is the payload's checksum, as one byte.
func (e *Encoder) trailer() []byte { return []byte{byte(e.body.Sum)} }

// FinishEarly writes the rest of the payload and the trailer.
//
// quality: bug C3 the stage moves to the trailer before the payload is out: when the payload needs more space, the retry writes the trailer and ends the frame short
func (e *Encoder) FinishEarly(b *Buf) Status {
	if e.stage == 0 {
		e.stage = 1
		if ret := e.body.Step(b); ret != StatusEnd {
			// Bug: stage says the payload is out; the retry skips it.
			return ret
		}
	}
	if ret := putBytes(b, e.trailer()); ret != StatusEnd {
		// Re-entrancy: the payload is out; the retry puts the trailer.
		return ret
	}
	return StatusEnd
}

// Finish writes the rest of the payload and the trailer.
//
// quality: ok C3 the stage moves once the payload is out
func (e *Encoder) Finish(b *Buf) Status {
	if e.stage == 0 {
		if ret := e.body.Step(b); ret != StatusEnd {
			// Re-entrancy: the payload's progress is in e.body.
			return ret
		}
		e.stage = 1
	}
	if ret := putBytes(b, e.trailer()); ret != StatusEnd {
		// Re-entrancy: the payload is out; the retry puts the trailer.
		return ret
	}
	return StatusEnd
}

// FinishDiscard writes the rest of the payload and the trailer.
//
// quality: bug C9 the payload step's status is discarded: when it needs more space, the trailer is written after a short payload and the frame ends
func (e *Encoder) FinishDiscard(b *Buf) Status {
	e.body.Step(b) // Bug: its StatusOK is thrown away.
	if ret := putBytes(b, e.trailer()); ret != StatusEnd {
		// Re-entrancy: the retry steps the payload again, then the trailer.
		return ret
	}
	return StatusEnd
}

// FlushPartial copies the payload and ships a full window early.
//
// quality: bug C9 a full output window is reported as the end of the payload: the caller ships the window and moves on, the rest of the payload is never copied
func (e *Encoder) FlushPartial(b *Buf) Status {
	ret := e.body.Step(b)
	if ret == StatusOK && b.OutPos == len(b.Out) {
		// Bug: the need for more output space is swallowed.
		return StatusEnd
	}
	return ret
}

// Pump copies the payload and counts corrupt steps.
//
// quality: ok C9 each status is passed on as what it means: the need for more is returned, only errors are counted
func (e *Encoder) Pump(b *Buf) Status {
	switch ret := e.body.Step(b); ret {
	case StatusOK:
		// Re-entrancy: forwarded; the progress is in e.body.
		return StatusOK
	case StatusEnd:
		return StatusEnd
	default:
		e.Errors++
		return StatusDataError
	}
}
