package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

// script runs resumable steps one after the other.
type script struct {
	steps []func() (rt.IOResult[uint64], error)
	i     int
	last  uint64
}

func (s *script) Resume() (rt.IOResult[uint64], error) {
	for s.i < len(s.steps) {
		r, err := s.steps[s.i]()
		if err != nil || r.IsIO() {
			// Re-entrancy: s.i still names the unfinished step, so
			// re-entry drives it again; finished ones are not repeated.
			return rt.Forward[uint64](r, err)
		}
		s.last = r.Value()
		s.i++
	}
	return rt.Done(s.last), nil
}

// dbState is a plain copy of a database's persistent state.
type dbState struct {
	Meta                     meta
	Root, PageCount          uint32
	Free, Retired            []uint32
	Active, Frozen           map[string]memEntry
	Durable, NextLSN, WALGen uint64
	Checkpoints, Groups      int
}

func (db *DB) state() dbState {
	return dbState{
		Meta: db.meta, Root: db.pager.root, PageCount: db.pager.pageCount,
		Free: slices.Clone(db.pager.free), Retired: slices.Clone(db.pager.retired),
		Active: cloneMem(db.active), Frozen: cloneMem(db.frozen),
		Durable: db.wal.durable, NextLSN: db.wal.nextLSN, WALGen: db.wal.gen,
		Checkpoints: db.stats.Checkpoints, Groups: db.stats.Groups,
	}
}

func cloneMem(m memtable) map[string]memEntry {
	out := map[string]memEntry{}
	for k, e := range m {
		out[k] = e
	}
	return out
}

// TestReentry is the dynamic twin of the linter: recovery, a run of Puts
// with checkpoints in between, and Gets behave the same whether every
// completion finishes inline or every I/O and every injection point forces
// a re-entry. The files written, the state and the result must be equal.
func TestReentry(t *testing.T) {
	rep := reentrytest.Check(t, func(env reentrytest.Env) (reentrytest.Run[uint64], error) {
		db, err := Open(env.IO, Options{CacheClean: 3, Inject: env.Inject})
		if err != nil {
			return reentrytest.Run[uint64]{}, err
		}
		s := &script{}
		add := func(op func() (rt.IOResult[uint64], error)) { s.steps = append(s.steps, op) }
		add(func() (rt.IOResult[uint64], error) { return forward(db.Recover().Resume()) })
		for i := range 90 {
			k, v := fmt.Sprintf("k%02d", (i*7)%45), fmt.Sprintf("v%d", i)
			p := db.Put([]byte(k), []byte(v))
			add(p.Resume)
			if i%30 == 29 {
				add(db.lazyCheckpoint())
			}
		}
		for i := range 45 {
			g := db.Get([]byte(fmt.Sprintf("k%02d", i)))
			add(func() (rt.IOResult[uint64], error) { return forward(g.Resume()) })
		}
		return reentrytest.Run[uint64]{Op: s.Resume, Snapshot: func() any { return db.state() }}, nil
	})
	require.True(t, rep.OK(), "diffs: %v", rep.Diffs)
	require.NoError(t, rep.Inline.Err)
	require.Greater(t, rep.Reentrant.Calls, 2*rep.Inline.Calls)
	st := rep.Reentrant.State.(dbState)
	require.Equal(t, 3, st.Checkpoints)
	require.Equal(t, uint64(90), st.Durable)
	require.NotZero(t, st.Root)
}

// forward maps any Done value to 0, for the script.
func forward[T any](r rt.IOResult[T], err error) (rt.IOResult[uint64], error) {
	if err != nil || r.IsIO() {
		return rt.Forward[uint64](r, err)
	}
	return rt.Done[uint64](0), nil
}

// lazyCheckpoint returns a step that creates its Checkpoint when it first
// runs (its target depends on the checkpoints before it).
func (db *DB) lazyCheckpoint() func() (rt.IOResult[uint64], error) {
	var c *Checkpoint
	return func() (rt.IOResult[uint64], error) {
		if c == nil {
			c = db.Checkpoint()
		}
		return c.Resume()
	}
}

// TestSweepCheckpoint abandons a checkpoint after each of its I/Os and
// checks each time that the database stays consistent: every value reads
// back, a later checkpoint finishes the work, and a restart on the bytes
// after a crash that drops every unsynced write loses nothing.
func TestSweepCheckpoint(t *testing.T) {
	ctx := context.Background()
	want := map[string]string{}
	for i := range 60 {
		want[fmt.Sprintf("k%02d", i%40)] = fmt.Sprintf("v%d", i)
	}
	res, err := sim.Sweep(ctx, func() (sim.SweepCase[uint64], error) {
		s := sim.New(sim.Config{Seed: 1, Latency: 1})
		io := trackSim(s)
		db, err := Open(io, Options{CacheClean: 3})
		if err != nil {
			return sim.SweepCase[uint64]{}, err
		}
		if _, err := rt.Block(ctx, io, db.Recover().Resume); err != nil {
			return sim.SweepCase[uint64]{}, err
		}
		for i := range 60 {
			k, v := fmt.Sprintf("k%02d", i%40), fmt.Sprintf("v%d", i)
			if _, err := rt.Block(ctx, io, db.Put([]byte(k), []byte(v)).Resume); err != nil {
				return sim.SweepCase[uint64]{}, err
			}
			if i == 30 {
				if _, err := rt.Block(ctx, io, db.Checkpoint().Resume); err != nil {
					return sim.SweepCase[uint64]{}, err
				}
			}
		}
		ck := db.Checkpoint()
		check := func() error {
			for k, v := range want {
				got, err := get(io, db, k)
				if err != nil || got != v {
					return fmt.Errorf("get %q = %q, %v; want %q", k, got, err, v)
				}
			}
			if _, err := rt.Block(ctx, io, db.Checkpoint().Resume); err != nil {
				return fmt.Errorf("a later checkpoint: %w", err)
			}
			io2 := trackSim(sim.New(sim.Config{Seed: 2, Store: s.Store().Crash(nil)}))
			db2, err := Open(io2, Options{})
			if err != nil {
				return err
			}
			if _, err := rt.Block(ctx, io2, db2.Recover().Resume); err != nil {
				return err
			}
			for k, v := range want {
				got, err := get(io2, db2, k)
				if err != nil || got != v {
					return fmt.Errorf("after the crash, get %q = %q, %v; want %q", k, got, err, v)
				}
			}
			return nil
		}
		return sim.SweepCase[uint64]{IO: io, Op: ck.Resume, Check: check}, nil
	}, 200)
	require.NoError(t, err)
	require.NoError(t, res.Err())
	// The page reads of the apply that miss the cache, then the page writes
	// (one group), the page file's sync, the meta write and its sync.
	require.Greater(t, res.Boundaries, 4)
}

// trackSim tracks the syncs of a simulator for the crash model.
func trackSim(s *sim.IO) *memio.SyncTracker { return memio.TrackSyncs(s) }
