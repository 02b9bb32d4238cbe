// Package bench measures what reentrycheck costs, always as a ratio to a
// baseline measured in the same run: an analyzer that only builds SSA with
// x/tools' buildssa ([SSAOnly]). The standing target is at most 1.10x that
// baseline in time and in memory on a large module, facts included.
//
// Three tools share the baseline:
//
//   - xtools.sh runs both standalone checkers over golang.org/x/tools in
//     alternating rounds and prints medians and ratios (`make bench`);
//   - cmd/ssaonly is the baseline as a standalone checker;
//   - cmd/prof runs either analyzer in-process with CPU and heap profiles.
//
// The package's Go benchmarks run both analyzers on this repository's
// runtime packages and report the ratio with b.ReportMetric.
// See docs/benchmarks.md for the figures.
package bench
