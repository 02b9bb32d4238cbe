package decq

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/quality/internal/spelltest"
)

// window is the caller's buffers. The reference hands the step the whole
// input and an output window it cannot fill; a yielding world starts with
// no input and a 4-byte output window, and on each StatusOK (the caller
// refilling and draining) appends up to 5 more input bytes and, one time
// in two, ships what the window holds: so a step meets both an empty
// input with room to write and a full output with input to spare.
type window struct {
	b    *Buf
	src  []byte
	sink []byte
}

func newWindow(g *spelltest.Gate, src []byte) *window {
	w := &window{src: src, b: &Buf{Out: make([]byte, 4)}}
	if g.Reference() {
		w.b.In, w.b.Out = src, make([]byte, 256)
	}
	return w
}

func (w *window) ready(g *spelltest.Gate) {
	if g.Chunk(1, 1) == 1 {
		w.sink = append(w.sink, w.b.Out[:w.b.OutPos]...)
		w.b.OutPos = 0
	}
	w.b.In = w.src[:len(w.b.In)+g.Chunk(len(w.src)-len(w.b.In), 5)]
}

// output is everything the step wrote, shipped or still in the window.
func (w *window) output() []byte {
	return append(append([]byte(nil), w.sink...), w.b.Out[:w.b.OutPos]...)
}

// check drives the step built on a window over src: the caller calls it
// until it stops returning StatusOK, and compares its last status, the
// output, the input consumed and the step's own state with the reference.
func check(src []byte, build func(b *Buf) (func() Status, func() any)) func() qtest.Result {
	return func() qtest.Result {
		return spelltest.Check(func(g *spelltest.Gate) spelltest.Run[Status] {
			w := newWindow(g, src)
			op, state := build(w.b)
			return spelltest.Run[Status]{
				Op:       op,
				Yielded:  func(s Status) bool { return s == StatusOK },
				Ready:    func() { w.ready(g) },
				Snapshot: func() any { return []any{w.output(), w.b.InPos, state()} },
			}
		})
	}
}

var payload = []byte("the quick brown fox")

// stream is a complete encoded stream of two blocks.
func stream() []byte {
	s := []byte{Magic, 1, Magic ^ 1, 3, 'a', 'b', 'c', 4, 'd', 'e', 'f', 'g', 0}
	var sum byte
	for _, c := range []byte("abcdefg") {
		sum ^= c
	}
	return append(s, sum)
}

func block(n int) []byte {
	s := []byte{byte(n)}
	for i := 0; i < n; i++ {
		s = append(s, 'A'+byte(i))
	}
	return s
}

func decode(b *Buf) (func() Status, func() any) {
	d := &Decoder{}
	return func() Status { return d.Decode(b) }, func() any { return []any{d.seq, d.Version, d.hdrOK, d.Blocks, d.Sum} }
}

func TestLabels(t *testing.T) {
	// The stream's trailer must match, or the decoding cases would compare
	// two identical data errors and prove nothing.
	b := &Buf{In: stream(), Out: make([]byte, 64)}
	if st := (&Decoder{}).Decode(b); st != StatusEnd {
		t.Fatalf("reference stream decodes to %v", st)
	}
	copier := func(step func(c *Copier, b *Buf) Status) func() qtest.Result {
		return check(payload, func(b *Buf) (func() Status, func() any) {
			c := &Copier{Left: len(payload)}
			return func() Status { return step(c, b) }, func() any { return *c }
		})
	}
	reader := func(step func(r *BlockReader, b *Buf) Status) func() qtest.Result {
		return check(block(7), func(b *Buf) (func() Status, func() any) {
			r := &BlockReader{}
			return func() Status { return step(r, b) }, func() any { return *r }
		})
	}
	container := func(step func(c *Container, b *Buf) Status) func() qtest.Result {
		return check(append(block(4), payload[:6]...), func(b *Buf) (func() Status, func() any) {
			c := &Container{Body: Copier{Left: 6}}
			return func() Status { return step(c, b) }, func() any { return *c }
		})
	}
	framer := func(step func(f *Framer, b *Buf) Status) func() qtest.Result {
		return check(append([]byte{10}, payload[:10]...), func(b *Buf) (func() Status, func() any) {
			f := &Framer{}
			return func() Status { return step(f, b) }, func() any { return *f }
		})
	}
	blocks := func(step func(d *Decoder, b *Buf) Status) func() qtest.Result {
		return check(block(8), func(b *Buf) (func() Status, func() any) {
			d := &Decoder{}
			return func() Status { return step(d, b) }, func() any { return d.blk }
		})
	}
	encoder := func(step func(e *Encoder, b *Buf) Status) func() qtest.Result {
		return check(payload, func(b *Buf) (func() Status, func() any) {
			e := NewEncoder(len(payload))
			return func() Status { return step(e, b) }, func() any { return *e }
		})
	}
	qtest.Run(t, []qtest.Case{
		{Func: "Copier.StepSumFirst", Check: copier((*Copier).StepSumFirst)},
		{Func: "Copier.Step", Check: copier((*Copier).Step)},
		{Func: "Copier.StepReserve", Check: copier((*Copier).StepReserve)},
		{Func: "BlockReader.NextCountFirst", Check: reader((*BlockReader).NextCountFirst)},
		{Func: "BlockReader.Next", Check: reader((*BlockReader).Next)},
		{Func: "Container.RunEarly", Check: container((*Container).RunEarly)},
		{Func: "Container.Run", Check: container((*Container).Run)},
		{Func: "Framer.RunLenTwice", Check: framer((*Framer).RunLenTwice)},
		{Func: "Framer.Run", Check: framer((*Framer).Run)},
		// The helpers are one-shot: their callers never re-call them on
		// StatusOK. They are confirmed in context, through the decoder
		// that is their only caller, whose version and header flag they set.
		{Func: "checkHeaderSum", Check: check(stream(), decode)},
		{Func: "parseHeader", Check: check(stream(), decode)},
		{Func: "Decoder.Decode", Check: check(stream(), decode)},
		{Func: "Decoder.BlockCopy", Check: blocks((*Decoder).BlockCopy)},
		{Func: "Decoder.BlockWriteBack", Check: blocks((*Decoder).BlockWriteBack)},
		{Func: "Decoder.BlockInPlace", Check: blocks((*Decoder).BlockInPlace)},
		{Func: "Encoder.EncodeHeaderTwice", Check: encoder((*Encoder).EncodeHeaderTwice)},
		{Func: "Encoder.Encode", Check: encoder((*Encoder).Encode)},
		{Func: "Encoder.FinishEarly", Check: encoder((*Encoder).FinishEarly)},
		{Func: "Encoder.Finish", Check: encoder((*Encoder).Finish)},
		{Func: "Encoder.FinishDiscard", Check: encoder((*Encoder).FinishDiscard)},
		{Func: "Encoder.FlushPartial", Check: encoder((*Encoder).FlushPartial)},
		{Func: "Encoder.Pump", Check: encoder((*Encoder).Pump)},
	})
}
