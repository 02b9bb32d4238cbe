package decq

// Decoder decodes a whole stream into the output window.
type Decoder struct {
	seq     int
	hdr     [3]byte
	hdrPos  int
	Version byte
	hdrOK   bool
	left    int
	Blocks  int
	Sum     byte

	blk BlockReader
}

// Decoder states.
const (
	seqHeader = iota
	seqLen
	seqData
	seqTrailer
	seqDone
)

// checkHeaderSum validates the header's check byte.
//
// quality: ok C1 a one-shot helper: its StatusOK is success, its only caller moves on, so its write before it is no mutation before a yield
func checkHeaderSum(d *Decoder) Status {
	if d.hdr[0]^d.hdr[1] != d.hdr[2] {
		return StatusDataError
	}
	d.hdrOK = true
	return StatusOK
}

// parseHeader validates a complete header and records its version.
//
// quality: ok C1 one-shot too: it forwards checkHeaderSum's success to a caller that moves on when it is StatusOK
func parseHeader(d *Decoder) Status {
	if d.hdr[0] != Magic {
		return StatusDataError
	}
	d.Version = d.hdr[1]
	return checkHeaderSum(d)
}

// Decode decodes what the window allows.
//
// quality: ok C3 every state moves only once its unit is complete, and each loop consumes the input it writes for
func (d *Decoder) Decode(b *Buf) Status {
	for {
		switch d.seq {
		case seqHeader:
			for d.hdrPos < len(d.hdr) {
				if b.InPos == len(b.In) {
					// Re-entrancy: the header bytes taken so far are in d.hdr.
					return StatusOK
				}
				d.hdr[d.hdrPos] = b.In[b.InPos]
				d.hdrPos++
				b.InPos++
			}
			if ret := parseHeader(d); ret != StatusOK {
				return ret
			}
			d.seq = seqLen
		case seqLen:
			if b.InPos == len(b.In) {
				// Re-entrancy: nothing written in this state yet.
				return StatusOK
			}
			d.left = int(b.In[b.InPos])
			b.InPos++
			if d.left == 0 {
				d.seq = seqTrailer
				continue
			}
			d.Blocks++
			d.seq = seqData
		case seqData:
			for d.left > 0 {
				if b.InPos == len(b.In) || b.OutPos == len(b.Out) {
					// Re-entrancy: each byte summed so far was also consumed.
					return StatusOK
				}
				c := b.In[b.InPos]
				d.Sum ^= c
				b.Out[b.OutPos] = c
				b.InPos++
				b.OutPos++
				d.left--
			}
			d.seq = seqLen
		case seqTrailer:
			if b.InPos == len(b.In) {
				// Re-entrancy: nothing written in this state yet.
				return StatusOK
			}
			if b.In[b.InPos] != d.Sum {
				return StatusDataError
			}
			b.InPos++
			d.seq = seqDone
		default:
			return StatusEnd
		}
	}
}

// BlockCopy reads the current block through a copy of the block reader.
//
// quality: bug C5 the reader is stepped on a copy stored back only when the block ends: the payload read before StatusOK is lost, and the retry starts the block over
func (d *Decoder) BlockCopy(b *Buf) Status {
	br := d.blk
	if ret := br.Next(b); ret != StatusEnd {
		// Bug: br's progress is dropped with it.
		return ret
	}
	d.blk = br
	return StatusEnd
}

// BlockWriteBack reads the current block through a copy of the block
// reader, as code does that keeps the reader in a register-friendly local.
//
// quality: ok C5 the copy is stored back before every return
func (d *Decoder) BlockWriteBack(b *Buf) Status {
	br := d.blk
	ret := br.Next(b)
	d.blk = br
	// Re-entrancy: the copy's progress is back in d.blk.
	return ret
}

// BlockInPlace reads the current block.
//
// quality: ok C5 the reader is stepped in place
func (d *Decoder) BlockInPlace(b *Buf) Status {
	// Re-entrancy: the progress is in d.blk itself.
	return d.blk.Next(b)
}
