package netproto

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

var strict = reentrytest.Options{PollTolerant: true, RequireSettled: true}

type op[T any] func() (rt.IOResult[T], error)

type files struct{ in, out, p0, p1 rt.File }

func open(io rt.IO, store *memio.Store) (files, error) {
	store.SetBytes("in", []byte("request-1 request-2 request-3"))
	var fs files
	var err error
	for _, x := range []struct {
		f    *rt.File
		name string
		flag rt.OpenFlag
	}{{&fs.in, "in", rt.OpenReadOnly}, {&fs.out, "out", rt.OpenCreate}, {&fs.p0, "p0", rt.OpenCreate}, {&fs.p1, "p1", rt.OpenCreate}} {
		if *x.f, err = io.Open(x.name, x.flag); err != nil {
			return fs, err
		}
	}
	return fs, nil
}

func onFiles[T any](opts reentrytest.Options, build func(fs files) (op[T], func() any)) func() qtest.Result {
	return qtest.OnFixture(open, opts, build)
}

func lockCheck(build func(fs files) (op[int64], qtest.Locker)) func() qtest.Result {
	return qtest.LockCheck(open, build)
}

func failCheck[T any](build func(fs files) (op[T], func() string)) func() qtest.Result {
	return qtest.FailCheck(open, build)
}

func app(f rt.File) *engine.Appender { return &engine.Appender{File: f} }

func claim(b bool, what string) string {
	if b {
		return what
	}
	return ""
}

func reqs() [][]byte { return [][]byte{[]byte("GET a"), []byte("GET b"), []byte("GET c")} }

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "chunkReader.Fill", Check: onFiles(strict, func(fs files) (op[[]byte], func() any) {
			r := &chunkReader{In: fs.in, Off: 4}
			return r.Fill, func() any { return r.Off }
		})},
		{Func: "Echo.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			e := &Echo{In: []byte("abc"), Out: app(fs.out)}
			return e.Run, func() any { return e.Out.Tail }
		})},
		{Func: "QuickEcho.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			e := &QuickEcho{In: []byte("abc"), Out: app(fs.out)}
			return e.Run, func() any { return e.Out.Tail }
		})},
		{Func: "Greeting.Run", Check: onFiles(strict, func(fs files) (op[int64], func() any) {
			g := &Greeting{Names: []string{"ann", "bob"}, Out: app(fs.out)}
			return g.Run, func() any { return g.sb.String() }
		})},
		{Func: "Banner.Run", Check: onFiles(strict, func(fs files) (op[int64], func() any) {
			g := &Banner{Names: []string{"ann", "bob"}, Out: app(fs.out)}
			return g.Run, func() any { return g.sb.String() }
		})},
		{Func: "Batch.Run", Check: onFiles(strict, func(fs files) (op[int64], func() any) {
			b := &Batch{Msgs: reqs(), Out: app(fs.out)}
			return b.Run, func() any { return b.buf }
		})},
		{Func: "Pipeline.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			p := &Pipeline{Out: fs.out, Reqs: reqs()}
			return p.Run, func() any { return p.Acked }
		})},
		{Func: "Resender.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			p := &Resender{Out: fs.out, Reqs: reqs()}
			return p.Run, func() any { return p.Acked }
		})},
		{Func: "Acker.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[int64], func() any) {
				a := &Acker{Out: fs.out, Frame: []byte("ACK")}
				return a.Run, func() any { return a.Acks.Load() }
			}),
			failCheck(func(fs files) (op[int64], func() string) {
				a := &Acker{Out: fs.out, Frame: []byte("ACK")}
				return a.Run, func() string { return claim(a.Acks.Load() > 0, "an ack was counted") }
			}))},
		{Func: "HastyAcker.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[int64], func() any) {
				a := &HastyAcker{Out: fs.out, Frame: []byte("ACK")}
				return a.Run, func() any { return a.Acks.Load() }
			}),
			failCheck(func(fs files) (op[int64], func() string) {
				a := &HastyAcker{Out: fs.out, Frame: []byte("ACK")}
				return a.Run, func() string { return claim(a.Acks.Load() > 0, "an ack was counted") }
			}))},
		{Func: "Broadcast.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[bool], func() any) {
				b := &Broadcast{Peers: []rt.File{fs.p0, fs.p1}, Frame: []byte("NEWS")}
				return b.Run, func() any { return b.Flushed }
			}),
			failCheck(func(fs files) (op[bool], func() string) {
				b := &Broadcast{Peers: []rt.File{fs.p0, fs.p1}, Frame: []byte("NEWS")}
				return b.Run, func() string { return claim(b.Flushed, "the round is marked flushed") }
			}))},
		{Func: "Conn.Send", Check: lockCheck(func(fs files) (op[int64], qtest.Locker) {
			c := &Conn{Out: app(fs.out)}
			return func() (rt.IOResult[int64], error) { return c.Send([]byte("x")) }, c.Mutex()
		})},
		{Func: "Conn.Peek", Check: lockCheck(func(fs files) (op[int64], qtest.Locker) {
			c := &Conn{Out: app(fs.out)}
			return func() (rt.IOResult[int64], error) { return c.Peek([]byte("x")) }, c.Mutex()
		})},
		{Func: "SafeConn.Send", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[int64], func() any) {
				c := &SafeConn{Out: app(fs.out)}
				return func() (rt.IOResult[int64], error) { return c.Send([]byte("x")) }, func() any { return c.Sent }
			}),
			lockCheck(func(fs files) (op[int64], qtest.Locker) {
				c := &SafeConn{Out: app(fs.out)}
				return func() (rt.IOResult[int64], error) { return c.Send([]byte("x")) }, c.Mutex()
			}))},
		{Func: "session.pump", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			s := &session{Rd: chunkReader{In: fs.in}}
			return s.pump, func() any { return [2]any{s.Bytes, s.Rd.Off} }
		})},
		{Func: "Server.Drain", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			sv := &Server{Sessions: map[int]session{7: {Rd: chunkReader{In: fs.in}}}}
			return func() (rt.IOResult[int], error) { return sv.Drain(7) }, func() any { return sv.Sessions[7].Bytes }
		})},
		{Func: "StoringServer.Drain", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			sv := &StoringServer{Sessions: map[int]session{7: {Rd: chunkReader{In: fs.in}}}}
			return func() (rt.IOResult[int], error) { return sv.Drain(7) }, func() any { return sv.Sessions[7].Bytes }
		})},
		{Func: "Handshake.Run", Check: onFiles(strict, func(fs files) (op[[]byte], func() any) {
			h := &Handshake{Out: app(fs.out), Rd: &chunkReader{In: fs.in}}
			return h.Run, func() any { return h.Out.Tail }
		})},
		{Func: "OrderedHandshake.Run", Check: onFiles(strict, func(fs files) (op[[]byte], func() any) {
			h := &OrderedHandshake{Out: app(fs.out), Rd: &chunkReader{In: fs.in}}
			return h.Run, func() any { return h.Out.Tail }
		})},
		{Func: "Request.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			q := &Request{Rd: &chunkReader{In: fs.in}, Out: app(fs.out)}
			return q.Run, func() any { return q.Got }
		})},
		{Func: "StagedRequest.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			q := &StagedRequest{Rd: &chunkReader{In: fs.in}, Out: app(fs.out)}
			return q.Run, func() any { return q.Got }
		})},
		{Func: "Ping.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			p := &Ping{Out: app(fs.out)}
			return p.Run, func() any { return p.Sent }
		})},
		{Func: "CheckedPing.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			p := &CheckedPing{Out: app(fs.out)}
			return p.Run, func() any { return p.Sent }
		})},
	})
}
