package kvlog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

// TestRecoveryKeepsValidRecordsAfterCorruption flips every byte of every
// record of a three-record log in turn. A flip in the first or the middle
// record costs that record only: recovery resynchronises on the next one
// and leaves the file as it was. A flip in the last record makes it a torn
// tail, which is cut. (The recovery that truncated at the first bad record
// cut the log to the start of the flipped record, losing the valid records
// after it.)
func TestRecoveryKeepsValidRecordsAfterCorruption(t *testing.T) {
	kvs := []string{"a", "one", "b", "two", "c", "three"}
	good := encodeAll(kvs...)
	var starts []int
	for i := 0; i < len(kvs); i += 2 {
		starts = append(starts, len(encodeAll(kvs[:i]...)))
	}
	starts = append(starts, len(good))
	for rec := range 3 {
		for i := starts[rec]; i < starts[rec+1]; i++ {
			bad := append([]byte(nil), good...)
			bad[i] ^= 0x5a
			store := memio.NewStore()
			store.SetBytes(logPath, bad)
			io := memio.NewDeferringOn(store)
			l := openLog(t, io, nil)
			n, err := recoverLog(t, io, l)
			require.NoError(t, err)
			require.Equal(t, 2, n, "byte %d of record %d", i, rec)
			want := map[string]string{}
			for r := range 3 {
				if r != rec {
					want[kvs[2*r]] = kvs[2*r+1]
				}
			}
			requireContents(t, io, l, want)
			file, _ := store.Bytes(logPath)
			if rec < 2 {
				require.Equal(t, 1, l.Recover().Corrupt())
				require.Equal(t, bad, file, "a corrupt record in the middle is skipped, not cut")
				require.Equal(t, int64(len(good)), l.Tail())
			} else {
				require.Zero(t, l.Recover().Corrupt())
				require.Equal(t, good[:starts[2]], file, "the bad last record is a torn tail")
			}
		}
	}
}

// TestRecoveryResyncsPastGarbage puts garbage, a torn record and a record
// embedded in a value between valid records: recovery keeps every valid
// record and is not fooled by the embedded one, which is valid only at the
// offset it was encoded for.
func TestRecoveryResyncsPastGarbage(t *testing.T) {
	first := encodeRecord([]byte("k1"), []byte("v1"), 0)
	garbage := []byte{0xff, 0x4b, 0x56, 0x4c, 0x31, 0, 0, 0, 1, 2, 3}
	file := append(append([]byte(nil), first...), garbage...)
	torn := encodeRecord([]byte("k2"), []byte("lost"), int64(len(file)))
	file = append(file, torn[:len(torn)-1]...)
	fake := encodeRecord([]byte("k9"), []byte("fake"), 0) // valid at offset 0 only
	carrier := encodeRecord([]byte("k3"), fake, int64(len(file)))
	file = append(file, carrier...)
	last := encodeRecord([]byte("k4"), []byte("v4"), int64(len(file)))
	file = append(file, last...)

	store := memio.NewStore()
	store.SetBytes(logPath, file)
	io := memio.NewOn(store)
	l := openLog(t, io, nil)
	n, err := recoverLog(t, io, l)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Equal(t, 1, l.Recover().Corrupt(), "one corrupt range: the garbage and the torn record")
	requireContents(t, io, l, map[string]string{"k1": "v1", "k3": string(fake), "k4": "v4"})
	got, _ := store.Bytes(logPath)
	require.Equal(t, file, got)
}

// crashStats adds up what the crash runs exercised.
type crashStats struct {
	acked, failed, crashedMidPut, survivedUnacked, restarts int
}

// crashSeeds is the number of seeds of TestCrashSim: KVLOG_SEEDS overrides
// the default.
func crashSeeds(t *testing.T, def int) int {
	if s := os.Getenv("KVLOG_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		return n
	}
	return def
}

// TestCrashSim runs Puts on the simulator (latency, faults on both
// channels, injected yields and failures) with the crash model: at a seeded
// point, possibly in the middle of a Put, the machine crashes, unsynced
// writes vanish or tear (or the process restarts without a crash, the bytes
// staying as they are), and a new log recovers from what is left. Over
// several crash epochs per seed: every acknowledged Put survives, no record
// appears twice, a recovered value is the last acknowledged one of its key
// or one of a later unacknowledged Put, and reads see committed data.
func TestCrashSim(t *testing.T) {
	var total crashStats
	for seed := uint64(1); seed <= uint64(crashSeeds(t, 40)); seed++ {
		st, err := crashRun(t, seed, true)
		require.NoError(t, err, "seed %d", seed)
		total.acked += st.acked
		total.failed += st.failed
		total.crashedMidPut += st.crashedMidPut
		total.survivedUnacked += st.survivedUnacked
		total.restarts += st.restarts
	}
	t.Logf("%+v", total)
	require.Positive(t, total.acked)
	require.Positive(t, total.failed)
	require.Positive(t, total.crashedMidPut)
	require.Positive(t, total.survivedUnacked)
	require.Positive(t, total.restarts)
}

// TestCrashSimNeedsSync shows that TestCrashSim depends on syncs: the same
// runs on a backend whose syncs the crash model does not see (as with a
// Sync that does nothing) lose acknowledged Puts.
func TestCrashSimNeedsSync(t *testing.T) {
	lost := 0
	for seed := uint64(1); seed <= 10; seed++ {
		if _, err := crashRun(t, seed, false); err != nil {
			lost++
		}
	}
	require.Positive(t, lost, "without durable syncs some acknowledged Put must be lost")
}

// crashModel is what the test knows about one key.
type crashModel struct {
	acked   string   // the last acknowledged value, "" if none
	unacked []string // values of Puts after it that failed or were cut by the crash
}

// crashRun runs one seed; it fails the test on a broken harness and
// returns an error when a durability invariant is violated.
func crashRun(t *testing.T, seed uint64, tracked bool) (crashStats, error) {
	ctx := context.Background()
	var st crashStats
	rng := rand.New(rand.NewPCG(seed, 11))
	store := memio.NewStore()
	keys := []string{"k0", "k1", "k2", "k3"}
	model := map[string]*crashModel{}
	for _, k := range keys {
		model[k] = &crashModel{}
	}
	const epochs = 3
	for epoch := range epochs + 1 { // the last one only recovers and checks
		cfg := sim.Config{Seed: seed*10 + uint64(epoch), Latency: 0.4, MaxDelay: 3, SubmitFaults: 0.03, CompletionFaults: 0.06, FaultSyncs: rng.IntN(2) == 0, Store: store}
		s := sim.New(cfg)
		var io rt.IO = s
		if tracked {
			io = memio.TrackSyncs(s)
		}
		inj := sim.NewSeeded(sim.SeededConfig{Seed: cfg.Seed, MaxYields: 3, MaxFailures: 1})
		l := openLog(t, io, inj)

		// Recover what the last crash left, retrying injected failures.
		for attempt := 0; ; attempt++ {
			require.Less(t, attempt, 50, "recovery never got through")
			_, err := recoverLog(t, io, l)
			if err == nil {
				break
			}
			require.True(t, sim.IsInjected(err), "recovery: %v", err)
		}
		if err := checkRecovered(t, s, l, model, &st); err != nil {
			return st, fmt.Errorf("epoch %d: %w", epoch, err)
		}
		if epoch == epochs {
			break
		}

		n := 5 + rng.IntN(10)
		crashAt := rng.IntN(n + 1) // n: after the last Put
		for i := range n {
			key := keys[rng.IntN(len(keys))]
			value := fmt.Sprintf("s%d-e%d-%d%s", seed, epoch, i, make([]byte, rng.IntN(12)))
			p := l.Put([]byte(key), []byte(value))
			if i == crashAt {
				// Drive the Put some steps, then crash with it in flight.
				stepper := rt.NewStepper(p.Resume)
				out := rt.StepIO
				for range rng.IntN(5) {
					if out, _ = stepper.Step(); out == rt.StepDone || out == rt.StepError {
						break
					}
					require.NoError(t, s.Step(ctx))
				}
				if out == rt.StepDone {
					model[key].acked, model[key].unacked = value, nil
					st.acked++
				} else {
					model[key].unacked = append(model[key].unacked, value)
					st.crashedMidPut++
				}
				break
			}
			if _, err := rt.BlockWith(ctx, io, p.Resume, p); err != nil {
				require.True(t, sim.IsInjected(err), "put: %v", err)
				model[key].unacked = append(model[key].unacked, value)
				st.failed++
				continue
			}
			model[key].acked, model[key].unacked = value, nil
			st.acked++
			// Reads see committed data.
			if got, err := getQuiet(t, s, l, key); err != nil || got != value {
				return st, fmt.Errorf("epoch %d: get %q after its Put = %q, %v; want %q", epoch, key, got, err, value)
			}
		}
		if rng.IntN(3) == 0 {
			st.restarts++ // a restart without a crash: the bytes stay, synced or not
			continue
		}
		store = store.Crash(rng)
	}
	return st, nil
}

// getQuiet reads key with the simulator's faults and the log's hooks off.
func getQuiet(t *testing.T, s *sim.IO, l *Log, key string) (string, error) {
	s.SetFaults(false)
	inj := l.inj
	l.inj = sim.Never
	defer func() { s.SetFaults(true); l.inj = inj }()
	return get(t, s, l, key)
}

// checkRecovered checks a freshly recovered log against the model and then
// makes the model what was recovered: it is all durable now.
func checkRecovered(t *testing.T, s *sim.IO, l *Log, model map[string]*crashModel, st *crashStats) error {
	file, _ := s.Store().Bytes(logPath)
	seen := map[string]bool{}
	for off := int64(0); off < l.Tail(); {
		key, value, err := decodeRecord(file[off:off+int64(recordLen(file, off))], off)
		if err != nil {
			return fmt.Errorf("the recovered log is not clean at %d: %w", off, err)
		}
		if seen[string(value)] {
			return fmt.Errorf("record %q=%q appears twice", key, value)
		}
		seen[string(value)] = true
		off += int64(headerSize + len(key) + len(value))
	}
	if l.Tail() != int64(len(file)) {
		return fmt.Errorf("tail %d, file of %d bytes", l.Tail(), len(file))
	}
	for k, m := range model {
		got, err := getQuiet(t, s, l, k)
		switch {
		case err != nil && m.acked != "":
			return fmt.Errorf("acknowledged %q=%q lost: %v", k, m.acked, err)
		case err != nil:
			require.ErrorIs(t, err, ErrNotFound)
			m.unacked = nil
			continue
		case got == m.acked:
		default:
			found := false
			for _, v := range m.unacked {
				found = found || v == got
			}
			if !found {
				return fmt.Errorf("%q = %q: neither the acknowledged %q nor a later Put %q", k, got, m.acked, m.unacked)
			}
			st.survivedUnacked++
		}
		m.acked, m.unacked = got, nil
	}
	return nil
}

// recordLen returns the length of the record at off as its header states
// it, bounded by the file.
func recordLen(file []byte, off int64) int {
	rest := int64(len(file)) - off
	if rest < headerSize {
		return int(rest)
	}
	h, err := parseHeader(file[off:], off)
	if err != nil {
		return headerSize
	}
	return int(min(rest, int64(headerSize+h.bodySize())))
}
