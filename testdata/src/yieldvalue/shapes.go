package yieldvalue

// Block is a sub-decoder with its own progress, held by value.
type Block struct {
	pos, size int
}

// Step consumes the block from the caller's window; StatusOK asks for
// more input.
func (k *Block) Step(b *Buf) Status {
	for k.pos < k.size {
		if b.InPos == len(b.In) {
			return StatusOK
		}
		b.InPos++
		k.pos++
	}
	return StatusStreamEnd
}

// Stream decodes a header block, then a body block.
type Stream struct {
	seq       int
	hdr, body Block
}

// RunBuggy moves to the body before the header block has ended: when the
// header asks for more input, re-entry goes straight to the body.
func (s *Stream) RunBuggy(b *Buf) Status {
	switch s.seq {
	case 0:
		s.seq = 1 // want `state s\.seq is advanced before s\.hdr\.Step, whose IO is propagated at shapes\.go:\d+`
		if ret := s.hdr.Step(b); ret != StatusStreamEnd {
			return ret
		}
		fallthrough
	case 1:
		return s.body.Step(b)
	}
	return StatusDataError
}

// The silent twin: the state moves once the header block has ended.
func (s *Stream) Run(b *Buf) Status {
	switch s.seq {
	case 0:
		if ret := s.hdr.Step(b); ret != StatusStreamEnd {
			return ret
		}
		s.seq = 1
		fallthrough
	case 1:
		return s.body.Step(b)
	}
	return StatusDataError
}

// BodyCopyBuggy steps a copy of the body block: the progress it makes
// before asking for more input is lost, and re-entry starts the block over.
func (s *Stream) BodyCopyBuggy(b *Buf) Status {
	body := s.body
	ret := body.Step(b) // want `body is a copy of s\.body, and body\.Step makes its progress on the copy, which is dropped at shapes\.go:\d+`
	if ret != StatusStreamEnd {
		return ret
	}
	s.body = body
	return ret
}

// The silent twin: step the block in place.
func (s *Stream) BodyInPlace(b *Buf) Status {
	return s.body.Step(b)
}

// EndEarlyBuggy reports the end of the stream when the body asks for more
// input with the window half full: the caller moves on and the rest of
// the body is never decoded.
func (s *Stream) EndEarlyBuggy(b *Buf) Status {
	ret := s.body.Step(b) // want `the yield of s\.body\.Step is swallowed`
	if ret == StatusOK && b.InPos > len(b.In)/2 {
		return StatusStreamEnd
	}
	return ret
}

// The silent twin: "more input" goes back as it is, and only the real end
// is reported as the end.
func (s *Stream) EndAtEnd(b *Buf) Status {
	ret := s.body.Step(b)
	if ret == StatusOK {
		return ret
	}
	return StatusStreamEnd
}

// Copier copies input to output through the caller's window.
type Copier struct {
	left int
	sum  byte
}

// ReserveBuggy reserves the output slot before it knows the input byte is
// there: when the input runs out, re-entry reserves the next slot and the
// reserved one stays empty.
func (c *Copier) ReserveBuggy(in []byte, inPos *int, out []byte, outPos *int) Status {
	for c.left > 0 {
		if *outPos == len(out) {
			return StatusOK
		}
		slot := *outPos
		*outPos++ // want `increments outPos before the yield at shapes\.go:\d+`
		if *inPos == len(in) {
			return StatusOK
		}
		out[slot] = in[*inPos]
		c.sum ^= in[*inPos]
		*inPos++
		c.left--
	}
	return StatusStreamEnd
}

// The silent twin: both checks come first, and the cursors move together
// once the byte is copied.
func (c *Copier) Copy(in []byte, inPos *int, out []byte, outPos *int) Status {
	for c.left > 0 {
		if *outPos == len(out) || *inPos == len(in) {
			return StatusOK
		}
		out[*outPos] = in[*inPos]
		c.sum ^= in[*inPos]
		*outPos++
		*inPos++
		c.left--
	}
	return StatusStreamEnd
}

// Silent as well: the iteration's work is done before the cursor moves,
// and the yield that follows it ends the iteration (a budget per call).
func (c *Copier) CopyBudgeted(in []byte, inPos *int, out []byte, outPos *int, budget *int) Status {
	for c.left > 0 {
		if *outPos == len(out) || *inPos == len(in) {
			return StatusOK
		}
		out[*outPos] = in[*inPos]
		*inPos++
		c.left--
		*outPos++
		if *budget--; *budget <= 0 {
			return StatusOK
		}
	}
	return StatusStreamEnd
}
