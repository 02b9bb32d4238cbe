// Command nilness is x/tools' nilness pass as a standalone checker and go
// vet tool: the baseline of the go vet benchmark (bench/cmd/bench). Like
// reentrycheck it builds SSA and, through ctrlflow's facts, makes go vet run
// it on every dependency.
package main

import (
	"golang.org/x/tools/go/analysis/passes/nilness"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(nilness.Analyzer) }
