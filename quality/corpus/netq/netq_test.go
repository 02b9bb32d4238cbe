package netq

import (
	"errors"
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/quality/internal/spelltest"
)

// window is the send window a world grants in total: wide enough for
// every case. The reference grants it at once; a yielding world starts
// with none and grants it piecewise, as ACKs come in.
const window = 64

func data(seq uint32, s string) Segment { return Segment{Seq: seq, Flag: FlagData, Data: []byte(s)} }

// world builds an endpoint whose peer sent in. The reference delivers
// every segment and the whole window before the first call; a yielding
// world delivers nothing, and after each would-block (the caller's wait
// for readiness) delivers up to two segments and up to eight window bytes.
func world(g *spelltest.Gate, in []Segment) (*Endpoint, func()) {
	e := NewEndpoint(in, 0)
	granted := 0
	ready := func() {
		e.Deliver(g.Chunk(e.Pending(), 2))
		n := g.Chunk(window-granted, 8)
		granted += n
		e.OpenWindow(n)
	}
	if g.Reference() {
		ready()
	}
	return e, ready
}

func wouldBlock(err error) bool { return errors.Is(err, ErrWouldBlock) }

// result is what a call returns, as the caller sees it once it is done.
type result struct {
	V   any
	Err error
}

// check drives op on the endpoint of world(in): the caller calls op until
// it stops would-blocking, and compares what op returned and the
// endpoint's observable state with the reference's. snap defaults to the
// endpoint's String, which leaves out the window's free space (it differs
// by construction between worlds until all is granted).
func check(in []Segment, build func(e *Endpoint) (func() result, func() any)) func() qtest.Result {
	return func() qtest.Result {
		return spelltest.Check(func(g *spelltest.Gate) spelltest.Run[result] {
			e, ready := world(g, in)
			op, snap := build(e)
			if snap == nil {
				snap = func() any { return e.String() }
			}
			return spelltest.Run[result]{
				Op:       op,
				Yielded:  func(r result) bool { return wouldBlock(r.Err) },
				Ready:    ready,
				Snapshot: snap,
			}
		})
	}
}

func bytesOp(f func() ([]byte, error)) func() result {
	return func() result { b, err := f(); return result{string(b), err} }
}

func errOp(f func() error) func() result {
	return func() result { return result{nil, f()} }
}

var (
	one    = []Segment{data(100, "hello")}
	record = []Segment{data(1, "H1"), data(2, "body1"), data(3, "H2"), data(4, "body2")}
	four   = []Segment{data(1, "a"), data(2, "bb"), data(3, "ccc"), data(4, "dddd")}
	acked  = []Segment{{Seq: 9, Flag: FlagAck}}
	syns   = []Segment{{Seq: 7, Flag: FlagSyn}, {Seq: 8, Flag: FlagSyn}}
)

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "Endpoint.RecvCountFirst", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.RecvCountFirst), nil
		})},
		{Func: "Endpoint.Recv", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.Recv), nil
		})},
		// The wait counter counts yields: it is left out of the comparison
		// (the reference never waits), everything else is compared.
		{Func: "Endpoint.RecvCountingWaits", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.RecvCountingWaits), func() any { s := e.Stats; s.Waits = 0; return []any{s, e.rcv.segs, e.wire} }
		})},
		{Func: "Endpoint.RecvOrEmpty", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.RecvOrEmpty), nil
		})},
		{Func: "Endpoint.RecvChecked", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.RecvChecked), nil
		})},
		{Func: "Endpoint.ReadRecordTwice", Check: check(record, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.ReadRecordTwice), nil
		})},
		{Func: "Endpoint.ReadRecord", Check: check(record, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.ReadRecord), nil
		})},
		{Func: "Endpoint.ReadNCopy", Check: check(four, func(e *Endpoint) (func() result, func() any) {
			e.reader.Want = 3
			return bytesOp(e.ReadNCopy), nil
		})},
		{Func: "Endpoint.ReadN", Check: check(four, func(e *Endpoint) (func() result, func() any) {
			e.reader.Want = 3
			return bytesOp(e.ReadN), nil
		})},
		{Func: "Endpoint.SendSeqFirst", Check: check(nil, func(e *Endpoint) (func() result, func() any) {
			e.SndNxt = 1000
			return errOp(func() error { return e.SendSeqFirst([]byte("payload")) }), nil
		})},
		{Func: "Endpoint.Send", Check: check(nil, func(e *Endpoint) (func() result, func() any) {
			e.SndNxt = 1000
			return errOp(func() error { return e.Send([]byte("payload")) }), nil
		})},
		{Func: "Endpoint.SendArmed", Check: check(nil, func(e *Endpoint) (func() result, func() any) {
			return errOp(func() error { return e.SendArmed([]byte("payload")) }), nil
		})},
		{Func: "Endpoint.RetransmitLogged", Check: check(nil, func(e *Endpoint) (func() result, func() any) {
			return errOp(func() error { return e.RetransmitLogged(data(55, "lost segment")) }), nil
		})},
		{Func: "Endpoint.EchoLost", Check: check(four, func(e *Endpoint) (func() result, func() any) {
			return errOp(e.EchoLost), nil
		})},
		{Func: "Endpoint.Echo", Check: check(four, func(e *Endpoint) (func() result, func() any) {
			return errOp(e.Echo), nil
		})},
		{Func: "Endpoint.CloseEarly", Check: check(acked, func(e *Endpoint) (func() result, func() any) {
			return errOp(e.CloseEarly), nil
		})},
		{Func: "Endpoint.Close", Check: check(acked, func(e *Endpoint) (func() result, func() any) {
			return errOp(e.Close), nil
		})},
		{Func: "Endpoint.FlushDiscard", Check: check(nil, func(e *Endpoint) (func() result, func() any) {
			return errOp(func() error { return e.FlushDiscard(four) }), nil
		})},
		{Func: "Outbox.Flush", Check: check(nil, func(e *Endpoint) (func() result, func() any) {
			o := &Outbox{Ep: e, Segs: four}
			return errOp(o.Flush), nil
		})},
		{Func: "Table.PumpCopy", Check: check(four, func(e *Endpoint) (func() result, func() any) {
			tb := &Table{Ep: e, Conns: map[int]Conn{5: {ID: 5, reader: Reader{Want: 3}}}, Done: map[int][]byte{}}
			return errOp(func() error { return tb.PumpCopy(5) }), func() any { return []any{tb.Done, e.String()} }
		})},
		{Func: "Table.Pump", Check: check(four, func(e *Endpoint) (func() result, func() any) {
			tb := &Table{Ep: e, Conns: map[int]Conn{5: {ID: 5, reader: Reader{Want: 3}}}, Done: map[int][]byte{}}
			return errOp(func() error { return tb.Pump(5) }), func() any { return []any{tb.Done, e.String()} }
		})},
		{Func: "Endpoint.RecvNoted", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.RecvNoted), nil
		})},
		{Func: "Endpoint.RecvWrapped", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			return bytesOp(e.RecvWrapped), nil
		})},
		// Closed is set, so the would-block comes back joined with ErrClosed:
		// the caller's errors.Is must still see it.
		{Func: "Endpoint.RecvJoined", Check: check(one, func(e *Endpoint) (func() result, func() any) {
			e.Closed = true
			return bytesOp(e.RecvJoined), nil
		})},
		{Func: "Listener.AcceptEarly", Check: check(syns, func(e *Endpoint) (func() result, func() any) {
			l := &Listener{Ep: e}
			return func() result { s, err := l.AcceptEarly(); return result{s, err} }, func() any { return []any{l.Accepted, e.String()} }
		})},
		{Func: "Listener.Accept", Check: check(syns, func(e *Endpoint) (func() result, func() any) {
			l := &Listener{Ep: e}
			return func() result { s, err := l.Accept(); return result{s, err} }, func() any { return []any{l.Accepted, e.String()} }
		})},
	})
}
