package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

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
