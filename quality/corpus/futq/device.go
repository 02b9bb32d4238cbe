package futq

import "errors"

// ErrBusy is a failed read: the device asks to be retried later.
var ErrBusy = errors.New("futq: device busy")

// Kind is what a request does.
type Kind int

// Request kinds.
const (
	KindRead   Kind = iota // read a page
	KindAppend             // append records to the device's log
	KindSync               // make the log durable
)

// Result is what a completed request gives.
type Result struct {
	Buf []byte // a read's page
	LSN int    // after an append: the log's length, its last record's number
	Err error
}

// Request is one I/O on a device, in flight until the device completes it.
type Request struct {
	Kind  Kind
	Page  int
	Recs  [][]byte
	early bool // submitted inside the busy window: it will fail
	res   Result
	done  bool
	waker Waker
}

// Done reports whether the device completed r.
func (r *Request) Done() bool { return r.done }

// Result is r's result, once done.
func (r *Request) Result() Result { return r.res }

// Register asks the device to wake w when r completes. A later
// registration replaces the earlier one (the task may have moved).
func (r *Request) Register(w Waker) { r.waker = w }

// Device is a simulated block device with a log. Requests complete in
// submission order when the device gets to them (Complete); an instant
// device completes every request as it is submitted.
type Device struct {
	Clock   *Clock
	Instant bool

	pages map[int][]byte
	queue []*Request // submitted, not completed, in order

	Submits int      // requests submitted
	Log     [][]byte // records appended, in order
	Durable int      // records made durable by a sync

	failLeft  int // reads still to fail with ErrBusy
	BusyFor   int // after a failure, reads submitted within this many ticks fail too
	busyUntil int
}

// NewDevice returns a device holding pages, on the clock clk.
func NewDevice(clk *Clock, pages map[int][]byte) *Device {
	return &Device{Clock: clk, pages: pages}
}

// FailReads makes the next n reads fail with ErrBusy.
func (d *Device) FailReads(n int) { d.failLeft = n }

// Submit queues a request.
func (d *Device) Submit(k Kind, page int, recs [][]byte) *Request {
	d.Submits++
	r := &Request{Kind: k, Page: page, Recs: recs, early: d.Clock.Before(d.busyUntil)}
	d.queue = append(d.queue, r)
	if d.Instant {
		d.Complete(len(d.queue))
	}
	return r
}

// Outstanding is how many requests are in flight.
func (d *Device) Outstanding() int { return len(d.queue) }

// Complete completes the n oldest requests in flight and wakes their
// tasks.
func (d *Device) Complete(n int) {
	for ; n > 0 && len(d.queue) > 0; n-- {
		r := d.queue[0]
		d.queue = d.queue[1:]
		switch r.Kind {
		case KindRead:
			switch {
			case r.early:
				r.res.Err = ErrBusy
				d.busyUntil = d.Clock.Now + d.BusyFor
			case d.failLeft > 0:
				d.failLeft--
				r.res.Err = ErrBusy
				d.busyUntil = d.Clock.Now + d.BusyFor
			default:
				r.res.Buf = append([]byte(nil), d.pages[r.Page]...)
			}
		case KindAppend:
			d.Log = append(d.Log, r.Recs...)
			r.res.LSN = len(d.Log)
		case KindSync:
			d.Durable = len(d.Log)
		}
		r.done = true
		if r.waker != nil {
			r.waker.Wake()
		}
	}
}

// cancel withdraws r if it is still in flight.
func (d *Device) cancel(r *Request) {
	for i, q := range d.queue {
		if q == r {
			d.queue = append(d.queue[:i:i], d.queue[i+1:]...)
			return
		}
	}
}

// Clock is the runtime's timer clock, in ticks. A clock in Auto mode
// stands for time that flows infinitely fast (a paused test clock with
// auto-advance): every deadline has passed and nothing is early.
type Clock struct {
	Now      int
	Auto     bool
	sleepers map[*Sleep]Waker
}

// NewClock returns a clock at tick 0.
func NewClock() *Clock { return &Clock{sleepers: map[*Sleep]Waker{}} }

// Before reports whether tick t is still to come.
func (c *Clock) Before(t int) bool { return !c.Auto && c.Now < t }

// Advance moves the clock n ticks on and wakes the sleepers whose
// deadline passed.
func (c *Clock) Advance(n int) {
	c.Now += n
	for s, w := range c.sleepers {
		if !c.Before(s.deadline) {
			delete(c.sleepers, s)
			if w != nil {
				w.Wake()
			}
		}
	}
}

// Op is a leaf future: one device request, submitted on the first poll,
// pending until the device completes it.
type Op struct {
	Dev  *Device
	Kind Kind
	Page int
	Recs [][]byte
	req  *Request
	done bool
}

// Read is a future reading page from d.
func Read(d *Device, page int) *Op { return &Op{Dev: d, Kind: KindRead, Page: page} }

// Append is a future appending recs to d's log.
func Append(d *Device, recs [][]byte) *Op { return &Op{Dev: d, Kind: KindAppend, Recs: recs} }

// Sync is a future making d's log durable.
func Sync(d *Device) *Op { return &Op{Dev: d, Kind: KindSync} }

// Poll submits the request on the first poll and is ready when the device
// completed it.
//
// quality: ok C1 the request is submitted once: the gate f.req == nil is tested on entry and set by the submission, so a re-poll only waits on it
func (f *Op) Poll(cx *Context) Poll[Result] {
	if f.done {
		panic("futq: Op polled after it returned Ready")
	}
	if f.req == nil {
		f.req = f.Dev.Submit(f.Kind, f.Page, f.Recs)
	}
	if !f.req.Done() {
		f.req.Register(cx.Waker)
		// Re-entrancy: the request is kept in f.req; a re-poll waits on it
		// instead of submitting again, and only re-registers the waker.
		return Pending[Result]()
	}
	f.done = true
	return Ready(f.req.Result())
}

// Cancel drops the future: its request, if still in flight, is withdrawn.
func (f *Op) Cancel() {
	if f.req != nil && !f.req.Done() {
		f.Dev.cancel(f.req)
	}
	f.done = true
}

// Sleep is a timer future: ready D ticks after its first poll.
type Sleep struct {
	Clock    *Clock
	D        int
	deadline int
	armed    bool
}

// After is a timer of d ticks on c.
func After(c *Clock, d int) *Sleep { return &Sleep{Clock: c, D: d} }

// Poll arms the timer on the first poll and is ready, with its deadline,
// once the deadline passed.
//
// quality: ok C1 the deadline is fixed on the first poll under the armed flag, tested on entry; a re-poll only re-registers the waker, keyed by the timer
func (f *Sleep) Poll(cx *Context) Poll[int] {
	if !f.armed {
		f.deadline = f.Clock.Now + f.D
		f.armed = true
	}
	if f.Clock.Before(f.deadline) {
		f.Clock.sleepers[f] = cx.Waker
		// Re-entrancy: armed is set, so the re-poll keeps the deadline; the
		// waker entry is overwritten, not added.
		return Pending[int]()
	}
	return Ready(f.deadline)
}
