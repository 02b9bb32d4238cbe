// Package bench measures what reentrycheck costs, always as a ratio to a
// baseline measured in the same run, in time and in peak memory. The
// baselines are an analyzer that only builds SSA with x/tools' buildssa
// ([SSAOnly]) and, under go vet, x/tools' nilness pass.
//
// The tools:
//
//   - cmd/bench is the benchmark driver (`make bench`, `make bench-NAME`):
//     standalone runs over golang.org/x/tools and pebble, go vet runs, the
//     scaling probe, the stress run and the "finishes" run, each against
//     its baseline in alternating rounds, with a per-run timeout;
//   - cmd/ssaonly is the SSA-only baseline as a standalone checker and
//     cmd/nilness the nilness pass as a go vet tool;
//   - probe generates the scaling probe (cmd/genprobe on the command line)
//     and its tests pin reentrycheck's findings on it;
//   - cmd/prof runs either analyzer in-process with CPU and heap profiles.
//
// The package's Go benchmarks run both analyzers on this repository's
// runtime packages and report the ratio with b.ReportMetric.
// See docs/benchmarks.md for what each benchmark measures, the targets and
// the figures.
package bench
