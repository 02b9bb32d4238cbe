package repl

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

type files struct{ a, b, snap, out rt.File }

func open(io rt.IO, store *memio.Store) (files, error) {
	engine.Fill(store, "runA", 3, 0)
	engine.Fill(store, "runB", 2, 5)
	store.SetBytes("snap", []byte("snapshot"))
	var fs files
	var err error
	if fs.a, err = io.Open("runA", rt.OpenReadOnly); err != nil {
		return fs, err
	}
	if fs.b, err = io.Open("runB", rt.OpenReadOnly); err != nil {
		return fs, err
	}
	if fs.snap, err = io.Open("snap", rt.OpenReadOnly); err != nil {
		return fs, err
	}
	fs.out, err = io.Open("out", rt.OpenCreate)
	return fs, err
}

func onFiles[T any](opts reentrytest.Options, build func(fs files) (op[T], func() any)) func() qtest.Result {
	return qtest.OnFixture(open, opts, build)
}

func lockCheck(build func(fs files) (op[int], qtest.Locker)) func() qtest.Result {
	return qtest.LockCheck(open, build)
}

func failCheck[T any](build func(fs files) (op[T], func() string)) func() qtest.Result {
	return qtest.FailCheck(open, build)
}

func cur(f rt.File) *engine.Cursor { return &engine.Cursor{Pager: engine.NewPager(f), Pages: 2} }

func app(f rt.File) *engine.Appender { return &engine.Appender{File: f} }

func follower(out rt.File) *Follower {
	return &Follower{Log: [][]byte{[]byte("e1"), []byte("e2"), []byte("e3")}, Commit: 3, Store: app(out)}
}

func wins() [2]window { return [2]window{{Next: 0, End: 2}, {Next: 0, End: 1}} }

func verified(b bool) string {
	if b {
		return "the chunk is marked verified"
	}
	return ""
}

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "Merge.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			m := &Merge{A: cur(fs.a), B: cur(fs.b), Limit: 12}
			return m.Run, func() any { return m.Out }
		})},
		{Func: "ZipMerge.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			m := &ZipMerge{A: cur(fs.a), B: cur(fs.b), Limit: 12}
			return m.Run, func() any { return m.Out }
		})},
		{Func: "Dedup.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			d := &Dedup{Pager: engine.NewPager(fs.a), Pages: 3}
			return d.Run, func() any { return d.Dups }
		})},
		{Func: "DupCount.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			d := &DupCount{Pager: engine.NewPager(fs.a), Pages: 3}
			return d.Run, func() any { return d.Dups }
		})},
		{Func: "Tail.Run", Check: onFiles(strict, func(fs files) (op[uint64], func() any) {
			tl := &Tail{Pager: engine.NewPager(fs.a), Pages: 2, Limit: 12}
			return tl.Run, func() any { return tl.Sum }
		})},
		{Func: "KeptTail.Run", Check: onFiles(strict, func(fs files) (op[uint64], func() any) {
			tl := &KeptTail{Pager: engine.NewPager(fs.a), Pages: 2, Limit: 12}
			return tl.Run, func() any { return tl.Sum }
		})},
		{Func: "Follower.Apply", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			f := follower(fs.out)
			return f.Apply, func() any { return f.Applied }
		})},
		{Func: "Acks.Send", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			a := &Acks{Pending: map[int][]byte{3: []byte("ack-3")}, Out: app(fs.out)}
			return func() (rt.IOResult[int], error) { return a.Send(3) }, func() any { return a.Sent }
		})},
		{Func: "QueuedAcks.Send", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			a := &QueuedAcks{Pending: map[int][]byte{3: []byte("ack-3")}, Out: app(fs.out)}
			return func() (rt.IOResult[int], error) { return a.Send(3) }, func() any { return a.Sent }
		})},
		{Func: "Replicator.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			r := &Replicator{F: follower(fs.out), Out: app(fs.out)}
			r.Out.Tail = 100
			return r.Run, func() any { return r.F.Applied }
		})},
		{Func: "OrderedReplicator.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			r := &OrderedReplicator{F: follower(fs.out), Out: app(fs.out)}
			r.Out.Tail = 100
			return r.Run, func() any { return r.F.Applied }
		})},
		{Func: "Shipper.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			s := &Shipper{Out: app(fs.out), Snap: []byte("SNAP")}
			return s.Run, func() any { return s.Seq }
		})},
		{Func: "LateShipper.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			s := &LateShipper{Out: app(fs.out), Snap: []byte("SNAP")}
			return s.Run, func() any { return s.Seq }
		})},
		{Func: "Votes.Cast", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			v := &Votes{Out: app(fs.out), Votes: map[int]bool{}}
			return func() (rt.IOResult[int], error) { return v.Cast(2) }, func() any { return v.Votes }
		})},
		{Func: "Heartbeat.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			h := &Heartbeat{Out: fs.out}
			return h.Run, func() any { return h.Missed }
		})},
		{Func: "Lease.Run", Check: lockCheck(func(fs files) (op[int], qtest.Locker) {
			l := &Lease{F: follower(fs.out)}
			return l.Run, l.Mutex()
		})},
		{Func: "TryLease.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[int], func() any) {
				l := &TryLease{F: follower(fs.out)}
				return l.Run, func() any { return l.Renewed }
			}),
			lockCheck(func(fs files) (op[int], qtest.Locker) {
				l := &TryLease{F: follower(fs.out)}
				return l.Run, l.Mutex()
			}))},
		{Func: "Verify.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[bool], func() any) {
				v := &Verify{In: fs.snap}
				return v.Run, func() any { return v.Verified }
			}),
			failCheck(func(fs files) (op[bool], func() string) {
				v := &Verify{In: fs.snap}
				return v.Run, func() string { return verified(v.Verified) }
			}))},
		{Func: "CheckedVerify.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[bool], func() any) {
				v := &CheckedVerify{In: fs.snap}
				return v.Run, func() any { return v.Verified }
			}),
			failCheck(func(fs files) (op[bool], func() string) {
				v := &CheckedVerify{In: fs.snap}
				return v.Run, func() string { return verified(v.Verified) }
			}))},
		{Func: "window.step", Check: onFiles(strict, func(fs files) (op[uint64], func() any) {
			w := &window{Next: 0, End: 2}
			return func() (rt.IOResult[uint64], error) { return w.step(fs.a) }, func() any { return w.Sum }
		})},
		{Func: "Transfer.Run", Check: onFiles(strict, func(fs files) (op[uint64], func() any) {
			tr := &Transfer{In: fs.a, Win: wins()}
			return tr.Run, nil
		})},
		{Func: "PtrTransfer.Run", Check: onFiles(strict, func(fs files) (op[uint64], func() any) {
			tr := &PtrTransfer{In: fs.a, Win: wins()}
			return tr.Run, nil
		})},
		{Func: "Closer.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			c := &Closer{F: follower(fs.out)}
			return c.Run, func() any { return c.F.Applied }
		})},
		{Func: "FlushingCloser.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			c := &FlushingCloser{F: follower(fs.out)}
			return c.Run, func() any { return c.F.Applied }
		})},
	})
}
