package futq

// Cache is a page cache over a device, with the reads in flight kept by
// page, so that concurrent readers of a page share one read.
type Cache struct {
	Dev      *Device
	pages    map[int][]byte
	inflight map[int]*Request
	Hits     int
	Misses   int
}

// NewCache returns an empty cache over d.
func NewCache(d *Device) *Cache {
	return &Cache{Dev: d, pages: map[int][]byte{}, inflight: map[int]*Request{}}
}

// CacheRead is a future reading one page through the cache.
type CacheRead struct {
	C    *Cache
	Page int
}

// PollCountMiss reads the page through the cache.
//
// quality: bug C1 every poll that does not hit counts a miss, before it looks for the read in flight: each re-poll of the same miss counts it again
func (f *CacheRead) PollCountMiss(cx *Context) Poll[[]byte] {
	c := f.C
	if b, ok := c.pages[f.Page]; ok {
		c.Hits++
		return Ready(b)
	}
	c.Misses++
	r, ok := c.inflight[f.Page]
	if !ok {
		r = c.Dev.Submit(KindRead, f.Page, nil)
		c.inflight[f.Page] = r
	}
	if !r.Done() {
		r.Register(cx.Waker)
		// Bug: Misses was incremented above; the re-poll finds the read in
		// flight and increments it again.
		return Pending[[]byte]()
	}
	delete(c.inflight, f.Page)
	c.pages[f.Page] = r.Result().Buf
	return Ready(r.Result().Buf)
}

// Poll reads the page through the cache.
//
// quality: ok C1 the miss is counted once, with the submission it causes, which the in-flight map records: the re-poll finds the read there and only waits
func (f *CacheRead) Poll(cx *Context) Poll[[]byte] {
	c := f.C
	if b, ok := c.pages[f.Page]; ok {
		c.Hits++
		return Ready(b)
	}
	r, ok := c.inflight[f.Page]
	if !ok {
		c.Misses++
		r = c.Dev.Submit(KindRead, f.Page, nil)
		c.inflight[f.Page] = r
	}
	if !r.Done() {
		r.Register(cx.Waker)
		// Re-entrancy: the read and its miss are recorded in c.inflight;
		// the re-poll takes the other branch and writes nothing.
		return Pending[[]byte]()
	}
	delete(c.inflight, f.Page)
	c.pages[f.Page] = r.Result().Buf
	return Ready(r.Result().Buf)
}

// ReadAhead reads pages [Next, To) in order, keeping up to Depth reads in
// flight ahead of the one it waits for.
type ReadAhead struct {
	Dev    *Device
	Next   int
	To     int
	Depth  int
	window []*Request
	Pages  [][]byte
}

// PollPopFirst reads the pages.
//
// quality: bug C1 the head read leaves the window before it is known to be done: when it is not, the re-poll waits on the next read as the head and the page is never collected
func (f *ReadAhead) PollPopFirst(cx *Context) Poll[int] {
	for {
		for len(f.window) < f.Depth && f.Next < f.To {
			f.window = append(f.window, f.Dev.Submit(KindRead, f.Next, nil))
			f.Next++
		}
		if len(f.window) == 0 {
			return Ready(len(f.Pages))
		}
		head := f.window[0]
		f.window = f.window[1:]
		if !head.Done() {
			head.Register(cx.Waker)
			// Bug: head was popped above; the re-poll no longer has it.
			return Pending[int]()
		}
		f.Pages = append(f.Pages, head.Result().Buf)
	}
}

// Poll reads the pages.
//
// quality: ok C1 each submission is committed with the advance of f.Next, and the head leaves the window only once its read is done and its page collected
func (f *ReadAhead) Poll(cx *Context) Poll[int] {
	for {
		for len(f.window) < f.Depth && f.Next < f.To {
			f.window = append(f.window, f.Dev.Submit(KindRead, f.Next, nil))
			f.Next++
		}
		if len(f.window) == 0 {
			return Ready(len(f.Pages))
		}
		head := f.window[0]
		if !head.Done() {
			head.Register(cx.Waker)
			// Re-entrancy: the reads in flight are in f.window and f.Next
			// is past them: the re-poll submits only what a finished head
			// made room for, and waits on the same head.
			return Pending[int]()
		}
		f.Pages = append(f.Pages, head.Result().Buf)
		f.window = f.window[1:]
	}
}

// Record is a decoded page: its first byte is the record's kind, the rest
// its body.
type Record struct {
	Kind byte
	Body string
	Err  error
}

func decodeRecord(b []byte) Record {
	if len(b) == 0 {
		return Record{}
	}
	return Record{Kind: b[0], Body: string(b[1:])}
}

// Decode reads a page and decodes its record.
type Decode struct{ Read *Op }

// PollNoWait decodes the page.
//
// quality: bug C9 a read that is not ready is answered with an empty record, Ready: the caller takes the page for empty and never polls again
func (f *Decode) PollNoWait(cx *Context) Poll[Record] {
	p := f.Read.Poll(cx)
	if !p.IsReady() {
		// Bug: the read's Pending becomes Ready(Record{}); nobody re-polls
		// the read.
		return Ready(Record{})
	}
	r := p.Value()
	if r.Err != nil {
		return Ready(Record{Err: r.Err})
	}
	return Ready(decodeRecord(r.Buf))
}

// Poll decodes the page.
//
// quality: ok C9 the ready! idiom: the read's Pending is answered with a fresh Pending, and the read is re-polled by the next poll
func (f *Decode) Poll(cx *Context) Poll[Record] {
	p := f.Read.Poll(cx)
	if !p.IsReady() {
		// Re-entrancy: ready!: the read is kept in f.Read and re-polled.
		return Pending[Record]()
	}
	r := p.Value()
	if r.Err != nil {
		return Ready(Record{Err: r.Err})
	}
	return Ready(decodeRecord(r.Buf))
}

// Hedged reads the same page from a primary device and from a mirror and
// keeps whichever answers first; the other read is cancelled.
type Hedged struct{ Primary, Mirror *Op }

// Poll races the two reads.
//
// quality: ok C9 one read's Pending is dropped only in the branch where the other read is ready, and that read is then cancelled; while neither is ready both are re-polled
func (f *Hedged) Poll(cx *Context) Poll[Result] {
	if p := f.Primary.Poll(cx); p.IsReady() {
		f.Mirror.Cancel()
		return p
	}
	if q := f.Mirror.Poll(cx); q.IsReady() {
		f.Primary.Cancel()
		return q
	}
	// Re-entrancy: neither read is ready; both are kept and re-polled.
	return Pending[Result]()
}

// RootPage is the root of the two-level tree Lookup descends.
const RootPage = 1

func childOf(root []byte, key int) int {
	if len(root) == 0 {
		return 0
	}
	return int(root[key%len(root)])
}

func valueOf(leaf []byte, key int) byte {
	if len(leaf) == 0 {
		return 0
	}
	return leaf[key%len(leaf)]
}

// Lookup descends a two-level tree: the root page names the leaf page of
// the key, the leaf page holds its value.
type Lookup struct {
	Dev   *Device
	Key   int
	phase int
	root  *Op
	leaf  *Op
	child int
}

// Lookup phases.
const (
	lookRoot = iota
	lookLeaf
)

// PollEarly looks the key up.
//
// quality: bug C3 the phase moves to lookLeaf before the root read is polled: when it is pending the re-poll is in lookLeaf, the root read is abandoned and the leaf read goes to page 0
func (f *Lookup) PollEarly(cx *Context) Poll[byte] {
	switch f.phase {
	case lookRoot:
		if f.root == nil {
			f.root = Read(f.Dev, RootPage)
		}
		f.phase = lookLeaf
		p := f.root.Poll(cx)
		if !p.IsReady() {
			// Bug: the phase already says lookLeaf: the re-poll never
			// polls the root read again and f.child stays 0.
			return Pending[byte]()
		}
		f.child = childOf(p.Value().Buf, f.Key)
		fallthrough
	case lookLeaf:
		if f.leaf == nil {
			f.leaf = Read(f.Dev, f.child)
		}
		p := f.leaf.Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: the phase is lookLeaf and the leaf read is in
			// f.leaf: the re-poll polls it again.
			return Pending[byte]()
		}
		return Ready(valueOf(p.Value().Buf, f.Key))
	}
	panic("futq: Lookup in an unknown phase")
}

// Poll looks the key up.
//
// quality: ok C3 the phase moves to lookLeaf only after the root read is ready and the child page is known
func (f *Lookup) Poll(cx *Context) Poll[byte] {
	switch f.phase {
	case lookRoot:
		if f.root == nil {
			f.root = Read(f.Dev, RootPage)
		}
		p := f.root.Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: the phase is still lookRoot: the re-poll polls
			// the root read again.
			return Pending[byte]()
		}
		f.child = childOf(p.Value().Buf, f.Key)
		f.phase = lookLeaf
		fallthrough
	case lookLeaf:
		if f.leaf == nil {
			f.leaf = Read(f.Dev, f.child)
		}
		p := f.leaf.Poll(cx)
		if !p.IsReady() {
			// Re-entrancy: the phase is lookLeaf and the leaf read is in
			// f.leaf: the re-poll polls it again.
			return Pending[byte]()
		}
		return Ready(valueOf(p.Value().Buf, f.Key))
	}
	panic("futq: Lookup in an unknown phase")
}
