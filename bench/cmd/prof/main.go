// Command prof runs an analyzer in-process over a package pattern and writes
// a CPU profile; it is the tool behind bench/ measurements.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/packages"
)

var ssaOnly = &analysis.Analyzer{Name: "ssaonly", Doc: "builds SSA only", Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run: func(p *analysis.Pass) (any, error) { return nil, nil }}

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile")
	which := flag.String("analyzer", "reentrycheck", "reentrycheck or ssaonly")
	flag.Parse()
	a := analyzer.Analyzer
	if *which == "ssaonly" {
		a = ssaOnly
	}
	start := time.Now()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax}, flag.Args()...)
	if err != nil {
		log.Fatal(err)
	}
	loaded := time.Since(start)
	if *cpu != "" {
		f, _ := os.Create(*cpu)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if _, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("load %v analyze %v\n", loaded, time.Since(start)-loaded)
}
