package bench

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/packages"
)

// The repository's own runtime packages: annotated with the directives, so
// reentrycheck runs every pass on them, the reporting analysis included.
const pattern = "../runtime/..."

var runtimePkgs = sync.OnceValues(func() ([]*packages.Package, error) {
	return Load("", true, pattern)
})

func stepNames(steps []Step) map[string]int {
	m := map[string]int{}
	for _, s := range steps {
		m[s.Analyzer] = s.Packages
	}
	return m
}

func TestBothAnalyzersRunOnTheRuntimePackages(t *testing.T) {
	pkgs, err := runtimePkgs()
	require.NoError(t, err)
	require.NotEmpty(t, pkgs)

	base, err := Analyze(SSAOnly, pkgs)
	require.NoError(t, err)
	b := stepNames(base)
	require.Contains(t, b, "buildssa")
	require.Equal(t, len(pkgs), b["ssaonly"], "the baseline runs once per root package")

	rc, err := Analyze(analyzer.Analyzer, pkgs)
	require.NoError(t, err)
	r := stepNames(rc)
	require.Equal(t, len(pkgs), r["reentrycheck"], "reentrycheck runs once per root package")
	// Facts make the driver run the fact passes on every dependency too.
	require.Greater(t, r["reentrychecksummary"], len(pkgs))
	require.Equal(t, r["reentrychecksummary"], r["reentrycheckssa"])
	for i := 1; i < len(rc); i++ {
		require.GreaterOrEqual(t, rc[i-1].Time, rc[i].Time, "steps are sorted by time, largest first")
	}
}

// BenchmarkReentrycheckVsSSAOnly runs, in every iteration, the SSA-only
// baseline and then reentrycheck over the runtime packages (loaded once), so
// both halves see the same machine load. It reports each half's time and
// allocated bytes per iteration and their ratios; the target is at most
// 1.10x. These packages are small and all relevant, so the reporting
// analysis runs on everything: this is the worst case per line, not the
// typical one (bench/cmd/bench measures large modules).
func BenchmarkReentrycheckVsSSAOnly(b *testing.B) {
	pkgs, err := runtimePkgs()
	require.NoError(b, err)
	var base, rc time.Duration
	var baseBytes, rcBytes uint64
	measure := func(run func()) (time.Duration, uint64) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		run()
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		return d, after.TotalAlloc - before.TotalAlloc
	}
	b.ResetTimer()
	for b.Loop() {
		d, n := measure(func() {
			_, err := Analyze(SSAOnly, pkgs)
			require.NoError(b, err)
		})
		base, baseBytes = base+d, baseBytes+n
		d, n = measure(func() {
			_, err := Analyze(analyzer.Analyzer, pkgs)
			require.NoError(b, err)
		})
		rc, rcBytes = rc+d, rcBytes+n
	}
	n := float64(b.N)
	b.ReportMetric(float64(base.Milliseconds())/n, "ssaonly-ms/op")
	b.ReportMetric(float64(rc.Milliseconds())/n, "reentrycheck-ms/op")
	b.ReportMetric(float64(rc)/float64(base), "time-ratio")
	b.ReportMetric(float64(rcBytes)/float64(baseBytes), "alloc-ratio")
}
