package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func measureShell(t *testing.T, script string, l Limits) Result {
	t.Helper()
	r, err := Measure(Run{Args: []string{"sh", "-c", script}, Out: filepath.Join(t.TempDir(), "out")}, l)
	require.NoError(t, err)
	return r
}

func TestMeasureClassifiesTheOutput(t *testing.T) {
	l := Limits{Timeout: time.Minute}
	r := measureShell(t, "exit 0", l)
	require.Equal(t, OK, r.Status)
	require.Positive(t, r.RSS)

	r = measureShell(t, "echo 'a.go:1:2: bad (rule)'; printf '\\ta.go:3:4: related\\n' >&2; exit 3", l)
	require.Equal(t, Findings, r.Status)
	require.Equal(t, 1, r.Findings)

	// go vet: exit 1, package headers and findings only.
	r = measureShell(t, "echo '# example.com/p'; echo 'p/a.go:1:2: bad'; echo 'p/b.go:5:6: worse'; exit 1", l)
	require.Equal(t, Findings, r.Status)
	require.Equal(t, 2, r.Findings)

	r = measureShell(t, "echo 'p/a.go:1:2: bad'; echo 'reentrycheck: internal error analysing f'; exit 1", l)
	require.Equal(t, Failed, r.Status)
	require.Equal(t, 1, r.Internal)
	require.Equal(t, "failed (exit 1: reentrycheck: internal error analysing f)", r.Describe(l))
}

func TestMeasureKillsTheProcessGroupAtTheTimeout(t *testing.T) {
	l := Limits{Timeout: time.Second}
	start := time.Now()
	r := measureShell(t, "sleep 60 & sleep 60", l)
	require.Less(t, time.Since(start), 10*time.Second)
	require.Equal(t, Timeout, r.Status)
	require.False(t, r.Status.Finished())
	require.Equal(t, "did not finish (timeout 1s)", r.Describe(l))
}

func TestMeasureKillsARunOverTheMemoryCap(t *testing.T) {
	l := Limits{Timeout: time.Minute, MaxRSSMB: 20}
	r := measureShell(t, `x=$(head -c 100000000 /dev/zero | tr '\0' a); sleep 60`, l)
	require.Equal(t, MemCap, r.Status)
	require.Equal(t, "did not finish (memory cap 20 MB)", r.Describe(l))
}

func TestSummaryOfRounds(t *testing.T) {
	require.Equal(t, 2.0, mid([]float64{3, 1, 2}))
	require.Equal(t, 2.5, mid([]float64{4, 1, 2, 3}))
	b := &bencher{limits: Limits{Timeout: time.Minute}}
	run := func(sec float64, mb int64) Result {
		return Result{Status: OK, Wall: time.Duration(sec * float64(time.Second)), RSS: mb << 10}
	}
	s := b.summarize(Outcome{
		Base: []Result{run(1, 100), run(2, 100), run(3, 100)},
		Subj: []Result{run(2, 110), run(3, 120), run(3.3, 130)},
	})
	require.Equal(t, "2.00 s", s.BaseTime)
	require.Equal(t, "3.00 s", s.SubjTime)
	require.Equal(t, "**1.50x**", s.TimeRatio)
	require.Equal(t, "**1.20x**", s.RSSRatio)
	require.Equal(t, "2.00 1.50 1.10", s.Rounds)
	require.InDelta(t, 1.0, s.Beyond, 1e-9)

	s = b.summarize(Outcome{Base: []Result{run(1, 100)}, Subj: []Result{{Status: Timeout}}})
	require.Equal(t, "did not finish (timeout 60s)", s.SubjTime)
	require.Equal(t, "—", s.TimeRatio)
	require.Equal(t, "—", s.Findings)
	require.False(t, s.BeyondOK)
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("1000, 2000,4000", true)
	require.NoError(t, err)
	require.Equal(t, []int{1000, 2000, 4000, 32000}, got)
	_, err = parseSizes("1000,x", false)
	require.ErrorContains(t, err, `bad probe size "x"`)
	_, err = selected([]string{"xtools", "nope"})
	require.ErrorContains(t, err, "unknown benchmark")
	all, err := selected([]string{"all"})
	require.NoError(t, err)
	require.Equal(t, benchmarks, all)
}
