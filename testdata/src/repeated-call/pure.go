package repeated

import "rt"

// Header decodes a fixed header out of the caller's bytes; it waits for
// more bytes on a completion it is handed. It writes nothing and calls
// nothing that does: calling it again is free.
type Header struct{ more *rt.Completion }

func (h *Header) Decode(buf []byte) (rt.IOResult[int], error) {
	if len(buf) < 4 {
		return rt.Wait[int](h.more), nil
	}
	return rt.Done(int(buf[0])<<8 | int(buf[1])), nil
}

// Lookup forwards a cursor's Next: it writes nothing itself, but what it
// calls moves the cursor, so it is not free to call again.
type Lookup struct{ cur *rt.Cursor }

func (l *Lookup) Get() (rt.IOResult[int], error) { return l.cur.Next() }

type Frame struct {
	hdr  Header
	look Lookup
	body *rt.Cursor
}

// Decoding the header again on re-entry repeats nothing.
func (f *Frame) Read(buf []byte) (rt.IOResult[int], error) {
	n, err := f.hdr.Decode(buf)
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	b, err := f.body.Next()
	if err != nil || b.IsIO() {
		return rt.Forward[int](b, err)
	}
	return rt.Done(n.Value() + b.Value()), nil
}

// The flagged twin: the forwarder moves a cursor, and re-entry moves it
// again.
func (f *Frame) ReadBuggy() (rt.IOResult[int], error) {
	n, err := f.look.Get() // want `calls f\.look\.Get, which already returned Done, runs again when the yield at pure\.go:\d+ re-enters`
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	b, err := f.body.Next()
	if err != nil || b.IsIO() {
		return rt.Forward[int](b, err)
	}
	return rt.Done(n.Value() + b.Value()), nil
}
