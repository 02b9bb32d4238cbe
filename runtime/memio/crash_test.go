package memio_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

const crashPath = "f"

// crashFile opens crashPath on io.
func crashFile(t testing.TB, io rt.IO) rt.File {
	t.Helper()
	f, err := io.Open(crashPath, rt.OpenCreate)
	require.NoError(t, err)
	return f
}

// blockWrite writes buf at off and waits for it.
func blockWrite(t testing.TB, io rt.IO, f rt.File, buf []byte, off int64) {
	t.Helper()
	c, err := f.WriteAt(buf, off, rt.NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, io.Wait(context.Background(), c))
}

// blockSync syncs f and returns the sync's error.
func blockSync(t testing.TB, io rt.IO, f rt.File) error {
	t.Helper()
	c, err := f.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	return io.Wait(context.Background(), c)
}

func crashed(t testing.TB, s *memio.Store, rng *rand.Rand) []byte {
	t.Helper()
	b, ok := s.Crash(rng).Bytes(crashPath)
	require.True(t, ok, "the file survives the crash")
	return b
}

func TestCrashWithoutSyncLosesUnsyncedWrites(t *testing.T) {
	io := memio.TrackSyncs(memio.New())
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("hello"), 0)
	require.Equal(t, 1, io.Store().Unsynced(crashPath))
	require.Empty(t, crashed(t, io.Store(), nil), "nothing was synced")
	live, _ := io.Store().Bytes(crashPath)
	require.Equal(t, []byte("hello"), live, "the crash does not touch the store it was taken from")
}

func TestTrackedSyncMakesWritesDurable(t *testing.T) {
	for _, inner := range []memio.Backend{memio.New(), memio.NewDeferring()} {
		io := memio.TrackSyncs(inner)
		f := crashFile(t, io)
		blockWrite(t, io, f, []byte("hello world"), 0)
		blockWrite(t, io, f, []byte("W"), 6)
		require.NoError(t, blockSync(t, io, f))
		require.Zero(t, io.Store().Unsynced(crashPath))
		for seed := range uint64(50) {
			require.Equal(t, []byte("hello World"), crashed(t, io.Store(), rand.New(rand.NewPCG(seed, 1))))
		}
	}
}

// TestUntrackedSyncIsNotDurable is the sync dependence of the model: the
// same program with a Sync that the crash model does not see (as the old
// no-op Sync) loses its write.
func TestUntrackedSyncIsNotDurable(t *testing.T) {
	io := memio.New()
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("hello"), 0)
	require.NoError(t, blockSync(t, io, f))
	require.Empty(t, crashed(t, io.Store(), nil))
}

func TestFailedSyncGuaranteesNothing(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1})
	io := memio.TrackSyncs(s)
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("hello"), 0)
	s2 := sim.New(sim.Config{Seed: 1, CompletionFaults: 1, FaultSyncs: true, Store: s.Store()})
	f2 := crashFile(t, memio.TrackSyncs(s2))
	require.Error(t, blockSync(t, s2, f2), "the sync fails by injection")
	require.Equal(t, 1, s.Store().Unsynced(crashPath))
	require.Empty(t, crashed(t, s.Store(), nil))
}

func TestInFlightSyncGuaranteesNothingUntilItSucceeds(t *testing.T) {
	d := memio.NewDeferring()
	io := memio.TrackSyncs(d)
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("hello"), 0)
	c, err := f.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	require.False(t, c.Finished())
	require.Empty(t, crashed(t, io.Store(), nil), "in flight")
	require.NoError(t, d.Step(context.Background()))
	require.True(t, c.Succeeded())
	require.Equal(t, []byte("hello"), crashed(t, io.Store(), nil))
}

func TestSyncCoversOnlyWritesBeforeIt(t *testing.T) {
	d := memio.NewDeferring()
	io := memio.TrackSyncs(d)
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("aaaa"), 0)
	c, err := f.Sync(rt.NewSync(nil))
	require.NoError(t, err)
	blockWrite(t, io, f, []byte("bb"), 4) // after the sync was submitted
	require.True(t, c.Succeeded())
	require.Equal(t, []byte("aaaa"), crashed(t, io.Store(), nil))
	require.Equal(t, 1, io.Store().Unsynced(crashPath))
}

func TestSetBytesCountsAsSynced(t *testing.T) {
	s := memio.NewStore()
	s.SetBytes(crashPath, []byte("prepared"))
	require.Equal(t, []byte("prepared"), crashed(t, s, nil))
	got, ok := s.Synced(crashPath)
	require.True(t, ok)
	require.Equal(t, []byte("prepared"), got)
}

// TestCrashOutcomes checks that a single unsynced write over synced data
// meets every fate of the model across seeds: vanished, whole, torn.
func TestCrashOutcomes(t *testing.T) {
	io := memio.TrackSyncs(memio.New())
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("0123456789"), 0)
	require.NoError(t, blockSync(t, io, f))
	blockWrite(t, io, f, []byte("ABCDEFGH"), 6)
	seen := map[string]bool{}
	for seed := range uint64(200) {
		got := crashed(t, io.Store(), rand.New(rand.NewPCG(seed, 2)))
		require.Equal(t, []byte("012345"), got[:6], "synced bytes no write touched survive")
		switch {
		case bytes.Equal(got, []byte("0123456789")):
			seen["vanished"] = true
		case bytes.Equal(got, []byte("012345ABCDEFGH")):
			seen["whole"] = true
		default:
			tail := got[6:]
			require.Less(t, len(tail), 8)
			// A strict prefix of the write, then whatever synced bytes it
			// did not reach.
			k := 1
			for k < len(tail) && k < 8 && tail[k] == "ABCDEFGH"[k] {
				k++
			}
			require.Equal(t, []byte("ABCDEFGH"[:k]), tail[:k])
			require.Equal(t, []byte("6789")[min(k, 4):], tail[k:])
			seen["torn"] = true
		}
	}
	require.Equal(t, map[string]bool{"vanished": true, "whole": true, "torn": true}, seen)
}

func TestCrashTruncate(t *testing.T) {
	io := memio.TrackSyncs(memio.New())
	f := crashFile(t, io)
	blockWrite(t, io, f, []byte("0123456789"), 0)
	require.NoError(t, blockSync(t, io, f))
	c, err := f.Truncate(3, rt.NewTruncate(nil))
	require.NoError(t, err)
	require.True(t, c.Succeeded())
	require.Equal(t, []byte("0123456789"), crashed(t, io.Store(), nil), "unsynced truncate lost")
	require.NoError(t, blockSync(t, io, f))
	require.Equal(t, []byte("012"), crashed(t, io.Store(), nil), "synced truncate kept")
}

// refOp is the test's own record of an unsynced operation.
type refOp struct {
	truncate bool
	off      int64
	data     []byte
}

// TestPropCrash drives random writes, truncates and syncs (some left in
// flight, some failed) and checks every crash outcome against a reference
// kept by the test: the synced image at the last successful sync and the
// operations since.
func TestPropCrash(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := memio.NewDeferring()
		io := memio.TrackSyncs(d)
		f, err := io.Open(crashPath, rt.OpenCreate)
		require.NoError(t, err)
		ctx := context.Background()
		var live, synced []byte
		var unsynced []refOp
		type inflight struct {
			c    *rt.Completion
			live []byte
			n    int // len(unsynced) when it was submitted
		}
		var flights []inflight
		land := func() { // step: in-flight syncs succeed
			require.NoError(t, d.Step(ctx))
			for _, fl := range flights {
				require.True(t, fl.c.Succeeded())
			}
			if len(flights) > 0 {
				last := flights[len(flights)-1]
				synced = last.live
				unsynced = unsynced[last.n:]
				for i := range flights {
					flights[i].n -= last.n
				}
			}
			flights = nil
		}
		steps := rapid.IntRange(1, 25).Draw(t, "steps")
		for range steps {
			switch rapid.IntRange(0, 9).Draw(t, "action") {
			case 0, 1, 2, 3, 4:
				off := int64(rapid.IntRange(0, 40).Draw(t, "off"))
				data := rapid.SliceOfN(rapid.ByteRange(1, 255), 1, 12).Draw(t, "data")
				_, err := f.WriteAt(data, off, rt.NewWrite(nil))
				require.NoError(t, err)
				unsynced = append(unsynced, refOp{off: off, data: data})
				end := int(off) + len(data)
				if end > len(live) {
					live = append(live, make([]byte, end-len(live))...)
				}
				copy(live[off:], data)
			case 5:
				size := int64(rapid.IntRange(0, 50).Draw(t, "size"))
				_, err := f.Truncate(size, rt.NewTruncate(nil))
				require.NoError(t, err)
				unsynced = append(unsynced, refOp{truncate: true, off: size})
				if int(size) <= len(live) {
					live = live[:size:size]
				} else {
					live = append(live, make([]byte, int(size)-len(live))...)
				}
			case 6, 7:
				c, err := f.Sync(rt.NewSync(nil))
				require.NoError(t, err)
				flights = append(flights, inflight{c: c, live: bytes.Clone(live), n: len(unsynced)})
			case 8:
				land()
			case 9:
				// Check the crash outcome now.
				checkCrash(t, io.Store(), synced, unsynced, live, rapid.Uint64().Draw(t, "seed"))
			}
		}
		checkCrash(t, io.Store(), synced, unsynced, live, rapid.Uint64().Draw(t, "seed"))
		land()
		checkCrash(t, io.Store(), synced, unsynced, live, rapid.Uint64().Draw(t, "seed"))
		if len(unsynced) == 0 {
			require.Equal(t, nonNil(live), nonNil(crashedR(t, io.Store(), rand.New(rand.NewPCG(1, 1)))), "everything synced survives")
		}
	})
}

func crashedR(t *rapid.T, s *memio.Store, rng *rand.Rand) []byte {
	b, ok := s.Crash(rng).Bytes(crashPath)
	require.True(t, ok)
	return b
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// checkCrash checks one crash outcome against the reference.
func checkCrash(t *rapid.T, s *memio.Store, synced []byte, unsynced []refOp, live []byte, seed uint64) {
	got := crashedR(t, s, rand.New(rand.NewPCG(seed, 3)))
	gotSynced, _ := s.Synced(crashPath)
	require.Equal(t, nonNil(synced), gotSynced, "the store's synced image is the reference's")
	require.Len(t, unsynced, s.Unsynced(crashPath))
	require.Equal(t, nonNil(synced), nonNil(crashedR(t, s, nil)), "nil rng: the synced image exactly")

	truncated := int64(-1) // lowest size any unsynced truncate set
	for _, o := range unsynced {
		if o.truncate && (truncated < 0 || o.off < truncated) {
			truncated = o.off
		}
	}
	for i, b := range got {
		touched := truncated >= 0 && int64(i) >= truncated
		possible := b == 0 || (i < len(synced) && synced[i] == b)
		for _, o := range unsynced {
			if !o.truncate && int64(i) >= o.off && int64(i) < o.off+int64(len(o.data)) {
				touched = true
				possible = possible || o.data[int64(i)-o.off] == b
			}
		}
		require.True(t, possible, "byte %d = %#x was never written there", i, b)
		if !touched && i < len(synced) {
			require.Equal(t, synced[i], b, "byte %d: no unsynced operation touched it, so it is the synced byte", i)
		}
	}
	if truncated < 0 {
		require.GreaterOrEqual(t, len(got), len(synced), "without a truncate nothing synced is cut")
	}
	if len(unsynced) == 0 {
		require.Equal(t, nonNil(live), nonNil(got))
	}
}
