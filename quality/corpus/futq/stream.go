package futq

// Item is one element of a stream, or its end.
type Item struct {
	V   byte
	End bool
}

// Scan is a stream over the bytes of pages [Page, To): polled once per
// item, it reads a page when the one before is used up.
type Scan struct {
	Dev  *Device
	Page int
	To   int
	buf  []byte
	off  int
	read *Op
}

// PollNextOrEnd returns the next item.
//
// quality: bug C9 a page read that is not ready is reported as the end of the stream: the consumer stops, and the rest of the pages is never read
func (s *Scan) PollNextOrEnd(cx *Context) Poll[Item] {
	for {
		if s.off < len(s.buf) {
			v := s.buf[s.off]
			s.off++
			return Ready(Item{V: v})
		}
		if s.Page == s.To {
			return Ready(Item{End: true})
		}
		if s.read == nil {
			s.read = Read(s.Dev, s.Page)
		}
		p := s.read.Poll(cx)
		if !p.IsReady() {
			// Bug: "no data yet" is answered as "no more data".
			return Ready(Item{End: true})
		}
		s.buf, s.off, s.read = p.Value().Buf, 0, nil
		s.Page++
	}
}

// PollNext returns the next item.
//
// quality: ok C9 a page read that is not ready is answered with Pending (ready!), and the read is kept in the stream for the re-poll
func (s *Scan) PollNext(cx *Context) Poll[Item] {
	for {
		if s.off < len(s.buf) {
			v := s.buf[s.off]
			s.off++
			return Ready(Item{V: v})
		}
		if s.Page == s.To {
			return Ready(Item{End: true})
		}
		if s.read == nil {
			s.read = Read(s.Dev, s.Page)
		}
		p := s.read.Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: ready!: s.read is kept and re-polled; the items
			// already returned were consumed with s.off.
			return Pending[Item]()
		}
		s.buf, s.off, s.read = p.Value().Buf, 0, nil
		s.Page++
	}
}

// KV reads a key and a value, two consecutive items of a stream.
type KV struct {
	Src     *Scan
	key     Item
	haveKey bool
}

// PollTwice reads the pair.
//
// quality: bug C2 the stream already gave the key when the value is pending: the re-poll asks the stream for a key again, and takes the value for it
func (f *KV) PollTwice(cx *Context) Poll[[2]byte] {
	k := f.Src.PollNext(cx)
	if !k.IsReady() {
		// Re-entrancy: nothing taken from the stream yet.
		return Pending[[2]byte]()
	}
	v := f.Src.PollNext(cx)
	if !v.IsReady() {
		// Bug: k was consumed from the stream; the re-poll reads another.
		return Pending[[2]byte]()
	}
	return Ready([2]byte{k.Value().V, v.Value().V})
}

// Poll reads the pair.
//
// quality: ok C2 the key is kept in the future once the stream gave it, so the re-poll asks the stream only for the value
func (f *KV) Poll(cx *Context) Poll[[2]byte] {
	if !f.haveKey {
		k := f.Src.PollNext(cx)
		if !k.IsReady() {
			// Re-entrancy: nothing taken from the stream yet.
			return Pending[[2]byte]()
		}
		f.key, f.haveKey = k.Value(), true
	}
	v := f.Src.PollNext(cx)
	if !v.IsReady() {
		// Re-entrancy: the key is in f.key; the re-poll skips its read.
		return Pending[[2]byte]()
	}
	f.haveKey = false
	return Ready([2]byte{f.key.V, v.Value().V})
}
