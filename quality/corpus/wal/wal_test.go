package wal

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

// files are a log with 3 pages of records and an empty database file.
type files struct {
	wal, db rt.File
}

func onFiles[T any](opts reentrytest.Options, build func(fs files) (op[T], func() any)) func() qtest.Result {
	return qtest.OnFixture(open, opts, build)
}

func open(io rt.IO, store *memio.Store) (files, error) {
	engine.Fill(store, "wal", 3, 7)
	w, err := io.Open("wal", rt.OpenReadWrite)
	if err != nil {
		return files{}, err
	}
	d, err := io.Open("db", rt.OpenCreate)
	return files{wal: w, db: d}, err
}

func lockCheck(build func(fs files) (op[int64], qtest.Locker)) func() qtest.Result {
	return qtest.LockCheck(open, build)
}

func failCheck[T any](build func(fs files) (op[T], func() string)) func() qtest.Result {
	return qtest.FailCheck(open, build)
}

func frames() [][]byte { return [][]byte{[]byte("aaaa"), []byte("bbbb"), []byte("cccc")} }

func segs() []segFlush {
	return []segFlush{{Off: 0, Data: []byte("s0")}, {Off: 2, Data: []byte("s1")}, {Off: 4, Data: []byte("s2")}}
}

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "FrameWriter.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			w := &FrameWriter{File: fs.db, Off: 8, Frame: []byte("frame")}
			return w.Run, func() any { return w.Bytes }
		})},
		{Func: "EagerFrameWriter.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			w := &EagerFrameWriter{File: fs.db, Off: 8, Frame: []byte("frame")}
			return w.Run, func() any { return w.Bytes }
		})},
		{Func: "GroupCommit.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			g := &GroupCommit{File: fs.db, Frames: frames()}
			return g.Run, nil
		})},
		{Func: "EagerGroupCommit.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			g := &EagerGroupCommit{File: fs.db, Frames: frames()}
			return g.Run, nil
		})},
		{Func: "Syncer.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[bool], func() any) {
				s := &Syncer{File: fs.wal}
				return s.Run, func() any { return s.Durable.Load() }
			}),
			failCheck(func(fs files) (op[bool], func() string) {
				s := &Syncer{File: fs.wal}
				return s.Run, func() string { return durable(s.Durable.Load()) }
			}))},
		{Func: "BlindSyncer.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[bool], func() any) {
				s := &BlindSyncer{File: fs.wal}
				return s.Run, func() any { return s.Durable.Load() }
			}),
			failCheck(func(fs files) (op[bool], func() string) {
				s := &BlindSyncer{File: fs.wal}
				return s.Run, func() string { return durable(s.Durable.Load()) }
			}))},
		{Func: "Truncator.Run", Check: onFiles(strict, func(fs files) (op[int64], func() any) {
			tr := &Truncator{File: fs.wal, Size: 100}
			return tr.Run, func() any { return tr.Attempts }
		})},
		{Func: "Committer.Run", Check: lockCheck(func(fs files) (op[int64], qtest.Locker) {
			c := &Committer{App: &engine.Appender{File: fs.db}}
			return func() (rt.IOResult[int64], error) { return c.Run([]byte("f1")) }, c.Mutex()
		})},
		{Func: "UnlockingCommitter.Run", Check: qtest.Both(
			onFiles(strict, func(fs files) (op[int64], func() any) {
				c := &UnlockingCommitter{App: &engine.Appender{File: fs.db}}
				return func() (rt.IOResult[int64], error) { return c.Run([]byte("f1")) }, func() any { return c.App.Tail }
			}),
			lockCheck(func(fs files) (op[int64], qtest.Locker) {
				c := &UnlockingCommitter{App: &engine.Appender{File: fs.db}}
				return func() (rt.IOResult[int64], error) { return c.Run([]byte("f1")) }, c.Mutex()
			}))},
		{Func: "Checkpoint.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			c := &Checkpoint{WAL: engine.NewPager(fs.wal), DB: &engine.Appender{File: fs.db}, N: 3}
			return c.Run, func() any { return c.DB.Tail }
		})},
		{Func: "QuickCheckpoint.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			c := &QuickCheckpoint{WAL: engine.NewPager(fs.wal), DB: &engine.Appender{File: fs.db}, N: 3}
			return c.Run, func() any { return c.DB.Tail }
		})},
		{Func: "Segment.Run", Check: onFiles(strict, func(fs files) (op[int64], func() any) {
			s := &Segment{App: &engine.Appender{File: fs.db}, Hdr: []byte("HDR"), Body: []byte("body")}
			return s.Run, nil
		})},
		{Func: "FallSegment.Run", Check: onFiles(strict, func(fs files) (op[int64], func() any) {
			s := &FallSegment{App: &engine.Appender{File: fs.db}, Hdr: []byte("HDR"), Body: []byte("body")}
			return s.Run, nil
		})},
		{Func: "Rotate.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			r := &Rotate{Old: &engine.Appender{File: fs.wal, Tail: 192}, New: &engine.Appender{File: fs.db}, Trailer: []byte("END"), Header: []byte("HDR")}
			return r.Run, func() any { return [2]int64{r.Old.Tail, r.New.Tail} }
		})},
		{Func: "StagedRotate.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			r := &StagedRotate{Old: &engine.Appender{File: fs.wal, Tail: 192}, New: &engine.Appender{File: fs.db}, Trailer: []byte("END"), Header: []byte("HDR")}
			return r.Run, func() any { return [2]int64{r.Old.Tail, r.New.Tail} }
		})},
		{Func: "Seal.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			s := &Seal{App: &engine.Appender{File: fs.db}, Marker: []byte("COMMIT")}
			return s.Run, func() any { return s.App.Tail }
		})},
		{Func: "CheckedSeal.Run", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			s := &CheckedSeal{App: &engine.Appender{File: fs.db}, Marker: []byte("COMMIT")}
			return s.Run, func() any { return s.App.Tail }
		})},
		{Func: "Recover.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			r := &Recover{Cur: &engine.Cursor{Pager: engine.NewPager(fs.wal), Pages: 3}, Bucket: map[uint64]int{}}
			return r.Run, func() any { return r.Bucket }
		})},
		{Func: "Index.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			x := &Index{Pager: engine.NewPager(fs.wal), Pages: 3, Seen: map[uint64]bool{}}
			return x.Run, func() any { return x.Seen }
		})},
		{Func: "segFlush.step", Check: onFiles(strict, func(fs files) (op[bool], func() any) {
			s := &segFlush{Off: 4, Data: []byte("seg")}
			return func() (rt.IOResult[bool], error) { return s.step(fs.db) }, func() any { return s.Written }
		})},
		{Func: "Flush.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			f := &Flush{File: fs.db, Segs: segs()}
			return f.Run, nil
		})},
		{Func: "IndexedFlush.Run", Check: onFiles(strict, func(fs files) (op[int], func() any) {
			f := &IndexedFlush{File: fs.db, Segs: segs()}
			return f.Run, func() any {
				var w []bool
				for _, s := range f.Segs {
					w = append(w, s.Written)
				}
				return w
			}
		})},
	})
}

func durable(b bool) string {
	if b {
		return "the log is marked durable"
	}
	return ""
}
