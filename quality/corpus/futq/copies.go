package futq

func crc(sum uint32, b []byte) uint32 {
	for _, c := range b {
		sum = sum*31 + uint32(c)
	}
	return sum
}

// scanState is the progress of a checksum over pages [Page, To): the sum
// so far and the read of the current page, held by value.
type scanState struct {
	Page    int
	To      int
	Sum     uint32
	read    Op
	reading bool
}

// Checksum sums pages [From, To) of a device, one read at a time. Its
// step works on a local copy of its state, as code ported from a
// value-typed state machine does.
type Checksum struct {
	Dev *Device
	st  scanState
}

// NewChecksum returns a checksum of pages [from, to) of d.
func NewChecksum(d *Device, from, to int) *Checksum {
	return &Checksum{Dev: d, st: scanState{Page: from, To: to}}
}

// PollCopy sums the pages.
//
// quality: bug C5 the state is copied into a local and stored back only when the sum is ready: at a Pending the read in flight and the pages summed are dropped with the copy, and the re-poll starts again from the first page
func (f *Checksum) PollCopy(cx *Context) Poll[uint32] {
	st := f.st
	for st.Page < st.To {
		if !st.reading {
			st.read = Op{Dev: f.Dev, Kind: KindRead, Page: st.Page}
			st.reading = true
		}
		p := st.read.Poll(cx)
		if !p.IsReady() {
			// Bug: st is not stored back: its read and its sum are lost.
			return Pending[uint32]()
		}
		st.Sum = crc(st.Sum, p.Value().Buf)
		st.reading = false
		st.Page++
	}
	f.st = st
	return Ready(st.Sum)
}

// Poll sums the pages.
//
// quality: ok C5 the state is copied into a local for the step and stored back before every return, the Pending included
func (f *Checksum) Poll(cx *Context) Poll[uint32] {
	st := f.st
	for st.Page < st.To {
		if !st.reading {
			st.read = Op{Dev: f.Dev, Kind: KindRead, Page: st.Page}
			st.reading = true
		}
		p := st.read.Poll(cx)
		if !p.IsReady() {
			f.st = st
			// Re-entrancy: the copy, with the read in flight and the sum
			// so far, was stored back; the re-poll resumes it.
			return Pending[uint32]()
		}
		st.Sum = crc(st.Sum, p.Value().Buf)
		st.reading = false
		st.Page++
	}
	f.st = st
	return Ready(st.Sum)
}

// Gather reads a set of pages concurrently: every read is in flight at
// once, and the future is ready when all are.
type Gather struct {
	Reads []Op
	done  []bool
	Pages [][]byte
}

// NewGather returns a gather of pages of d.
func NewGather(d *Device, pages ...int) *Gather {
	g := &Gather{Reads: make([]Op, len(pages)), done: make([]bool, len(pages)), Pages: make([][]byte, len(pages))}
	for i, p := range pages {
		g.Reads[i] = Op{Dev: d, Kind: KindRead, Page: p}
	}
	return g
}

// PollRange reads the pages.
//
// quality: bug C5 the range variable is a copy of the read: the request its poll submits is kept in the copy, so every poll submits every unfinished read again and none is ever waited for
func (f *Gather) PollRange(cx *Context) Poll[[][]byte] {
	waiting := false
	for i, r := range f.Reads {
		if f.done[i] {
			continue
		}
		p := r.Poll(cx)
		if !p.IsReady() {
			waiting = true
			continue
		}
		f.Pages[i] = p.Value().Buf
		f.done[i] = true
	}
	if waiting {
		// Bug: the requests submitted by this poll were kept in r, a copy,
		// and are lost; the re-poll submits them again.
		return Pending[[][]byte]()
	}
	return Ready(f.Pages)
}

// Poll reads the pages.
//
// quality: ok C5 each read is polled in place, through its index, so the request it submits stays in f.Reads; finished reads are marked done and skipped
func (f *Gather) Poll(cx *Context) Poll[[][]byte] {
	waiting := false
	for i := range f.Reads {
		if f.done[i] {
			continue
		}
		p := f.Reads[i].Poll(cx)
		if !p.IsReady() {
			waiting = true
			continue
		}
		f.Pages[i] = p.Value().Buf
		f.done[i] = true
	}
	if waiting {
		// Re-entrancy: the reads still pending are re-polled in place; the
		// finished ones are marked done and not polled again.
		return Pending[[][]byte]()
	}
	return Ready(f.Pages)
}
