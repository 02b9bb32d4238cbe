package engine

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

func open(env reentrytest.Env, pages int) (*Pager, error) {
	Fill(env.Store, "db", pages, 100)
	f, err := env.IO.Open("db", rt.OpenReadWrite)
	if err != nil {
		return nil, err
	}
	return NewPager(f), nil
}

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "Pager.ReadPage", Check: func() qtest.Result {
			return qtest.Verify(reentrytest.Options{PollTolerant: true, RequireSettled: true}, func(env reentrytest.Env) (reentrytest.Run[uint64], error) {
				p, err := open(env, 3)
				if err != nil {
					return reentrytest.Run[uint64]{}, err
				}
				op := func() (rt.IOResult[uint64], error) {
					r, err := p.ReadPage(2)
					return rt.Map(r, func(b []byte) uint64 { return Rec(b, 1) }), err
				}
				return reentrytest.Run[uint64]{Op: op, Snapshot: p.Snapshot}, nil
			})
		}},
		{Func: "Cursor.Next", Check: func() qtest.Result {
			return qtest.Verify(reentrytest.Options{PollTolerant: true}, func(env reentrytest.Env) (reentrytest.Run[Item], error) {
				p, err := open(env, 2)
				if err != nil {
					return reentrytest.Run[Item]{}, err
				}
				c := &Cursor{Pager: p, Pages: 2}
				return reentrytest.Run[Item]{Op: c.Next, Snapshot: func() any { return c.Pos() }}, nil
			})
		}},
		{Func: "Cursor.SeekPage", Check: func() qtest.Result {
			return qtest.Verify(reentrytest.Options{PollTolerant: true}, func(env reentrytest.Env) (reentrytest.Run[bool], error) {
				p, err := open(env, 2)
				if err != nil {
					return reentrytest.Run[bool]{}, err
				}
				c := &Cursor{Pager: p, Pages: 2}
				return reentrytest.Run[bool]{Op: func() (rt.IOResult[bool], error) { return c.SeekPage(1) }, Snapshot: func() any { return c.Pos() }}, nil
			})
		}},
		{Func: "Appender.Append", Check: func() qtest.Result {
			return qtest.Verify(reentrytest.Options{PollTolerant: true}, func(env reentrytest.Env) (reentrytest.Run[int64], error) {
				f, err := env.IO.Open("wal", rt.OpenCreate)
				if err != nil {
					return reentrytest.Run[int64]{}, err
				}
				a := &Appender{File: f, Tail: 16}
				return reentrytest.Run[int64]{Op: func() (rt.IOResult[int64], error) { return a.Append([]byte("frame-1")) },
					Snapshot: func() any { return [2]int64{a.Tail, int64(a.Frames)} }}, nil
			})
		}},
	})
}
