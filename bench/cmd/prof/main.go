// Command prof runs reentrycheck (or the SSA-only baseline) in-process over a
// package pattern, prints the load and analysis times and the time spent in
// each analyzer, and can write CPU and heap profiles of the analysis:
//
//	go run ./bench/cmd/prof -C /path/to/module -cpuprofile cpu.prof -memprofile mem.prof ./...
//	go tool pprof -top -cum cpu.prof
//
// -count repeats the analysis, for a profile of a small module with enough
// samples; the step table is then that of the last run.
//
// Loading is not profiled: it is the same for both analyzers.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/bench"
	"golang.org/x/tools/go/analysis"
)

func main() {
	dir := flag.String("C", "", "run in this directory")
	which := flag.String("analyzer", "reentrycheck", "reentrycheck or ssaonly")
	tests := flag.Bool("test", true, "analyze test packages too, like the checkers do by default")
	cpu := flag.String("cpuprofile", "", "write a CPU profile of the analysis to this file")
	mem := flag.String("memprofile", "", "write a heap profile (allocations) of the analysis to this file")
	// A small probe analyzes in a tenth of a second: too few samples for a
	// profile. Repeating the analysis over the loaded packages (each run
	// builds everything again) gives as many samples as wanted.
	count := flag.Int("count", 1, "run the analysis this many times (the times printed are for all runs)")
	// The analyzer's own flags (-ioresult, -yielderr, ...), unprefixed.
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) { flag.Var(f.Value, f.Name, f.Usage) })
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("prof: ")

	var a *analysis.Analyzer
	switch *which {
	case "reentrycheck":
		a = analyzer.Analyzer
	case "ssaonly":
		a = bench.SSAOnly
	default:
		log.Fatalf("-analyzer must be reentrycheck or ssaonly, not %q", *which)
	}

	start := time.Now()
	pkgs, err := bench.Load(*dir, *tests, flag.Args()...)
	if err != nil {
		log.Fatal(err)
	}
	loaded := time.Since(start)

	if *mem != "" {
		runtime.MemProfileRate = 64 << 10 // finer than the default, still cheap
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	start = time.Now()
	var steps []bench.Step
	for i := 0; i < *count && err == nil; i++ {
		steps, err = bench.Analyze(a, pkgs)
	}
	analyzed := time.Since(start)
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		log.Fatal(err)
	}
	if *mem != "" {
		// The allocation profile counts what the last finished collection
		// saw: collect once, or the end of the analysis is missing.
		runtime.GC()
		f, err := os.Create(*mem)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}

	fmt.Printf("%s: load %.2fs, analysis %.2fs (GOMAXPROCS %d)\n", a.Name, loaded.Seconds(), analyzed.Seconds(), runtime.GOMAXPROCS(0))
	// Steps run concurrently, so their wall times overlap and add up to far
	// more than the analysis took: compare them with each other only, and
	// use the CPU profile for where the time goes.
	fmt.Println("  analyzer               steps   summed step wall time")
	for _, s := range steps {
		fmt.Printf("  %-22s %5d packages  %7.2fs\n", s.Analyzer, s.Packages, s.Time.Seconds())
	}
}
