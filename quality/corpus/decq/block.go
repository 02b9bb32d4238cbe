package decq

// BlockReader reads one block: its length byte, then its payload.
type BlockReader struct {
	inBlock bool
	left    int
	Blocks  int
	Data    []byte
}

// NextCountFirst reads one block.
//
// quality: bug C1 the block is counted before its length byte is known to be there: a call with no input counts it again
func (r *BlockReader) NextCountFirst(b *Buf) Status {
	if !r.inBlock {
		r.Blocks++
		if b.InPos == len(b.In) {
			// Bug: Blocks was incremented; the retry increments it again.
			return StatusOK
		}
		r.left = int(b.In[b.InPos])
		b.InPos++
		r.inBlock = true
	}
	for r.left > 0 {
		if b.InPos == len(b.In) {
			// Re-entrancy: the payload read so far is in r.Data.
			return StatusOK
		}
		r.Data = append(r.Data, b.In[b.InPos])
		b.InPos++
		r.left--
	}
	r.inBlock = false
	return StatusEnd
}

// Next reads one block.
//
// quality: ok C1 the block is counted with the consumption of its length byte; the payload loop consumes what it appends
func (r *BlockReader) Next(b *Buf) Status {
	if !r.inBlock {
		if b.InPos == len(b.In) {
			// Re-entrancy: nothing written yet.
			return StatusOK
		}
		r.left = int(b.In[b.InPos])
		b.InPos++
		r.inBlock = true
		r.Blocks++
	}
	for r.left > 0 {
		if b.InPos == len(b.In) {
			// Re-entrancy: the payload read so far is in r.Data.
			return StatusOK
		}
		r.Data = append(r.Data, b.In[b.InPos])
		b.InPos++
		r.left--
	}
	r.inBlock = false
	return StatusEnd
}

// Container is a metadata block followed by a body of Body.Left bytes.
type Container struct {
	seq  int
	Meta BlockReader
	Body Copier
}

// RunEarly decodes the container.
//
// quality: bug C3 the state moves to the body before the metadata block has ended: when the block needs more input, the retry copies the rest of the metadata as body
func (c *Container) RunEarly(b *Buf) Status {
	for {
		switch c.seq {
		case 0:
			c.seq = 1
			if ret := c.Meta.Next(b); ret != StatusEnd {
				// Bug: seq says the block is done; the retry starts the body.
				return ret
			}
		case 1:
			if ret := c.Body.Step(b); ret != StatusEnd {
				// Re-entrancy: the body's progress is in c.Body.
				return ret
			}
			c.seq = 2
		default:
			return StatusEnd
		}
	}
}

// Run decodes the container.
//
// quality: ok C3 the state moves once the metadata block has ended
func (c *Container) Run(b *Buf) Status {
	for {
		switch c.seq {
		case 0:
			if ret := c.Meta.Next(b); ret != StatusEnd {
				// Re-entrancy: the block's progress is in c.Meta.
				return ret
			}
			c.seq = 1
		case 1:
			if ret := c.Body.Step(b); ret != StatusEnd {
				// Re-entrancy: the body's progress is in c.Body.
				return ret
			}
			c.seq = 2
		default:
			return StatusEnd
		}
	}
}

// Framer decodes a frame: a length byte, then that many bytes copied out.
type Framer struct {
	haveLen bool
	body    Copier
}

// RunLenTwice decodes a frame.
//
// quality: bug C2 the length byte was consumed when the body asks for more: the retry reads a payload byte as the length
func (f *Framer) RunLenTwice(b *Buf) Status {
	n, ret := readByte(b)
	if ret != StatusEnd {
		return ret
	}
	f.body.Left = int(n)
	if ret := f.body.Step(b); ret != StatusEnd {
		// Bug: the retry calls readByte again, on the payload.
		return ret
	}
	return StatusEnd
}

// Run decodes a frame.
//
// quality: ok C2 the length is kept once read, and the retry resumes at the body
func (f *Framer) Run(b *Buf) Status {
	if !f.haveLen {
		n, ret := readByte(b)
		if ret != StatusEnd {
			// Re-entrancy: nothing consumed.
			return ret
		}
		f.body.Left, f.haveLen = int(n), true
	}
	if ret := f.body.Step(b); ret != StatusEnd {
		// Re-entrancy: the length is kept; the body's progress is in f.body.
		return ret
	}
	return StatusEnd
}
