package sim

import (
	"context"
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

var bg = context.Background()

// runChunk runs a chunkWriter on a fresh file of s with rt.Block.
func runChunk(t require.TestingT, s *IO, inj Injector, data []byte, chunk int) ([]byte, error) {
	f, err := s.Open("db", rt.OpenCreate)
	require.NoError(t, err)
	w := &chunkWriter{f: f, inj: inj, data: data, chunk: chunk}
	return rt.Block(bg, s, w.Resume)
}

func TestZeroConfigIsSynchronous(t *testing.T) {
	s := New(Config{Seed: 1})
	f, err := s.Open("z", rt.OpenCreate)
	require.NoError(t, err)
	c, err := f.WriteAt([]byte("abc"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	assert.True(t, c.Succeeded(), "no latency: finished inside the submit call")
	assert.Zero(t, s.Pending())
	require.NoError(t, s.Step(bg), "idle Step returns at once")
	assert.Zero(t, s.Now(), "idle Step does not advance time")
	got, _ := s.Store().Bytes("z")
	assert.Equal(t, []byte("abc"), got)
	require.Len(t, s.Trace(), 1)
	assert.Equal(t, "inline", s.Trace()[0].What)
}

func TestLatencyQueuesAndCompletesLater(t *testing.T) {
	s := New(Config{Seed: 7, Latency: 1, MaxDelay: 5})
	f, err := s.Open("l", rt.OpenCreate)
	require.NoError(t, err)

	var order []int
	var cs []*rt.Completion
	for i := range 6 {
		c, err := f.WriteAt([]byte{byte('a' + i)}, int64(i), rt.NewWrite(func(int, error) { order = append(order, i) }))
		require.NoError(t, err)
		assert.False(t, c.Finished())
		cs = append(cs, c)
	}
	size, err := f.Size()
	require.NoError(t, err)
	assert.Zero(t, size, "queued writes move their bytes at their Step")
	assert.Equal(t, 6, s.Pending())

	steps := 0
	for s.Pending() > 0 {
		require.NoError(t, s.Step(bg))
		steps++
	}
	assert.LessOrEqual(t, steps, 5, "Step jumps to the next due tick instead of idling")
	assert.LessOrEqual(t, s.Now(), 5)
	for _, c := range cs {
		assert.True(t, c.Succeeded())
	}
	assert.ElementsMatch(t, []int{0, 1, 2, 3, 4, 5}, order)
	got, _ := s.Store().Bytes("l")
	assert.Equal(t, []byte("abcdef"), got)

	// The completion order follows the seeded due ticks, ties in
	// submission order: check it against the trace.
	var due []int
	for _, ev := range s.Trace() {
		if ev.What == "complete" {
			due = append(due, ev.Seq)
		}
	}
	assert.Equal(t, order, due)
}

func TestSubmissionFaults(t *testing.T) {
	s := New(Config{Seed: 3, SubmitFaults: 1})
	f, err := s.Open("s", rt.OpenCreate)
	require.NoError(t, err)
	called := false
	c := rt.NewWrite(func(int, error) { called = true })
	got, err := f.WriteAt([]byte("x"), 0, c)
	require.Error(t, err)
	assert.Nil(t, got)
	assert.True(t, IsInjected(err))
	assert.NotErrorIs(t, err, rt.ErrAborted, "a submission fault is not an abort")
	var fault *Fault
	require.ErrorAs(t, err, &fault)
	assert.Equal(t, SubmitChannel, fault.Channel)
	assert.Equal(t, "write", fault.Op)
	assert.False(t, c.Finished(), "the completion never runs")
	assert.False(t, called)
	b, _ := s.Store().Bytes("s")
	assert.Empty(t, b)

	sc, err := f.Sync(rt.NewSync(nil))
	require.NoError(t, err, "syncs are excluded from faults unless FaultSyncs")
	assert.True(t, sc.Succeeded())

	s.SetFaults(false)
	c2, err := f.WriteAt([]byte("y"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	assert.True(t, c2.Succeeded())
}

func TestCompletionFaults(t *testing.T) {
	s := New(Config{Seed: 4, CompletionFaults: 1})
	s.Store().SetBytes("c", []byte("old"))
	f, err := s.Open("c", rt.OpenReadWrite)
	require.NoError(t, err)
	var cbErr error
	c, err := f.WriteAt([]byte("new"), 0, rt.NewWrite(func(_ int, err error) { cbErr = err }))
	require.NoError(t, err, "the submission succeeds")
	assert.False(t, c.Finished())
	require.ErrorIs(t, s.Wait(bg, c), rt.ErrAborted)
	assert.True(t, c.Failed())
	assert.True(t, IsInjected(c.Err()))
	assert.ErrorIs(t, cbErr, ErrInjected, "the callback runs with the fault")
	var fault *Fault
	require.ErrorAs(t, c.Err(), &fault)
	assert.Equal(t, CompletionChannel, fault.Channel)
	got, _ := s.Store().Bytes("c")
	assert.Equal(t, []byte("old"), got, "a faulted write moves no bytes")

	rc, err := f.ReadAt(rt.NewRead(make([]byte, 3), nil), 0)
	require.NoError(t, err)
	require.Error(t, s.Wait(bg, rc))
	assert.Equal(t, []byte{0, 0, 0}, rc.Buffer(), "a faulted read fills nothing")
}

func TestSyncFaultsOnlyWhenAsked(t *testing.T) {
	s := New(Config{Seed: 5, SubmitFaults: 1, FaultSyncs: true})
	f, err := s.Open("y", rt.OpenCreate)
	require.NoError(t, err)
	_, err = f.Sync(rt.NewSync(nil))
	require.True(t, IsInjected(err))
}

func TestCancelSkipsQueuedOperation(t *testing.T) {
	s := New(Config{Seed: 6, Latency: 1})
	f, err := s.Open("k", rt.OpenCreate)
	require.NoError(t, err)
	c, err := f.WriteAt([]byte("zz"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	s.Cancel([]*rt.Completion{c})
	require.ErrorIs(t, c.Err(), rt.ErrAborted)
	for s.Pending() > 0 {
		require.NoError(t, s.Step(bg))
	}
	got, _ := s.Store().Bytes("k")
	assert.Empty(t, got, "a cancelled queued write is skipped")
	tr := s.Trace()
	assert.Equal(t, "skipped", tr[len(tr)-1].What)
}

func TestWriteVFansInWithFaults(t *testing.T) {
	s := New(Config{Seed: 9, Latency: 1, CompletionFaults: 0})
	f, err := s.Open("v", rt.OpenCreate)
	require.NoError(t, err)
	c, err := f.WriteV([][]byte{[]byte("ab"), []byte("cd")}, 0, rt.NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, s.Wait(bg, c))
	assert.Equal(t, 4, c.N())
	got, _ := s.Store().Bytes("v")
	assert.Equal(t, []byte("abcd"), got)

	bad := New(Config{Seed: 9, CompletionFaults: 1})
	bf, err := bad.Open("v", rt.OpenCreate)
	require.NoError(t, err)
	bc, err := bf.WriteV([][]byte{[]byte("ab"), []byte("cd")}, 0, rt.NewWrite(nil))
	require.NoError(t, err)
	err = bad.Wait(bg, bc)
	require.True(t, IsInjected(err), "a failing child still finishes the parent: %v", err)
}

func TestMisuseIsReportedAtSubmission(t *testing.T) {
	s := New(Config{Seed: 1, SubmitFaults: 1})
	s.Store().SetBytes("m", []byte("x"))
	f, err := s.Open("m", rt.OpenReadOnly)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte("x"), 0, rt.NewWrite(nil))
	require.ErrorIs(t, err, fs.ErrPermission)
	assert.False(t, IsInjected(err))
	_, err = f.ReadAt(nil, 0)
	require.ErrorIs(t, err, rt.ErrNilCompletion)
	_, err = f.ReadAt(rt.NewSync(nil), 0)
	require.Error(t, err)
	require.NoError(t, f.Close())
	_, err = f.ReadAt(rt.NewRead(make([]byte, 1), nil), 0)
	require.ErrorIs(t, err, fs.ErrClosed)
	assert.Empty(t, s.Trace(), "nothing was drawn for misuse")
	_, err = s.Open("nope", rt.OpenReadOnly)
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.NoError(t, s.Remove("m"))
}

func TestChunkWriterOnEveryBackend(t *testing.T) {
	data := []byte("the quick brown fox jumps over the lazy dog")
	got, err := runChunk(t, New(Config{Seed: 1}), Never, data, 5)
	require.NoError(t, err)
	assert.Equal(t, data, got)

	d := memio.NewDeferring()
	f, err := d.Open("db", rt.OpenCreate)
	require.NoError(t, err)
	w := &chunkWriter{f: f, inj: NewEverywhere(), data: data, chunk: 7}
	got, err = rt.Block(bg, d, w.Resume)
	require.NoError(t, err)
	assert.Equal(t, data, got)
}

// TestSameSeedSameSchedule: the simulator is deterministic. Two runs with
// the same configuration and seed produce equal traces, equal results and
// equal stores.
func TestSameSeedSameSchedule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := Config{
			Seed:             rapid.Uint64().Draw(t, "seed"),
			Latency:          rapid.Float64Range(0, 1).Draw(t, "latency"),
			MaxDelay:         rapid.IntRange(1, 6).Draw(t, "maxDelay"),
			SubmitFaults:     rapid.Float64Range(0, 0.3).Draw(t, "submitFaults"),
			CompletionFaults: rapid.Float64Range(0, 0.3).Draw(t, "completionFaults"),
		}
		data := rapid.SliceOfN(rapid.Byte(), 1, 64).Draw(t, "data")
		chunk := rapid.IntRange(1, 16).Draw(t, "chunk")
		run := func() ([]Event, []byte, string, map[string][]byte) {
			s := New(cfg)
			inj := NewSeeded(SeededConfig{Seed: cfg.Seed, MaxYields: 5, MaxFailures: 1})
			got, err := runChunk(t, s, inj, data, chunk)
			return s.Trace(), got, fmt.Sprint(err), s.Store().Snapshot()
		}
		tr1, got1, err1, st1 := run()
		tr2, got2, err2, st2 := run()
		require.Equal(t, tr1, tr2)
		require.Equal(t, got1, got2)
		require.Equal(t, err1, err2)
		require.Equal(t, st1, st2)
	})
}

// TestAnyScheduleSameBytes: without faults, every schedule (seed, latency,
// delays, injected yields) ends with the same bytes.
func TestAnyScheduleSameBytes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := Config{
			Seed:     rapid.Uint64().Draw(t, "seed"),
			Latency:  rapid.Float64Range(0, 1).Draw(t, "latency"),
			MaxDelay: rapid.IntRange(1, 8).Draw(t, "maxDelay"),
		}
		data := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(t, "data")
		chunk := rapid.IntRange(1, 16).Draw(t, "chunk")
		s := New(cfg)
		got, err := runChunk(t, s, NewSeeded(SeededConfig{Seed: cfg.Seed, MaxYields: 20}), data, chunk)
		require.NoError(t, err)
		require.Equal(t, data, got)
		stored, _ := s.Store().Bytes("db")
		require.Equal(t, data, append([]byte{}, stored...))
	})
}

// TestFaultyRunsBothFailAndSucceed keeps the fuzz target honest: with
// moderate fault rates some schedules fail with injected faults and some
// complete, and none fails any other way.
func TestFaultyRunsBothFailAndSucceed(t *testing.T) {
	data := []byte("some bytes worth writing in several chunks")
	failed, completed := 0, 0
	for seed := range uint64(60) {
		s := New(Config{Seed: seed, Latency: 0.5, SubmitFaults: 0.05, CompletionFaults: 0.05})
		got, err := runChunk(t, s, NewSeeded(SeededConfig{Seed: seed, MaxYields: 3}), data, 6)
		if err != nil {
			require.True(t, IsInjected(err), "seed %d: %v", seed, err)
			failed++
			continue
		}
		require.Equal(t, data, got)
		completed++
	}
	assert.Positive(t, failed)
	assert.Positive(t, completed)
}

func TestCloseWithQueuedOperation(t *testing.T) {
	s := New(Config{Seed: 2, Latency: 1})
	f, err := s.Open("q", rt.OpenCreate)
	require.NoError(t, err)
	c, err := f.WriteAt([]byte("late"), 0, rt.NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.ErrorIs(t, s.Wait(bg, c), fs.ErrClosed, "the queued write fails once its handle is closed")
	_, err = f.Sync(rt.NewSync(nil))
	require.ErrorIs(t, err, fs.ErrClosed)
	require.ErrorIs(t, f.Close(), fs.ErrClosed)
}
