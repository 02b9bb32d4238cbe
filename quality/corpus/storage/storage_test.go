package storage

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/quality/internal/qtest"
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

const pages = 4

// strict is what most cases run under: polls must be absorbed, and nothing
// may be left in flight.
var strict = reentrytest.Options{PollTolerant: true, RequireSettled: true}

type op[T any] func() (rt.IOResult[T], error)

// onDB builds a case over a pager on a fresh table of pages pages.
func onDB[T any](opts reentrytest.Options, build func(f rt.File, p *engine.Pager) (op[T], func() any)) func() qtest.Result {
	return func() qtest.Result {
		return qtest.Verify(opts, func(env reentrytest.Env) (reentrytest.Run[T], error) {
			engine.Fill(env.Store, "db", pages, 10)
			f, err := env.IO.Open("db", rt.OpenReadWrite)
			if err != nil {
				return reentrytest.Run[T]{}, err
			}
			o, snap := build(f, engine.NewPager(f))
			return reentrytest.Run[T]{Op: o, Snapshot: snap}, nil
		})
	}
}

func cursor(p *engine.Pager) *engine.Cursor { return &engine.Cursor{Pager: p, Pages: pages} }

func TestLabels(t *testing.T) {
	qtest.Run(t, []qtest.Case{
		{Func: "Scan.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			s := &Scan{Cur: cursor(p), Limit: 20}
			return s.Run, func() any { return s.Sum }
		})},
		{Func: "LocalScan.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			s := &LocalScan{Cur: cursor(p), Limit: 20}
			return s.Run, func() any { return s.Sum }
		})},
		{Func: "Counter.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
			c := &Counter{Cur: cursor(p)}
			return c.Run, func() any { return [2]int{c.Visits, c.Count} }
		})},
		{Func: "Gather.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
			g := &Gather{Pager: p, Pages: pages}
			return g.Run, func() any { return g.Keys }
		})},
		{Func: "Fences.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
			g := &Fences{Pager: p, Pages: pages}
			return g.Run, func() any { return g.Keys }
		})},
		{Func: "Lookup.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			l := &Lookup{Cur: cursor(p), Pager: p}
			return l.Run, func() any { return l.Cur.Pos() }
		})},
		{Func: "SplitLookup.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			l := &SplitLookup{Cur: cursor(p), Pager: p}
			return l.Run, func() any { return l.Cur.Pos() }
		})},
		{Func: "Descend.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			d := &Descend{Pager: p}
			return d.Run, func() any { return d.child }
		})},
		{Func: "OrderedDescend.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			d := &OrderedDescend{Pager: p}
			return d.Run, func() any { return d.child }
		})},
		{Func: "Probe.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
			pr := &Probe{Pager: p, IDs: []int{0, 1, 2}}
			return pr.Run, func() any { return pr.Hits }
		})},
		{Func: "Warm.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
			w := &Warm{Pager: p, IDs: []int{0, 1, 2}}
			return w.Run, func() any { return w.Hits }
		})},
		{Func: "chainWalk.step", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			w := &chainWalk{Next: 1, End: 4}
			return func() (rt.IOResult[uint64], error) { return w.step(f) }, func() any { return [2]any{w.Next, w.Sum} }
		})},
		{Func: "Overflow.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			o := &Overflow{File: f, Walk: chainWalk{Next: 1, End: 4}}
			return o.Run, func() any { return [2]any{o.Walk.Next, o.Walk.Sum} }
		})},
		{Func: "InPlaceOverflow.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			o := &InPlaceOverflow{File: f, Walk: chainWalk{Next: 1, End: 4}}
			return o.Run, func() any { return [2]any{o.Walk.Next, o.Walk.Sum} }
		})},
		{Func: "DeferredOverflow.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			o := &DeferredOverflow{File: f, Walk: chainWalk{Next: 1, End: 4}}
			return o.Run, func() any { return [2]any{o.Walk.Next, o.Walk.Sum} }
		})},
		{Func: "RestoredOverflow.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			o := &RestoredOverflow{File: f, Walk: chainWalk{Next: 1, End: 4}}
			return o.Run, func() any { return [2]any{o.Walk.Next, o.Walk.Sum} }
		})},
		{Func: "Credit.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[int], func() any) {
			c := &Credit{Budget: 5, Alloc: &chainWalk{Next: 0, End: 3}, File: f}
			return c.Run, func() any { return [2]int{c.Budget, c.Used} }
		})},
		{Func: "LeakyCredit.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[int], func() any) {
			c := &LeakyCredit{Budget: 5, Alloc: &chainWalk{Next: 0, End: 3}, File: f}
			return c.Run, func() any { return [2]int{c.Budget, c.Used} }
		})},
		{Func: "Table.Insert", Check: lockCheck(func(p *engine.Pager) (op[int], qtest.Locker) {
			t := &Table{Pager: p}
			return func() (rt.IOResult[int], error) { return t.Insert(2) }, t.Mutex()
		})},
		{Func: "SafeTable.Insert", Check: qtest.Both(
			onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
				t := &SafeTable{Pager: p}
				return func() (rt.IOResult[int], error) { return t.Insert(2) }, func() any { return t.Rows }
			}),
			lockCheck(func(p *engine.Pager) (op[int], qtest.Locker) {
				t := &SafeTable{Pager: p}
				return func() (rt.IOResult[int], error) { return t.Insert(2) }, t.Mutex()
			}))},
		{Func: "Writeback.Run", Check: writeback(func(f rt.File, clean map[int]bool) op[bool] {
			w := &Writeback{File: f, ID: 1, Data: make([]byte, engine.PageSize), Clean: clean}
			return w.Run
		})},
		{Func: "CheckedWriteback.Run", Check: writeback(func(f rt.File, clean map[int]bool) op[bool] {
			w := &CheckedWriteback{File: f, ID: 1, Data: make([]byte, engine.PageSize), Clean: clean}
			return w.Run
		})},
		{Func: "Prefetcher.Fetch", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			pf := NewPrefetcher(f)
			return func() (rt.IOResult[uint64], error) {
				r, err := pf.Fetch(3)
				return rt.Map(r, func(b []byte) uint64 { return engine.Rec(b, 0) }), err
			}, func() any { return len(pf.Pages) }
		})},
		{Func: "Split.Run", Check: onDB(strict, func(f rt.File, p *engine.Pager) (op[int64], func() any) {
			out, _ := p.File.Size()
			s := &Split{Pager: p, Out: &engine.Appender{File: f, Tail: out}}
			return s.Run, func() any { return s.upper }
		})},
		{Func: "scanMachine.Step", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			m := &scanMachine{Cur: cursor(p), Limit: 20}
			return rt.NewMachine[uint64](m).Step, func() any { return m.Sum }
		})},
		{Func: "sumMachine.Step", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[uint64], func() any) {
			m := &sumMachine{Cur: cursor(p)}
			return rt.NewMachine[uint64](m).Step, func() any { return m.Sum }
		})},
		{Func: "Relocate.Run", Check: onDB(strict, func(f rt.File, p *engine.Pager) (op[uint64], func() any) {
			r := &Relocate{Cur: cursor(p), Out: &engine.Appender{File: f, Tail: 1000}}
			return r.Run, func() any { return r.Moved }
		})},
		{Func: "walker.advance", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			w := walker{Next: 1, End: 3}
			return func() (rt.IOResult[uint64], error) { return w.advance(f) }, nil
		})},
		{Func: "Vacuum.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			v := &Vacuum{File: f, Walk: chainWalk{Next: 1, End: 3}}
			return v.Run, func() any { return v.Walk.Sum }
		})},
		{Func: "Reclaim.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[int], func() any) {
			c := &Reclaim{File: f, Walk: &chainWalk{Next: 1, End: 3}}
			return c.Run, func() any { return c.Freed }
		})},
		{Func: "Checksum.Run", Check: onDB(strict, func(f rt.File, _ *engine.Pager) (op[uint64], func() any) {
			c := &Checksum{File: f, Walk: &chainWalk{Next: 1, End: 3}}
			return c.Run, func() any { return c.Sum }
		})},
		{Func: "Slotted.Run", Check: onDB(strict, func(_ rt.File, p *engine.Pager) (op[int], func() any) {
			s := &Slotted{Cur: cursor(p), Index: map[int]uint64{}, Limit: 12}
			return s.Run, func() any { return s.Index }
		})},
		{Func: "Loader.Run", Check: qtest.Both(
			onDB(strict, func(f rt.File, _ *engine.Pager) (op[bool], func() any) {
				l := &Loader{File: f, Cache: map[int][]byte{}}
				return l.Run, func() any { return l.Cache }
			}),
			func() qtest.Result {
				return qtest.FailedIO(func(io rt.IO, store *memio.Store) (func() (rt.IOResult[bool], error), func() string, error) {
					engine.Fill(store, "db", pages, 10)
					f, err := io.Open("db", rt.OpenReadWrite)
					if err != nil {
						return nil, nil, err
					}
					l := &Loader{File: f, Cache: map[int][]byte{}}
					return l.Run, func() string {
						if _, ok := l.Cache[2]; ok {
							return "page 2 is in the cache"
						}
						return ""
					}, nil
				})
			})},
	})
}

// lockCheck is the bespoke C10 check over a fresh table.
func lockCheck(build func(p *engine.Pager) (op[int], qtest.Locker)) func() qtest.Result {
	return func() qtest.Result {
		return qtest.LockAtYield(func(io rt.IO, store *memio.Store) (func() (rt.IOResult[int], error), qtest.Locker, error) {
			engine.Fill(store, "db", pages, 10)
			f, err := io.Open("db", rt.OpenReadWrite)
			if err != nil {
				return nil, nil, err
			}
			o, mu := build(engine.NewPager(f))
			return o, mu, nil
		})
	}
}

// writeback runs the write both through reentrytest and on failing I/O;
// on failure, the page must not be marked clean.
func writeback(build func(f rt.File, clean map[int]bool) op[bool]) func() qtest.Result {
	return qtest.Both(
		onDB(strict, func(f rt.File, _ *engine.Pager) (op[bool], func() any) {
			clean := map[int]bool{}
			return build(f, clean), func() any { return clean }
		}),
		func() qtest.Result {
			return qtest.FailedIO(func(io rt.IO, store *memio.Store) (func() (rt.IOResult[bool], error), func() string, error) {
				f, err := io.Open("db", rt.OpenCreate)
				if err != nil {
					return nil, nil, err
				}
				clean := map[int]bool{}
				return build(f, clean), func() string {
					if clean[1] {
						return "page 1 marked clean"
					}
					return ""
				}, nil
			})
		})
}
