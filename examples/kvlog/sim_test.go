package kvlog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

// simStats adds up what the seeded runs exercised, so the test can insist
// that faults and latency really happened.
type simStats struct {
	ok, failed, recoverRetries, queued int
}

// TestSimFaults runs Puts on the simulator with seeded latency, faults on
// both channels and seeded injector failures and yields. Every Put either
// completes, and its value is readable, or fails with an injected fault and
// leaves the previous value readable. A restart on the same bytes (its
// recovery facing faults too) rebuilds the committed index; it may also find
// a record whose write landed before its Put failed, but only at or past
// the committed tail.
func TestSimFaults(t *testing.T) {
	var total simStats
	for _, faultSyncs := range []bool{false, true} {
		for seed := uint64(1); seed <= 25; seed++ {
			t.Run(fmt.Sprintf("syncfaults=%v/seed=%d", faultSyncs, seed), func(t *testing.T) {
				st := simRun(t, seed, faultSyncs)
				total.ok += st.ok
				total.failed += st.failed
				total.recoverRetries += st.recoverRetries
				total.queued += st.queued
			})
		}
	}
	t.Logf("puts committed %d, failed %d; recovery retries %d; queued I/Os %d", total.ok, total.failed, total.recoverRetries, total.queued)
	require.Positive(t, total.ok)
	require.Positive(t, total.failed)
	require.Positive(t, total.recoverRetries)
	require.Positive(t, total.queued)
}

func simRun(t *testing.T, seed uint64, faultSyncs bool) simStats {
	ctx := context.Background()
	var st simStats
	cfg := sim.Config{Seed: seed, Latency: 0.5, MaxDelay: 3, SubmitFaults: 0.05, CompletionFaults: 0.1, FaultSyncs: faultSyncs}
	s := sim.New(cfg)
	inj := sim.NewSeeded(sim.SeededConfig{Seed: seed, MaxYields: 3, MaxFailures: 1})
	l := openLog(t, s, inj)

	rng := rand.New(rand.NewPCG(seed, 7))
	keys := []string{"k0", "k1", "k2", "k3", "k4"}
	model := map[string]string{}    // committed values
	failed := map[string][]string{} // values of failed Puts, per key
	readable := func(key string) {
		t.Helper()
		s.SetFaults(false)
		l.inj = sim.Never
		defer func() { s.SetFaults(true); l.inj = inj }()
		got, err := get(t, s, l, key)
		if want, ok := model[key]; ok {
			require.NoError(t, err, "get %q", key)
			require.Equal(t, want, got, "get %q", key)
		} else {
			require.ErrorIs(t, err, ErrNotFound, "get %q", key)
		}
	}
	for i := range 30 {
		key := keys[rng.IntN(len(keys))]
		value := fmt.Sprintf("s%d-%d-%s", seed, i, string(make([]byte, rng.IntN(20))))
		p := l.Put([]byte(key), []byte(value))
		off, err := rt.BlockWith(ctx, s, p.Resume, p)
		if err != nil {
			require.True(t, sim.IsInjected(err), "put %d failed with a fault that was not injected: %v", i, err)
			require.Nil(t, l.writer, "a failed Put released the log")
			failed[key] = append(failed[key], value)
			st.failed++
		} else {
			require.Equal(t, l.index[key].off, off)
			model[key] = value
			st.ok++
		}
		readable(key)
	}
	for _, ev := range s.Trace() {
		if len(ev.What) > 6 && ev.What[:6] == "queued" {
			st.queued++
		}
	}
	if !l.Recovered() {
		return st // every Put failed during recovery: nothing committed
	}

	// Restart: a new log on the same bytes, recovered against faults.
	cfg.Seed, cfg.Store = seed+1000, s.Store()
	s2 := sim.New(cfg)
	l2 := openLog(t, s2, sim.NewSeeded(sim.SeededConfig{Seed: seed + 1000, MaxFailures: 1}))
	for attempt := 0; ; attempt++ {
		require.Less(t, attempt, 50, "recovery never got through")
		_, err := recoverLog(t, s2, l2)
		if err == nil {
			break
		}
		require.True(t, sim.IsInjected(err), "recovery failed with a fault that was not injected: %v", err)
		st.recoverRetries++
	}
	s2.SetFaults(false)
	l2.inj = sim.Never
	old, got := l.state(), l2.state()
	require.GreaterOrEqual(t, got.Tail, old.Tail)
	for k, e := range old.Index {
		require.Contains(t, got.Index, k)
		if got.Index[k].off < old.Tail {
			require.Equal(t, e, got.Index[k], "key %q below the committed tail", k)
		}
	}
	for k, e := range got.Index {
		v, err := get(t, s2, l2, k)
		require.NoError(t, err)
		if e.off < old.Tail {
			require.Equal(t, model[k], v, "key %q", k)
		} else {
			require.Contains(t, failed[k], v, "key %q: a record past the committed tail comes from a failed Put", k)
		}
	}
	size, ok := s2.Store().Bytes(logPath)
	require.True(t, ok)
	require.Equal(t, got.Tail, int64(len(size)), "recovery cut everything after the last valid record")

	// The recovered log takes new Puts.
	_, err := put(t, s2, l2, "after", "restart")
	require.NoError(t, err)
	v, err := get(t, s2, l2, "after")
	require.NoError(t, err)
	require.Equal(t, "restart", v)
	return st
}
