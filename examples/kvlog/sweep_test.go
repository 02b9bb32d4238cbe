package kvlog

import (
	"context"
	"fmt"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

// TestSweepPut abandons a Put after each of its I/Os (the recovery it
// drives first, then its write and its sync) and checks, each time:
//   - the log is released;
//   - the index and the tail are the old ones, or, only if the Put
//     committed, the old ones plus the new record;
//   - the log stays usable: a later Put resumes the half-done recovery,
//     writes over whatever the abandoned Put left, and every key reads back;
//   - a restart on the same bytes recovers exactly that index.
func TestSweepPut(t *testing.T) {
	committedPrefix := encodeAll("alpha", "1", "beta", "22", "alpha", "333")
	before := map[string]string{"alpha": "333", "beta": "22"}
	committed := 0
	res, err := sim.Sweep(context.Background(), func() (sim.SweepCase[int64], error) {
		store := memio.NewStore()
		store.SetBytes(logPath, prepared())
		io := memio.NewDeferringOn(store)
		l, err := Open(io, logPath, nil)
		if err != nil {
			return sim.SweepCase[int64]{}, err
		}
		p := l.Put([]byte("beta"), []byte("swept"))
		check := func() error {
			if p.state == putDone {
				committed++
			}
			return checkAfterPut(io, store, l, p, before, int64(len(committedPrefix)))
		}
		return sim.SweepCase[int64]{IO: io, Op: p.Resume, Owner: p, Check: check}, nil
	}, 50)
	require.NoError(t, err)
	require.NoError(t, res.Err())
	// Recovery: three records (header and body each), the torn fourth
	// (header, short body, the scan of the rest for a valid record), the
	// truncate, the sync; then the write and the sync.
	require.Equal(t, 13, res.Boundaries)
	require.Equal(t, 1, committed, "only the complete run commits")
}

func checkAfterPut(io rt.IO, store *memio.Store, l *Log, p *Put, before map[string]string, tail int64) error {
	ctx := context.Background()
	if l.writer != nil {
		return fmt.Errorf("the log is still held by %p", l.writer)
	}
	want := map[string]string{}
	for k, v := range before {
		want[k] = v
	}
	if p.state == putDone {
		want[string(p.key)] = string(p.value)
		tail += int64(len(p.rec))
	}
	if l.recovered {
		if l.tail != tail {
			return fmt.Errorf("tail %d, want %d", l.tail, tail)
		}
		if len(l.index) != len(want) {
			return fmt.Errorf("index has %v, want the keys of %v", l.Keys(), want)
		}
	} else if len(l.index) > len(want) {
		return fmt.Errorf("half-recovered index has %v, more than %v", l.Keys(), want)
	}

	// The log stays usable.
	next := l.Put([]byte("delta"), []byte("after"))
	if _, err := rt.BlockWith(ctx, io, next.Resume, next); err != nil {
		return fmt.Errorf("a later Put: %w", err)
	}
	want["delta"] = "after"
	for k, v := range want {
		got, err := rt.Block(ctx, io, l.Get([]byte(k)).Resume)
		if err != nil {
			return fmt.Errorf("get %q: %w", k, err)
		}
		if string(got) != v {
			return fmt.Errorf("get %q = %q, want %q", k, got, v)
		}
	}

	// A restart recovers exactly the same index.
	io2 := memio.NewOn(store)
	l2, err := Open(io2, logPath, nil)
	if err != nil {
		return err
	}
	if _, err := rt.Block(ctx, io2, l2.Recover().Resume); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	if d := reentrytest.Diff(l.state(), l2.state()); d != nil {
		return fmt.Errorf("restart recovered another index: %v", d)
	}
	return nil
}

// The sweep's invariants fail on a Put that forgets to release the log
// when it is abandoned: the check is not vacuous.
func TestSweepCatchesALeakedLock(t *testing.T) {
	res, err := sim.Sweep(context.Background(), func() (sim.SweepCase[int64], error) {
		store := memio.NewStore()
		io := memio.NewDeferringOn(store)
		l, err := Open(io, logPath, nil)
		if err != nil {
			return sim.SweepCase[int64]{}, err
		}
		p := l.Put([]byte("k"), []byte("v"))
		// No Owner: nobody calls Abandon, as if Put had no Abandon.
		return sim.SweepCase[int64]{IO: io, Op: p.Resume, Check: func() error {
			return checkAfterPut(io, store, l, p, map[string]string{}, 0)
		}}, nil
	}, 50)
	require.NoError(t, err)
	require.Equal(t, 4, res.Boundaries, "recovery's header read and sync, the write, the sync")
	require.Len(t, res.Failures, res.Boundaries, "every abandonment leaks the lock; the complete run is fine")
	require.ErrorContains(t, res.Err(), "still held")
}
