package bench

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
)

// SSAOnly is the baseline analyzer: it requires buildssa and does nothing
// with the result. buildssa requires ctrlflow, which declares facts, so a
// driver runs both on every dependency, the standard library included: the
// same package graph reentrycheck's facts make the driver visit.
var SSAOnly = &analysis.Analyzer{
	Name:     "ssaonly",
	Doc:      "builds SSA for every package and reports nothing (the benchmark baseline)",
	Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		_ = pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
		return nil, nil
	},
}
