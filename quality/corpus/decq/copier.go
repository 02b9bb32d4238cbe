package decq

// Copier copies Left payload bytes from input to output and keeps their
// running checksum.
type Copier struct {
	Left int
	Sum  uint32
}

func mix(sum uint32, c byte) uint32 { return sum*31 + uint32(c) }

// StepSumFirst copies what the window allows.
//
// quality: bug C1 the byte is mixed into the checksum before the output space is checked: when the window is full the byte stays unconsumed and the retry mixes it in again
func (c *Copier) StepSumFirst(b *Buf) Status {
	for c.Left > 0 {
		if b.InPos == len(b.In) {
			// Re-entrancy: every byte mixed so far was also consumed.
			return StatusOK
		}
		x := b.In[b.InPos]
		c.Sum = mix(c.Sum, x)
		if b.OutPos == len(b.Out) {
			// Bug: x is in Sum but still unconsumed; the retry mixes it again.
			return StatusOK
		}
		b.Out[b.OutPos] = x
		b.OutPos++
		b.InPos++
		c.Left--
	}
	return StatusEnd
}

// Step copies what the window allows.
//
// quality: ok C1 both cursors are checked before anything is written, and every write of an iteration goes with the consumption of its byte
func (c *Copier) Step(b *Buf) Status {
	for c.Left > 0 {
		if b.InPos == len(b.In) || b.OutPos == len(b.Out) {
			// Re-entrancy: every byte mixed so far was also consumed.
			return StatusOK
		}
		x := b.In[b.InPos]
		c.Sum = mix(c.Sum, x)
		b.Out[b.OutPos] = x
		b.OutPos++
		b.InPos++
		c.Left--
	}
	return StatusEnd
}

// StepReserve copies what the window allows, reserving each output byte
// before it fetches the input byte for it.
//
// quality: bug C1 the output slot is reserved before the input is checked: when the input runs out the slot is left as a hole, and the retry reserves another
func (c *Copier) StepReserve(b *Buf) Status {
	for c.Left > 0 {
		if b.OutPos == len(b.Out) {
			// Re-entrancy: nothing reserved in this iteration yet.
			return StatusOK
		}
		slot := b.OutPos
		b.OutPos++
		if b.InPos == len(b.In) {
			// Bug: the reserved slot stays empty; the retry reserves the next one.
			return StatusOK
		}
		b.Out[slot] = b.In[b.InPos]
		c.Sum = mix(c.Sum, b.In[b.InPos])
		b.InPos++
		c.Left--
	}
	return StatusEnd
}
