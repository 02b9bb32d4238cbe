// Command ssaonly is the benchmark baseline as a standalone checker: it loads
// packages like reentrycheck does, builds SSA for all of them and reports
// nothing. bench/cmd/bench compares reentrycheck against it.
package main

import (
	"github.com/reentrycheck/reentrycheck/bench"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(bench.SSAOnly) }
