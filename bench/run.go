package bench

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Load loads packages the way the standalone checkers do: full syntax and
// types for every dependency (facts need them), test variants if tests.
func Load(dir string, tests bool, patterns ...string) ([]*packages.Package, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Tests: tests}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		return nil, fmt.Errorf("%d errors loading %v", n, patterns)
	}
	return pkgs, nil
}

// Step is the wall time the driver spent in one analyzer, summed over its
// steps (one per package). Steps run concurrently and overlap, so sums are
// only comparable with each other; a CPU profile says where time goes.
type Step struct {
	Analyzer string
	Packages int
	Time     time.Duration
}

// Analyze runs a (and what it requires) over pkgs and returns the time spent
// in each analyzer, largest first. Any analysis error is returned.
func Analyze(a *analysis.Analyzer, pkgs []*packages.Package) ([]Step, error) {
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		return nil, err
	}
	byName := map[string]*Step{}
	var errs []error
	for act := range g.All() {
		if act.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", act, act.Err))
		}
		s := byName[act.Analyzer.Name]
		if s == nil {
			s = &Step{Analyzer: act.Analyzer.Name}
			byName[act.Analyzer.Name] = s
		}
		s.Packages++
		s.Time += act.Duration
	}
	steps := make([]Step, 0, len(byName))
	for _, s := range byName {
		steps = append(steps, *s)
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].Time > steps[j].Time })
	return steps, errors.Join(errs...)
}
