// Package decq is the corpus in the status spelling: a streaming block
// decoder and encoder over a caller's buffer window, in the style of a C
// compression library's Go port. A step returns StatusOK when it needs
// more input or more output space: the caller refills or drains the
// window and calls it again from the top. One-shot helpers return the same
// constant for success, and their callers move on.
//
// The stream is a 3-byte header (magic, version, the two's xor), blocks of
// a length byte and that many payload bytes, a zero length byte, and a
// trailer byte: the xor of the payload.
package decq

// Status is what a step returns.
type Status int

const (
	// StatusOK from a step: more input or output space needed, call
	// again. From a one-shot helper: success.
	//
	//reentrycheck:yieldvalue
	StatusOK Status = iota
	// StatusEnd: the unit (block, header, stream) is complete.
	StatusEnd
	// StatusDataError: the input is corrupt; do not call again.
	StatusDataError
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "OK"
	case StatusEnd:
		return "End"
	case StatusDataError:
		return "DataError"
	}
	return "Status(?)"
}

// Buf is the caller's window: In[InPos:] is input not yet consumed,
// Out[OutPos:] is free output space.
type Buf struct {
	In     []byte
	InPos  int
	Out    []byte
	OutPos int
}

// Magic starts every stream.
const Magic = 0xD7

// readByte consumes one input byte; StatusOK when there is none yet.
func readByte(b *Buf) (byte, Status) {
	if b.InPos == len(b.In) {
		return 0, StatusOK
	}
	c := b.In[b.InPos]
	b.InPos++
	return c, StatusEnd
}

// putBytes writes p whole, or nothing when the window has no room for it.
func putBytes(b *Buf, p []byte) Status {
	if len(b.Out)-b.OutPos < len(p) {
		return StatusOK
	}
	b.OutPos += copy(b.Out[b.OutPos:], p)
	return StatusEnd
}
