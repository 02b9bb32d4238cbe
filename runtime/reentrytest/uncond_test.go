package reentrytest

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// oldCheck is the check as it was before the polled run: inline versus
// re-entrant only.
var oldCheck = Options{Polls: -1}

func ledgerSetup(fixed bool, entry string, chunk int) Setup[int] {
	return func(env Env) (Run[int], error) {
		f, err := env.IO.Open("ledger", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		l := &ledger{w: newChunkWriter(f, entry, 0, chunk), entry: entry, fixed: fixed}
		return Run[int]{Op: l.Resume, Snapshot: func() any { return ledgerSnap{l.entries, l.count} }}, nil
	}
}

func copierSetup(fixed bool) Setup[int] {
	return func(env Env) (Run[int], error) {
		f, err := env.IO.Open("copy", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		c := &copier{f: f, cur: &cursor{recs: []string{"alpha", "beta", "gamma", "delta", "epsilon"}}, chunk: 3, fixed: fixed}
		return Run[int]{Op: c.Resume, Snapshot: func() any { return c.copied }}, nil
	}
}

// fileCopierSetup copies records read from a file: both calls of the
// buggy copier's state are I/O.
func fileCopierSetup(fixed bool) Setup[int] {
	return func(env Env) (Run[int], error) {
		env.Store.SetBytes("src", []byte("alphabravocharldeltaecho!"))
		src, err := env.IO.Open("src", rt.OpenReadOnly)
		if err != nil {
			return Run[int]{}, err
		}
		f, err := env.IO.Open("copy", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		c := &copier{f: f, cur: &fileCursor{f: src, size: 5, n: 5}, chunk: 3, fixed: fixed}
		return Run[int]{Op: c.Resume, Snapshot: func() any { return c.copied }}, nil
	}
}

func envelopeSetup(fixed bool) Setup[int64] {
	return func(env Env) (Run[int64], error) {
		f, err := env.IO.Open("envelope", rt.OpenCreate)
		if err != nil {
			return Run[int64]{}, err
		}
		e := &envelope{f: f, body: newChunkWriter(f, "body-of-the-file", 0, 3), fixed: fixed}
		return Run[int64]{Op: e.Resume}, nil
	}
}

func fillerSetup(fixed bool) Setup[int] {
	return func(env Env) (Run[int], error) {
		f, err := env.IO.Open("fill", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		fl := newFiller(f, "page-contents", 4, fixed)
		return Run[int]{Op: fl.Resume, Snapshot: func() any { return fl.pages }}, nil
	}
}

func flusherSetup(fixed bool) Setup[int] {
	return func(env Env) (Run[int], error) {
		f, err := env.IO.Open("flush", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		fl := &flusher{f: f, bufs: [][]byte{[]byte("one-"), []byte("two-"), []byte("three")}, fixed: fixed}
		return Run[int]{Op: fl.Resume}, nil
	}
}

// class is one bug class in the unconditional-yield style.
type class struct {
	name   string
	opts   Options            // the options the new check needs
	buggy  func() Report[any] // Verify on the buggy version with opts
	old    func() Report[any] // Verify on the buggy version, old check
	fixed  func(Options) Report[any]
	expect []string // lines the new check reports on the buggy version
}

// erase runs Verify and forgets the result type, so that the classes fit
// in one table.
func erase[T any](opts Options, setup Setup[T]) Report[any] {
	rep := Verify(opts, setup)
	conv := func(o Outcome[T]) Outcome[any] {
		return Outcome[any]{Value: o.Value, Err: o.Err, Store: o.Store, State: o.State, Calls: o.Calls, Submits: o.Submits}
	}
	return Report[any]{Inline: conv(rep.Inline), Reentrant: conv(rep.Reentrant), Deferred: conv(rep.Deferred), Polled: conv(rep.Polled),
		Polls: rep.Polls, Diffs: rep.Diffs, Findings: rep.Findings}
}

func mkClass[T any](name string, opts Options, setup func(bool) Setup[T], expect ...string) class {
	return class{
		name:   name,
		opts:   opts,
		buggy:  func() Report[any] { return erase(opts, setup(false)) },
		old:    func() Report[any] { return erase(oldCheck, setup(false)) },
		fixed:  func(o Options) Report[any] { return erase(o, setup(true)) },
		expect: expect,
	}
}

var classes = []class{
	mkClass("C1 append and count before a re-pollable call", Options{}, func(fixed bool) Setup[int] {
		return ledgerSetup(fixed, "entry-one", 4)
	},
		"polled: result: 4 != 7",
		"polled: state.Entries: length 4 != 7",
		"polled: state.Count: 4 != 7"),
	mkClass("C2 two re-pollable calls in one state", Options{}, copierSetup,
		`polled: files["copy"]: "alphadelta" != "alpha"`,
		"polled: submits.Writes: 4 != 2"),
	mkClass("C2 two re-pollable calls in one state, both I/O", Options{PollTolerant: true}, fileCopierSetup,
		"polled: poll not absorbed: call 4, waiting on rt.Completion(write, pending): it yielded on another completion, rt.Completion(read, pending), after submitting 1 I/O(s)"),
	mkClass("C3 state advanced before a re-pollable call", Options{PollTolerant: true}, envelopeSetup,
		"polled: poll not absorbed: call 2, waiting on rt.Completion(write, pending): it yielded on another completion, rt.Completion(write, pending), after submitting 1 I/O(s)"),
	mkClass("C5 progress on a copy of the state", Options{}, fillerSetup,
		"polled: result: 5 != 9",
		"polled: state: length 5 != 9"),
	mkClass("C8 group rebuilt on re-entry", Options{}, flusherSetup,
		"polled: error: <nil> != rt: completion can only be linked to one group"),
}

// TestNewCheckCatchesWhatTheOldOneMissed: for each class, the old check
// is silent on the buggy version (inline and re-entrant runs agree, in
// this style), the new check reports it, and both are silent on the fixed
// twin, which also absorbs every poll.
func TestNewCheckCatchesWhatTheOldOneMissed(t *testing.T) {
	for _, cl := range classes {
		t.Run(cl.name, func(t *testing.T) {
			old := cl.old()
			assert.True(t, old.OK(), "the old check is blind here: %v", old.Diffs)
			assert.Zero(t, old.Polls.Runs, "Polls < 0 skips the polled run")
			assert.Zero(t, old.Polled.Calls)
			assert.Zero(t, old.Deferred.Calls)
			assert.Equal(t, old.Inline.Calls, old.Reentrant.Calls, "every I/O is a yield: inline re-enters as often as re-entrant")

			rep := cl.buggy()
			require.False(t, rep.OK())
			for _, want := range cl.expect {
				assert.Contains(t, rep.Diffs, want)
			}
			for _, f := range rep.Findings {
				assert.Equal(t, RunPolled, f.Run, "only the polled run diverges: %s", f)
			}

			for _, opts := range []Options{{}, {PollTolerant: true}, {Polls: 3, PollTolerant: true}} {
				fixed := cl.fixed(opts)
				assert.True(t, fixed.OK(), "fixed twin with %+v: %v", opts, fixed.Diffs)
				assert.Empty(t, fixed.Polls.Refused, "the fixed twin absorbs every poll")
				assert.Equal(t, fixed.Polls.Sites, fixed.Polls.Polled)
				assert.Equal(t, fixed.Polls.Sites*opts.withDefaults().Polls, fixed.Polls.Absorbed)
				assert.Equal(t, fixed.Deferred.Calls+fixed.Polls.Absorbed, fixed.Polled.Calls)
				assert.Equal(t, fixed.Deferred.Submits, fixed.Polled.Submits)
			}
		})
	}
}

func TestC1PolledRunRepeatsTheAppendPerPoll(t *testing.T) {
	rep := Verify(Options{}, ledgerSetup(false, "entry-one", 4))
	assert.Equal(t, ledgerSnap{[]string{"entry-one", "entry-one", "entry-one", "entry-one"}, 4}, rep.Inline.State,
		"every run repeats the append once per call: 3 chunks, 4 calls, 4 entries")
	assert.Equal(t, rep.Inline.State, rep.Reentrant.State)
	assert.Equal(t, rep.Inline.State, rep.Deferred.State)
	assert.Equal(t, 3, rep.Polls.Absorbed)
	assert.Equal(t, 7, rep.Polled.State.(ledgerSnap).Count, "one more per absorbed poll")
	assert.Equal(t, rep.Deferred.Store, rep.Polled.Store, "the file is right in every run: only the state shows it")
	assert.Equal(t, Submits{Writes: 3}, rep.Polled.Submits)

	fixed := Verify(Options{}, ledgerSetup(true, "entry-one", 4))
	assert.True(t, fixed.OK())
	assert.Equal(t, ledgerSnap{[]string{"entry-one"}, 1}, fixed.Polled.State)
	assert.Equal(t, []byte("entry-one"), fixed.Polled.Store["ledger"])
}

func TestC3OnlyPollTolerantSeesIt(t *testing.T) {
	rep := Verify(Options{}, envelopeSetup(false))
	assert.True(t, rep.OK(), "without PollTolerant, moving on at a poll is the operation's right")
	require.Len(t, rep.Polls.Refused, 1)
	assert.Equal(t, 0, rep.Polls.Refused[0].Site)
	assert.Equal(t, []byte("bod|END"), rep.Polled.Store["envelope"], "the body stops after its first chunk in every run")
	assert.Equal(t, int64(7), rep.Inline.Value)

	rec := &recorder{}
	CheckWith(rec, Options{PollTolerant: true}, envelopeSetup(false))
	require.Len(t, rec.msgs, 1)
	assert.Contains(t, rec.msgs[0], "deferred vs polled:\n\tpoll not absorbed: call 2, waiting on rt.Completion(write, pending)")
}

func TestC8RebuildFailsOnlyWhenChildrenArePending(t *testing.T) {
	rep := Verify(Options{}, flusherSetup(false))
	require.ErrorIs(t, rep.Polled.Err, rt.ErrLinkedTwice)
	assert.NoError(t, rep.Deferred.Err, "re-entered after the group finished, the rebuild links nothing")
	assert.Equal(t, []byte("one-two-three"), rep.Deferred.Store["flush"])
	assert.Equal(t, 13, rep.Deferred.Value)
}

// TestIssueReproIsOutOfReach is the issue's repro as written: the callee
// takes a flag to mean "my chunk landed", so it moves on whenever it is
// called. Every driver the model allows re-enters the ledger once per
// chunk, polls or not, and the appends repeat exactly as often in every
// run: no run can tell them from one append per chunk. The check says so
// through PollStats (nothing absorbed), and PollTolerant, which would
// report the refusals, reports the fixed twin just the same.
func TestIssueReproIsOutOfReach(t *testing.T) {
	setup := func(fixed bool) Setup[int] {
		return func(env Env) (Run[int], error) {
			f, err := env.IO.Open("ledger", rt.OpenCreate)
			if err != nil {
				return Run[int]{}, err
			}
			l := &ledger{w: &flagWriter{f: f, data: []byte("entry-one"), chunk: 4}, entry: "entry-one", fixed: fixed}
			return Run[int]{Op: l.Resume, Snapshot: func() any { return ledgerSnap{l.entries, l.count} }}, nil
		}
	}
	rep := Verify(Options{}, setup(false))
	assert.True(t, rep.OK(), "documented blind spot: %v", rep.Diffs)
	assert.Equal(t, 4, rep.Inline.State.(ledgerSnap).Count, "inline 4 entries")
	assert.Equal(t, 4, rep.Polled.State.(ledgerSnap).Count, "polled 4 entries too")
	assert.Zero(t, rep.Polls.Absorbed)
	assert.Equal(t, 3, rep.Polls.Sites)
	assert.Len(t, rep.Polls.Refused, 3)
	assert.Equal(t, 4, rep.Polls.Runs)

	strictBuggy := Verify(Options{PollTolerant: true}, setup(false))
	strictFixed := Verify(Options{PollTolerant: true}, setup(true))
	assert.False(t, strictBuggy.OK())
	assert.False(t, strictFixed.OK(), "PollTolerant is a claim this writer does not meet")
	assert.Equal(t, len(strictBuggy.Diffs), len(strictFixed.Diffs))
}

// TestPropertyPolledRunCountsEveryRepetition: for any entry, chunk size
// and number of polls, the buggy ledger's count in the polled run is its
// count in the re-entrant run plus one per absorbed poll, and the fixed
// ledger is reported by nothing.
func TestPropertyPolledRunCountsEveryRepetition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		entry := rapid.StringMatching(`[a-z]{1,30}`).Draw(t, "entry")
		chunk := rapid.IntRange(1, 12).Draw(t, "chunk")
		polls := rapid.IntRange(1, 4).Draw(t, "polls")
		chunks := (len(entry) + chunk - 1) / chunk
		opts := Options{Polls: polls, PollTolerant: true}

		buggy := Verify(opts, ledgerSetup(false, entry, chunk))
		require.True(t, Verify(oldCheck, ledgerSetup(false, entry, chunk)).OK())
		require.False(t, buggy.OK())
		require.Equal(t, 1+chunks, buggy.Deferred.State.(ledgerSnap).Count)
		require.Equal(t, chunks*polls, buggy.Polls.Absorbed)
		require.Equal(t, 1+chunks*(1+polls), buggy.Polled.State.(ledgerSnap).Count)

		fixed := Verify(opts, ledgerSetup(true, entry, chunk))
		require.True(t, fixed.OK(), "%v", fixed.Diffs)
		require.Equal(t, []byte(entry), fixed.Polled.Store["ledger"])
		require.Equal(t, 1+chunks*(1+polls), fixed.Polled.Calls)
	})
}

// resubmitOnPoll submits its write again whenever it is called while the
// write is pending, but keeps waiting on the first one: polls are
// absorbed, and only the submission count shows the repeated I/O.
type resubmitOnPoll struct {
	f       rt.File
	pending *rt.Completion
	done    bool
}

func (r *resubmitOnPoll) Resume() (rt.IOResult[int], error) {
	if r.done {
		return rt.Done(1), nil
	}
	//reentrycheck:ignore deliberate C1 bug: a submit repeated on every re-entry
	c, err := r.f.WriteAt([]byte("x"), 0, rt.NewWrite(nil))
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	if r.pending == nil {
		r.pending = c
	}
	if !r.pending.Finished() {
		// Re-entrancy: NOT safe, on purpose: re-entry writes again.
		return rt.Wait[int](r.pending), nil
	}
	r.done = true
	return rt.Done(1), nil
}

func TestSubmissionsThatGrowWithReentriesAreReported(t *testing.T) {
	rep := Verify(Options{Polls: 2}, func(env Env) (Run[int], error) {
		f, err := env.IO.Open("x", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		return Run[int]{Op: (&resubmitOnPoll{f: f}).Resume}, nil
	})
	// Inline, the write finishes at once: one submission. Re-entered once
	// after it landed, the operation writes again; polled twice more while
	// it is pending, twice more again. Only the deferred and polled runs
	// differ in nothing but re-entries, so only they compare submissions.
	assert.Equal(t, Submits{Writes: 1}, rep.Inline.Submits)
	assert.Equal(t, 2, rep.Reentrant.Submits.Total())
	assert.Equal(t, 2, rep.Deferred.Submits.Total())
	assert.Equal(t, []string{"polled: submits.Writes: 2 != 4"}, rep.Diffs)
	assert.Equal(t, []Finding{{Run: RunPolled, Base: RunDeferred, What: "submits.Writes: 2 != 4"}}, rep.Findings)
	assert.Equal(t, "deferred vs polled: submits.Writes: 2 != 4", rep.Findings[0].String())
	assert.Equal(t, []byte("x"), rep.Polled.Store["x"], "the bytes alone show nothing")
}

// hookedWriter yields explicitly at an injection point before each chunk,
// then writes it in the unconditional style.
type hookedWriter struct {
	inj sim.Injector
	w   *chunkWriter
}

// hookPoint is the only point of the "hook" subsystem.
var hookPoint = sim.Point{Subsystem: "hook", Ordinal: 0, Count: 1}

func (h *hookedWriter) Resume() (rt.IOResult[int], error) {
	if h.w.inflight == nil && h.inj.ShouldYield(hookPoint) {
		// Re-entrancy: nothing was mutated; re-entry asks again.
		return rt.Yield[int](), nil
	}
	r, err := h.w.Resume()
	if err != nil || r.IsIO() {
		// Re-entrancy: the writer keeps its own progress.
		return rt.Forward[int](r, err)
	}
	return r, nil
}

// TestPolledRunInjectsNoYields: the hook yields in the re-entrant run
// only. In the polled run it would stand in front of the first chunk's
// yield and hide it from the polls.
func TestPolledRunInjectsNoYields(t *testing.T) {
	rep := Verify(Options{}, func(env Env) (Run[int], error) {
		f, err := env.IO.Open("h", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		h := &hookedWriter{inj: env.Inject, w: newChunkWriter(f, "abcdef", 0, 2)}
		return Run[int]{Op: h.Resume}, nil
	})
	require.True(t, rep.OK(), "%v", rep.Diffs)
	assert.Equal(t, 4, rep.Inline.Calls, "3 chunks")
	assert.Equal(t, 5, rep.Reentrant.Calls, "3 chunks and the injected yield before the first")
	assert.Equal(t, 4, rep.Deferred.Calls, "3 chunks")
	assert.Equal(t, 3, rep.Polls.Absorbed)
	assert.Equal(t, 7, rep.Polled.Calls, "the polls add one call each and no injected yield")
}

func TestPolledRunGivesUpAfterMaxPollRuns(t *testing.T) {
	setup := func(env Env) (Run[int], error) {
		f, err := env.IO.Open("w", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		return Run[int]{Op: (&flagWriter{f: f, data: []byte("abcdefgh"), chunk: 1}).Resume}, nil
	}
	rep := Verify(Options{MaxPollRuns: 3}, setup)
	assert.True(t, rep.OK())
	assert.True(t, rep.Polls.Truncated)
	assert.Equal(t, 4, rep.Polls.Runs, "three refusals, then a run that polls nothing from the third site on")
	assert.Len(t, rep.Polls.Refused, 3)
	assert.Equal(t, 8, rep.Polls.Sites)
	assert.Equal(t, 0, rep.Polls.Polled)

	full := Verify(Options{}, setup)
	assert.False(t, full.Polls.Truncated)
	assert.Equal(t, 9, full.Polls.Runs)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7}, sites(full.Polls.Refused))
	assert.Equal(t, "call 2, waiting on rt.Completion(write, pending): it yielded on another completion, rt.Completion(write, pending), after submitting 1 I/O(s)",
		full.Polls.Refused[0].String())
	assert.True(t, strings.HasSuffix(full.Polls.Refused[7].What, "it returned Done"), full.Polls.Refused[7].What)
}

func sites(rs []Refusal) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.Site
	}
	return out
}

func TestCheckReportsThePolledRunSeparately(t *testing.T) {
	rec := &recorder{}
	rep := Check(rec, ledgerSetup(false, "entry-one", 4))
	require.Len(t, rec.msgs, 1)
	assert.True(t, strings.HasPrefix(rec.msgs[0], "reentrytest: the operation behaves differently when re-entered more often "+
		"(deferred run: 4 call(s); polled run: 7 call(s), 3 poll(s) absorbed); deferred vs polled:\n\tresult: 4 != 7"), rec.msgs[0])
	assert.Equal(t, []string{
		"polled: result: 4 != 7",
		"polled: state.Entries: length 4 != 7",
		`polled: state.Entries[4]: extra "entry-one"`,
		`polled: state.Entries[5]: extra "entry-one"`,
		`polled: state.Entries[6]: extra "entry-one"`,
		"polled: state.Count: 4 != 7",
	}, rep.Diffs)

	// Both comparisons at once: the old two-run fixture still reports
	// its message, and a polled-run failure has its own.
	rec = &recorder{}
	Check(rec, journalSetup(false))
	require.Len(t, rec.msgs, 1, "the conditional-style journal moves on when polled: nothing more to say")
	assert.Contains(t, rec.msgs[0], "inline vs re-entrant")

	// Polls do not count against MaxCalls: 4 calls suffice for every run.
	rep = Verify(Options{MaxCalls: 4}, ledgerSetup(true, "entry-one", 4))
	assert.True(t, rep.OK(), "%v", rep.Diffs)
	assert.Equal(t, 7, rep.Polled.Calls)

	// A run the harness cannot complete is reported on its own.
	rec = &recorder{}
	setups := 0
	rep = Check(rec, func(env Env) (Run[int], error) {
		setups++
		if setups == 4 {
			return Run[int]{}, errors.New("out of files")
		}
		return ledgerSetup(true, "entry-one", 4)(env)
	})
	require.Len(t, rec.msgs, 1)
	assert.Equal(t, "reentrytest: polled run: setup: out of files", rec.msgs[0])
	assert.Equal(t, []Finding{{Run: RunPolled, What: "setup: out of files"}}, rep.Findings)
	assert.Equal(t, "polled run: setup: out of files", rep.Findings[0].String())
}

// halfTested checks its callee's error but not whether it yielded: it
// drops the IO result and finishes with the chunk still in flight (and
// the rest of the data never written).
type halfTested struct {
	w *chunkWriter
}

func (h *halfTested) Resume() (rt.IOResult[int], error) {
	//reentrycheck:ignore deliberate C9 bug: the IO result is dropped
	r, err := h.w.Resume()
	if err != nil {
		return rt.IOResult[int]{}, err
	}
	return rt.Done(r.Value()), nil
}

func TestRequireSettledReportsADroppedIOResult(t *testing.T) {
	setup := func(env Env) (Run[int], error) {
		f, err := env.IO.Open("half", rt.OpenCreate)
		if err != nil {
			return Run[int]{}, err
		}
		return Run[int]{Op: (&halfTested{w: newChunkWriter(f, "abcdef", 0, 2)}).Resume}, nil
	}
	rep := Verify(Options{}, setup)
	assert.True(t, rep.OK(), "every run drops the same result the same way: %v", rep.Diffs)
	assert.Equal(t, 0, rep.Inline.InFlight)
	assert.Equal(t, 1, rep.Deferred.InFlight)
	assert.Equal(t, []byte("ab"), rep.Deferred.Store["half"])

	rec := &recorder{}
	rep = CheckWith(rec, Options{RequireSettled: true}, setup)
	assert.Equal(t, []string{"deferred: not settled: 1 I/O(s) still in flight when the operation returned"}, rep.Diffs)
	assert.Equal(t, []Finding{{Run: RunDeferred, What: "not settled: 1 I/O(s) still in flight when the operation returned"}}, rep.Findings)
	assert.Equal(t, []string{"reentrytest: deferred run: not settled: 1 I/O(s) still in flight when the operation returned"}, rec.msgs)

	for _, cl := range classes {
		fixed := cl.fixed(Options{RequireSettled: true})
		assert.True(t, fixed.OK(), "%s: %v", cl.name, fixed.Diffs)
	}
}

// TestPropertyCopierBothWays: for any records and chunk size, the fixed
// copier copies every record under every option set, and the buggy one,
// which the old check never reports, copies fewer records whenever the
// polled run reports it.
func TestPropertyCopierBothWays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := rapid.SliceOfN(rapid.StringMatching(`[a-z]{1,9}`), 0, 8).Draw(t, "recs")
		chunk := rapid.IntRange(1, 10).Draw(t, "chunk")
		setup := func(fixed bool) Setup[int] {
			return func(env Env) (Run[int], error) {
				f, err := env.IO.Open("copy", rt.OpenCreate)
				if err != nil {
					return Run[int]{}, err
				}
				c := &copier{f: f, cur: &cursor{recs: recs}, chunk: chunk, fixed: fixed}
				return Run[int]{Op: c.Resume, Snapshot: func() any { return c.copied }}, nil
			}
		}
		for _, opts := range []Options{{}, {PollTolerant: true, RequireSettled: true}, {Polls: 2}} {
			fixed := Verify(opts, setup(true))
			require.True(t, fixed.OK(), "%v", fixed.Diffs)
			require.Equal(t, []byte(strings.Join(recs, "")), fixed.Polled.Store["copy"])
			require.Equal(t, len(recs), fixed.Polled.Value)
		}
		require.True(t, Verify(oldCheck, setup(false)).OK())
		buggy := Verify(Options{}, setup(false))
		if !buggy.OK() {
			require.Less(t, len(buggy.Polled.State.([]string)), len(recs))
		}
		if len(recs) >= 2 && buggy.Polls.Absorbed > 0 {
			require.False(t, buggy.OK(), "an absorbed poll moved the cursor past a record")
		}
	})
}

func TestFixedTwinsWithRealTestingT(t *testing.T) {
	Check(t, ledgerSetup(true, "entry-one", 4))
	Check(t, copierSetup(true))
	CheckWith(t, Options{PollTolerant: true, RequireSettled: true}, fileCopierSetup(true))
	CheckWith(t, Options{PollTolerant: true, RequireSettled: true}, envelopeSetup(true))
	Check(t, fillerSetup(true))
	Check(t, flusherSetup(true))
}

func TestRefusalSaysWhatTheOperationDid(t *testing.T) {
	pending := rt.NewWrite(nil)
	assert.Equal(t, "it failed: boom", refusal(rt.IOResult[int]{}, errors.New("boom"), 0))
	assert.Equal(t, "it returned Done", refusal(rt.Done(3), nil, 0))
	assert.Equal(t, "it yielded explicitly, after submitting 2 I/O(s)", refusal(rt.Yield[int](), nil, 2))
	assert.Equal(t, "it yielded on another completion, rt.Completion(write, pending)", refusal(rt.Wait[int](pending), nil, 0))
	assert.Equal(t, "call 3, waiting on w: it returned Done", Refusal{Site: 1, Call: 3, Waiting: "w", What: "it returned Done"}.String())
}
