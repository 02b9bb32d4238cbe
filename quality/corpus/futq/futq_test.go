package futq

import (
	"fmt"
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/quality/internal/spelltest"
)

// busyFor is how long a device stays busy after a failed read. The
// backoff of Retry starts at it, so a retry that waits its backoff never
// meets a busy device.
const busyFor = 4

// pages is what every device holds. Page 1 is the root of Lookup's tree,
// naming leaf pages 2, 3 and 4; page 0 is a superblock; pages 10 and 11
// hold a key and a value item for KV.
var pages = map[int][]byte{
	0:        []byte("super"),
	RootPage: {2, 3, 4},
	2:        []byte("abc"),
	3:        []byte("defg"),
	4:        []byte("hi"),
	5:        []byte("jklmn"),
	10:       []byte("k"),
	11:       []byte("vw"),
}

type waker struct{ wakes int }

func (w *waker) Wake() { w.wakes++ }

// world is the executor's environment: a clock and the devices. The
// reference world never makes a future pend: its devices complete every
// request as it is submitted and its clock stands for time that flows
// infinitely fast (every deadline has passed). A yielding world's devices
// complete nothing by themselves and its clock starts at 0: after each
// Pending (the executor parked until a wake-up) each device completes 0
// to 2 of its oldest requests and the clock moves 0 to 3 ticks on.
type world struct {
	g    *spelltest.Gate
	clk  *Clock
	devs []*Device
	cx   *Context
}

func newWorld(g *spelltest.Gate) *world {
	w := &world{g: g, clk: NewClock(), cx: &Context{Waker: &waker{}}}
	w.clk.Auto = g.Reference()
	return w
}

func (w *world) device() *Device {
	d := NewDevice(w.clk, pages)
	d.Instant = w.g.Reference()
	d.BusyFor = busyFor
	w.devs = append(w.devs, d)
	return d
}

func (w *world) ready() {
	for _, d := range w.devs {
		d.Complete(w.g.Chunk(d.Outstanding(), 2))
	}
	w.clk.Advance(w.g.Chunk(3, 3))
}

// devices is the devices' observable state: what was submitted, what is
// still in flight, the log and how much of it is durable.
func (w *world) devices() []string {
	var out []string
	for _, d := range w.devs {
		out = append(out, fmt.Sprintf("submits=%d outstanding=%d log=%q durable=%d", d.Submits, d.Outstanding(), d.Log, d.Durable))
	}
	return out
}

// polled is one poll as the executor sees it; the value is formatted at
// the top level so that errors print as their message.
type polled struct {
	Ready bool
	V     string
}

// check drives the future built in a world: the executor polls it until
// it is ready and compares its value and the observable state with the
// reference's. snap defaults to the devices' state.
func check[T any](build func(w *world) (func(cx *Context) Poll[T], func() any)) func() qtest.Result {
	return func() qtest.Result {
		return spelltest.Check(func(g *spelltest.Gate) spelltest.Run[polled] {
			w := newWorld(g)
			poll, snap := build(w)
			if snap == nil {
				snap = func() any { return w.devices() }
			}
			return spelltest.Run[polled]{
				Op: func() polled {
					p := poll(w.cx)
					return polled{p.IsReady(), fmt.Sprintf("%+v", p.Value())}
				},
				Yielded:  func(p polled) bool { return !p.Ready },
				Ready:    w.ready,
				Snapshot: snap,
			}
		})
	}
}

func strs(bs [][]byte) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, string(b))
	}
	return out
}

func TestLabels(t *testing.T) {
	cache := func(poll func(f *CacheRead, cx *Context) Poll[[]byte]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[[]byte], func() any) {
			c := NewCache(w.device())
			f := &CacheRead{C: c, Page: 3}
			return func(cx *Context) Poll[[]byte] { return poll(f, cx) }, func() any {
				return []any{c.Hits, c.Misses, len(c.inflight), len(c.pages), w.devices()}
			}
		})
	}
	readAhead := func(poll func(f *ReadAhead, cx *Context) Poll[int]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[int], func() any) {
			f := &ReadAhead{Dev: w.device(), Next: 2, To: 6, Depth: 2}
			return func(cx *Context) Poll[int] { return poll(f, cx) }, func() any {
				return []any{strs(f.Pages), f.Next, len(f.window), w.devices()}
			}
		})
	}
	decode := func(poll func(f *Decode, cx *Context) Poll[Record]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[Record], func() any) {
			f := &Decode{Read: Read(w.device(), 3)}
			return func(cx *Context) Poll[Record] { return poll(f, cx) }, nil
		})
	}
	lookup := func(poll func(f *Lookup, cx *Context) Poll[byte]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[byte], func() any) {
			f := &Lookup{Dev: w.device(), Key: 4}
			return func(cx *Context) Poll[byte] { return poll(f, cx) }, nil
		})
	}
	checksum := func(poll func(f *Checksum, cx *Context) Poll[uint32]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[uint32], func() any) {
			f := NewChecksum(w.device(), 2, 6)
			return func(cx *Context) Poll[uint32] { return poll(f, cx) }, func() any {
				return []any{f.st.Page, f.st.Sum, f.st.reading, w.devices()}
			}
		})
	}
	gather := func(poll func(f *Gather, cx *Context) Poll[[][]byte]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[[][]byte], func() any) {
			f := NewGather(w.device(), 2, 3, 4)
			return func(cx *Context) Poll[[][]byte] { return poll(f, cx) }, func() any {
				return []any{strs(f.Pages), f.done, w.devices()}
			}
		})
	}
	join := func(poll func(j *Join[Result, Result], cx *Context) Poll[Both[Result, Result]]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[Both[Result, Result]], func() any) {
			d := w.device()
			j := &Join[Result, Result]{FA: Read(d, 2), FB: Read(d, 3)}
			return func(cx *Context) Poll[Both[Result, Result]] { return poll(j, cx) }, nil
		})
	}
	seq := func(poll func(f *Seq[Result], cx *Context) Poll[[]Result]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[[]Result], func() any) {
			d := w.device()
			f := NewSeq[Result](Read(d, 2), Read(d, 3), Read(d, 4))
			return func(cx *Context) Poll[[]Result] { return poll(f, cx) }, nil
		})
	}
	// The stream is consumed to its end by the executor's task: each
	// ready item is collected, the end stops the task.
	scan := func(next func(s *Scan, cx *Context) Poll[Item]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[Item], func() any) {
			s := &Scan{Dev: w.device(), Page: 2, To: 6}
			var got []byte
			return func(cx *Context) Poll[Item] {
					for {
						p := next(s, cx)
						if !p.IsReady() || p.Value().End {
							return p
						}
						got = append(got, p.Value().V)
					}
				}, func() any {
					return []any{string(got), s.Page, s.off, w.devices()}
				}
		})
	}
	kv := func(poll func(f *KV, cx *Context) Poll[[2]byte]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[[2]byte], func() any) {
			src := &Scan{Dev: w.device(), Page: 10, To: 12}
			f := &KV{Src: src}
			return func(cx *Context) Poll[[2]byte] { return poll(f, cx) }, func() any {
				return []any{src.Page, src.off, string(src.buf), f.haveKey, w.devices()}
			}
		})
	}
	// Two transactions added their records before this commit: the
	// commit carries them too.
	commit := func(poll func(f *Commit, cx *Context) Poll[int]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[int], func() any) {
			l := &Log{Dev: w.device()}
			l.Add([]byte("t1"))
			l.Add([]byte("t2"))
			f := &Commit{Log: l, Recs: [][]byte{[]byte("c1"), []byte("c2")}}
			return func(cx *Context) Poll[int] { return poll(f, cx) }, func() any {
				return []any{strs(l.batch), w.devices()}
			}
		})
	}
	// The device fails the first two reads; the third attempt succeeds
	// when the retry waits its backoff.
	retry := func(poll func(f *Retry, cx *Context) Poll[Result]) func() qtest.Result {
		return check(func(w *world) (func(*Context) Poll[Result], func() any) {
			d := w.device()
			d.FailReads(2)
			f := &Retry{Dev: d, Clock: w.clk, Page: 3, Base: busyFor, Max: 5}
			return func(cx *Context) Poll[Result] { return poll(f, cx) }, func() any {
				return []any{f.Attempts, w.devices()}
			}
		})
	}
	qtest.Run(t, []qtest.Case{
		{Func: "Op.Poll", Check: check(func(w *world) (func(*Context) Poll[Result], func() any) {
			return Read(w.device(), 2).Poll, nil
		})},
		{Func: "Sleep.Poll", Check: check(func(w *world) (func(*Context) Poll[int], func() any) {
			return After(w.clk, 5).Poll, func() any { return len(w.clk.sleepers) }
		})},
		{Func: "CacheRead.PollCountMiss", Check: cache((*CacheRead).PollCountMiss)},
		{Func: "CacheRead.Poll", Check: cache((*CacheRead).Poll)},
		{Func: "ReadAhead.PollPopFirst", Check: readAhead((*ReadAhead).PollPopFirst)},
		{Func: "ReadAhead.Poll", Check: readAhead((*ReadAhead).Poll)},
		{Func: "Decode.PollNoWait", Check: decode((*Decode).PollNoWait)},
		{Func: "Decode.Poll", Check: decode((*Decode).Poll)},
		// Which read wins depends on the schedule by design, and the loser
		// may never have been submitted (the reference's mirror is not):
		// the submission counts are left out; the page, and that no read
		// is left in flight, are compared.
		{Func: "Hedged.Poll", Check: check(func(w *world) (func(*Context) Poll[Result], func() any) {
			primary, mirror := w.device(), w.device()
			f := &Hedged{Primary: Read(primary, 3), Mirror: Read(mirror, 3)}
			return f.Poll, func() any { return []int{primary.Outstanding(), mirror.Outstanding()} }
		})},
		{Func: "Lookup.PollEarly", Check: lookup((*Lookup).PollEarly)},
		{Func: "Lookup.Poll", Check: lookup((*Lookup).Poll)},
		{Func: "Checksum.PollCopy", Check: checksum((*Checksum).PollCopy)},
		{Func: "Checksum.Poll", Check: checksum((*Checksum).Poll)},
		{Func: "Gather.PollRange", Check: gather((*Gather).PollRange)},
		{Func: "Gather.Poll", Check: gather((*Gather).Poll)},
		{Func: "Join.PollRepoll", Check: join((*Join[Result, Result]).PollRepoll)},
		{Func: "Join.Poll", Check: join((*Join[Result, Result]).Poll)},
		{Func: "Seq.PollLocal", Check: seq((*Seq[Result]).PollLocal)},
		{Func: "Seq.Poll", Check: seq((*Seq[Result]).Poll)},
		{Func: "Scan.PollNextOrEnd", Check: scan((*Scan).PollNextOrEnd)},
		{Func: "Scan.PollNext", Check: scan((*Scan).PollNext)},
		{Func: "KV.PollTwice", Check: kv((*KV).PollTwice)},
		{Func: "KV.Poll", Check: kv((*KV).Poll)},
		{Func: "Commit.PollAppendEvery", Check: commit((*Commit).PollAppendEvery)},
		{Func: "Commit.Poll", Check: commit((*Commit).Poll)},
		{Func: "Commit.PollSyncDropped", Check: commit((*Commit).PollSyncDropped)},
		{Func: "Retry.PollEarly", Check: retry((*Retry).PollEarly)},
		{Func: "Retry.Poll", Check: retry((*Retry).Poll)},
	})
}
