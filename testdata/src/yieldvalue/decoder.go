// Package yieldvalue: a streaming decoder in the style of a C library's Go
// port, where "give me more input and call me again" is a status constant.
// The same constant is the success code of one-shot helpers whose callers
// move on when they return it.
package yieldvalue

// Status is what a decoding step returns.
type Status int

const (
	// StatusOK from a decoding step means "more input needed, call again";
	// from a one-shot helper it means success.
	//
	//reentrycheck:yieldvalue
	StatusOK Status = iota
	StatusStreamEnd
	StatusDataError
)

// Buf is the caller's window of input.
type Buf struct {
	In    []byte
	InPos int
}

// Dec is the decoder's state between calls.
type Dec struct {
	seq     int
	temp    [4]byte
	tempPos int
	magic   bool
	crc     uint32
	blocks  int
	calls   int
	chain   func(b *Buf) Status
}

// fillTemp copies what is available of the fixed-size header.
func fillTemp(d *Dec, b *Buf) bool {
	for d.tempPos < len(d.temp) && b.InPos < len(b.In) {
		d.temp[d.tempPos] = b.In[b.InPos]
		d.tempPos++
		b.InPos++
	}
	return d.tempPos == len(d.temp)
}

// checkMagic is a one-shot helper: StatusOK is success here, and its only
// caller moves on. Its write before returning StatusOK is no mutation
// before a yield.
func checkMagic(d *Dec) Status {
	if d.temp[0] != 0xfd {
		return StatusDataError
	}
	d.magic = true
	return StatusOK
}

// decHeader is one-shot too: it forwards checkMagic's status to a caller
// that moves on when it is StatusOK.
func decHeader(d *Dec) Status {
	d.crc = uint32(d.temp[1])<<8 | uint32(d.temp[2])
	return checkMagic(d)
}

// Run decodes what input there is. StatusOK means "more input needed".
func (d *Dec) Run(b *Buf) Status {
	for {
		switch d.seq {
		case 0:
			if !fillTemp(d, b) {
				return StatusOK
			}
			d.seq = 1
			if ret := decHeader(d); ret != StatusOK {
				return ret
			}
		case 1:
			if b.InPos == len(b.In) {
				return StatusOK
			}
			if b.In[b.InPos] == 0 {
				d.seq = 2
				continue
			}
			b.InPos++
		case 2:
			return StatusStreamEnd
		}
	}
}

// RunCountingBuggy counts a block before finding out that the input ran
// out: every call with no new input counts it again.
func (d *Dec) RunCountingBuggy(b *Buf) Status {
	d.blocks++ // want `increments d\.blocks before the yield at decoder\.go:\d+`
	if b.InPos == len(b.In) {
		return StatusOK
	}
	b.InPos++
	return StatusStreamEnd
}

// The silent twin: the block is counted once it is consumed.
func (d *Dec) RunCounting(b *Buf) Status {
	if b.InPos == len(b.In) {
		return StatusOK
	}
	b.InPos++
	d.blocks++
	return StatusStreamEnd
}

// RunChainBuggy counts calls of the filter chain (a function value, so its
// callee is unknown; its status type says it may ask for more input).
func (d *Dec) RunChainBuggy(b *Buf) Status {
	d.calls++ // want `increments d\.calls before the yield at decoder\.go:\d+`
	return d.chain(b)
}

// The silent twin: the chain's status decides whether the call counts.
func (d *Dec) RunChain(b *Buf) Status {
	ret := d.chain(b)
	if ret == StatusOK {
		return ret
	}
	d.calls++
	return ret
}

// Pipeline runs two decoders one after the other.
type Pipeline struct {
	first, second *Dec
	stage         int
}

// RunBuggy re-runs the first decoder, already at its stream end, whenever
// the second asks for more input.
func (p *Pipeline) RunBuggy(b *Buf) Status {
	ret := p.first.Run(b) // want `calls p\.first\.Run, which already returned Done, runs again when the yield at decoder\.go:\d+ re-enters`
	if ret != StatusStreamEnd {
		return ret
	}
	return p.second.Run(b)
}

// The silent twin: a stage per decoder.
func (p *Pipeline) Run(b *Buf) Status {
	if p.stage == 0 {
		ret := p.first.Run(b)
		if ret != StatusStreamEnd {
			return ret
		}
		p.stage = 1
	}
	return p.second.Run(b)
}
