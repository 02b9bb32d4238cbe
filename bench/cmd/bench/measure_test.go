//go:build unix

package main

import (
	"path/filepath"
	"runtime"
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
	r = measureShell(t, "echo '# example.com/p'; echo 'p/a.go:1:2: bad'; printf 'p/a.go:3:4: \\tthe yield\\n'; echo 'p/b.go:5:6: worse'; exit 1", l)
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
	if runtime.GOOS != "linux" {
		t.Skip("the memory cap reads /proc")
	}
	l := Limits{Timeout: time.Minute, MaxRSSMB: 20}
	r := measureShell(t, `x=$(head -c 100000000 /dev/zero | tr '\0' a); sleep 60`, l)
	require.Equal(t, MemCap, r.Status)
	require.Equal(t, "did not finish (memory cap 20 MB)", r.Describe(l))
}
