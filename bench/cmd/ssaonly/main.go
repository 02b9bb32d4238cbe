package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/singlechecker"
)

var A = &analysis.Analyzer{Name: "ssaonly", Doc: "builds SSA only", Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run: func(p *analysis.Pass) (any, error) { _ = p.ResultOf[buildssa.Analyzer]; return nil, nil }}

func main() { singlechecker.Main(A) }
