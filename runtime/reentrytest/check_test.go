package reentrytest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// recorder is a Reporter that keeps what Check reports.
type recorder struct{ msgs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func journalSetup(fixed bool) Setup[int] {
	return func(env Env) (Run[int], error) {
		f, err := env.IO.Open("journal", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		j := newJournal(f, "entry-one", fixed)
		return Run[int]{Op: j.Resume, Snapshot: func() any { return j.entries }}, nil
	}
}

func framedSetup(fixed bool) Setup[int64] {
	return func(env Env) (Run[int64], error) {
		f, err := env.IO.Open("framed", rt.OpenCreate)
		if err != nil {
			return Run[int64]{}, err
		}
		w := newFramedFile(f, "body-of-the-file", fixed)
		return Run[int64]{Op: w.Resume}, nil
	}
}

func counterSetup(fixed bool) Setup[int] {
	return func(env Env) (Run[int], error) {
		c := &counter{inj: env.Inject, fixed: fixed}
		return Run[int]{Op: c.Resume, Snapshot: func() any { return struct{ N, Ticks int }{c.n, c.ticks} }}, nil
	}
}

func TestCatchesC1AppendBeforeYield(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, journalSetup(false))
	require.Len(t, rec.msgs, 1)
	assert.False(t, rep.OK())
	assert.Equal(t, []string{"entry-one"}, rep.Inline.State)
	assert.Greater(t, len(rep.Reentrant.State.([]string)), 1, "the entry was appended again on every re-entry")
	assert.Contains(t, rec.msgs[0], "state: length 1 != ")
	assert.Contains(t, rec.msgs[0], "result: 1 != ")
	assert.Equal(t, 1, rep.Inline.Calls, "inline, the operation never re-enters")
	assert.Greater(t, rep.Reentrant.Calls, 1)
	// The file itself is right in both runs: only the state shows the bug.
	assert.Equal(t, rep.Inline.Store, rep.Reentrant.Store)
}

func TestQuietOnFixedC1(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, journalSetup(true))
	assert.Empty(t, rec.msgs)
	assert.True(t, rep.OK())
	assert.Equal(t, []string{"entry-one"}, rep.Reentrant.State)
	assert.Greater(t, rep.Reentrant.Calls, 3, "the re-entrant run did re-enter")
}

func TestCatchesC3StateAdvancedBeforeRepollableCall(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, framedSetup(false))
	require.Len(t, rec.msgs, 1)
	assert.Equal(t, []byte("body-of-the-file|END"), rep.Inline.Store["framed"])
	assert.Equal(t, []byte("bod|END"), rep.Reentrant.Store["framed"], "the body write was abandoned after its first chunk")
	assert.Contains(t, rec.msgs[0], `files["framed"]: `)
	assert.Contains(t, rec.msgs[0], "result: 20 != 7")
}

func TestQuietOnFixedC3(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, framedSetup(true))
	assert.Empty(t, rec.msgs)
	assert.Equal(t, []byte("body-of-the-file|END"), rep.Reentrant.Store["framed"])
	assert.Greater(t, rep.Reentrant.Calls, 6)
}

func TestCatchesAMutationBeforeAnInjectedYield(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, counterSetup(false))
	require.Len(t, rec.msgs, 1)
	assert.Equal(t, 30, rep.Inline.Value)
	assert.Equal(t, 60, rep.Reentrant.Value, "each tick's increment ran twice")
	assert.Contains(t, rec.msgs[0], "state.N: 30 != 60")

	rec = &recorder{}
	rep = Check(rec, counterSetup(true))
	assert.Empty(t, rec.msgs)
	assert.Equal(t, 30, rep.Reentrant.Value)
	assert.Equal(t, 4, rep.Reentrant.Calls, "one injected yield per tick")
}

func TestWithRealTestingT(t *testing.T) {
	Check(t, journalSetup(true))
	Check(t, framedSetup(true))
	Check(t, counterSetup(true))
}

func TestReportsErrorDifferences(t *testing.T) {
	rec := &recorder{}
	Check(rec, func(env Env) (Run[int], error) {
		f, err := env.IO.Open("e", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		calls := 0
		return Run[int]{Op: func() (rt.IOResult[int], error) {
			//reentrycheck:ignore deliberately not re-entrant: the test needs an op whose error depends on re-entry
			calls++
			if calls > 1 {
				return rt.IOResult[int]{}, errors.New("re-entered")
			}
			//reentrycheck:ignore deliberately not re-entrant, as above
			c, err := f.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			if !c.Finished() {
				// Re-entrancy: NOT safe, on purpose: this test op fails when re-entered.
				return rt.Wait[int](c), nil
			}
			return rt.Done(1), nil
		}}, nil
	})
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0], "error: <nil> != re-entered")
}

func TestAwaitedFailureEndsTheRun(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, func(env Env) (Run[int], error) {
		env.Store.SetBytes("short", []byte("ab"))
		f, err := env.IO.Open("short", rt.OpenReadOnly)
		if err != nil {
			return Run[int]{}, err
		}
		op := &strictRead{f: f, size: 4}
		return Run[int]{Op: op.Resume}, nil
	})
	assert.Empty(t, rec.msgs, "both runs fail the same way")
	var short *rt.ShortReadError
	require.ErrorAs(t, rep.Inline.Err, &short)
	require.ErrorAs(t, rep.Reentrant.Err, &short)
}

func TestHarnessProblems(t *testing.T) {
	rec := &recorder{}
	rep := CheckWith(rec, Options{MaxCalls: 50}, func(Env) (Run[int], error) {
		return Run[int]{Op: func() (rt.IOResult[int], error) { return rt.Yield[int](), nil }}, nil
	})
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0], "inline run: operation did not finish (livelock?): 50 calls")
	assert.False(t, rep.OK())

	rec = &recorder{}
	Check(rec, func(Env) (Run[int], error) { return Run[int]{}, errors.New("no file") })
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0], "setup: no file")

	rec = &recorder{}
	Check(rec, func(Env) (Run[int], error) { return Run[int]{}, nil })
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0], "without Op")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec = &recorder{}
	CheckWith(rec, Options{Context: ctx}, journalSetup(true))
	require.Len(t, rec.msgs, 1)
	assert.True(t, strings.Contains(rec.msgs[0], context.Canceled.Error()), rec.msgs[0])
}

type strictReadState int

const (
	strictSubmit strictReadState = iota
	strictCheck
)

// strictRead reads size bytes at 0 and fails on a short read.
type strictRead struct {
	f     rt.File
	size  int
	state strictReadState
	read  *rt.Completion
}

func (s *strictRead) Resume() (rt.IOResult[int], error) {
	if s.state == strictSubmit {
		c, err := s.f.ReadAt(rt.NewRead(make([]byte, s.size), func(buf []byte, n int, err error) error {
			if err == nil && n < len(buf) {
				return &rt.ShortReadError{Page: -1, Expected: len(buf), Actual: n}
			}
			return err
		}), 0)
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		s.read = c
		s.state = strictCheck
		if !c.Finished() {
			// Re-entrancy: advanced to strictCheck first; re-entry reads
			// the kept completion instead of submitting again.
			return rt.Wait[int](c), nil
		}
	}
	if err := s.read.Err(); err != nil {
		return rt.IOResult[int]{}, err
	}
	return rt.Done(s.read.N()), nil
}

// resubmitter submits its write on every call without advancing any state
// first (a C1 instance: the submit is the mutation): with deferred
// completions it never gets anywhere.
type resubmitter struct {
	f    rt.File
	done bool
}

func (r *resubmitter) Resume() (rt.IOResult[int], error) {
	if r.done {
		return rt.Done(1), nil
	}
	//reentrycheck:ignore deliberate C1 bug: a submit not committed by a transition
	c, err := r.f.WriteAt([]byte("x"), 0, rt.NewWrite(nil))
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	if !c.Finished() {
		// Re-entrancy: NOT safe, on purpose: re-entry submits again.
		return rt.Wait[int](c), nil
	}
	r.done = true
	return rt.Done(1), nil
}

func TestCatchesResubmissionAsLivelock(t *testing.T) {
	rec := &recorder{}
	rep := CheckWith(rec, Options{MaxCalls: 1000}, func(env Env) (Run[int], error) {
		f, err := env.IO.Open("r", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		return Run[int]{Op: (&resubmitter{f: f}).Resume}, nil
	})
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0], "re-entrant run: operation did not finish (livelock?): 1000 calls")
	assert.Equal(t, 1, rep.Inline.Value, "inline, the write finished at once")
}

// TestJournalPropertyBothWays: for any entry and chunk size, Check is quiet
// on the fixed journal and reports the buggy one (every write yields in the
// re-entrant run, so the misplaced append always repeats).
func TestJournalPropertyBothWays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		entry := rapid.StringMatching(`[a-z]{1,40}`).Draw(t, "entry")
		chunk := rapid.IntRange(1, 16).Draw(t, "chunk")
		setup := func(fixed bool) Setup[int] {
			return func(env Env) (Run[int], error) {
				f, err := env.IO.Open("journal", rt.OpenCreate)
				if err != nil {
					return Run[int]{}, err
				}
				j := newJournal(f, entry, fixed)
				j.w.chunk = chunk
				return Run[int]{Op: j.Resume, Snapshot: func() any { return j.entries }}, nil
			}
		}
		rec := &recorder{}
		fixed := Check(rec, setup(true))
		require.Empty(t, rec.msgs)
		require.Equal(t, []byte(entry), fixed.Reentrant.Store["journal"])
		require.Equal(t, 1+(len(entry)+chunk-1)/chunk, fixed.Reentrant.Calls, "one re-entry per chunk")

		rec = &recorder{}
		buggy := Check(rec, setup(false))
		require.Len(t, rec.msgs, 1)
		require.Len(t, buggy.Reentrant.State, 1+(len(entry)+chunk-1)/chunk, "one extra append per re-entry")
	})
}
