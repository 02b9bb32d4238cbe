// Command quality measures the reentrycheck analyzer on the generalization
// corpus (quality/corpus/...): it runs the analyzer in-process on the
// corpus packages, attributes every finding to the labelled function whose
// declaration contains it, and prints recall and precision per bug class,
// overall figures, and every false positive and false negative.
//
// Usage, from the module root:
//
//	go run ./quality/cmd/quality [-json | -md] [packages]
//
// The packages default to ./quality/corpus/.... The command reports; it
// exits 0 whatever the figures are (non-zero only when it cannot run).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

func main() {
	asJSON := flag.Bool("json", false, "print the measurement as JSON")
	asMD := flag.Bool("md", false, "print the per-class table as Markdown (for docs/quality.md)")
	flag.Parse()
	pats := flag.Args()
	if len(pats) == 0 {
		pats = []string{"./quality/corpus/..."}
	}
	ls, fs, err := analyse(pats)
	if err != nil {
		fmt.Fprintln(os.Stderr, "quality:", err)
		os.Exit(2)
	}
	m := Measure(ls, fs)
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(m); err != nil {
			fmt.Fprintln(os.Stderr, "quality:", err)
			os.Exit(2)
		}
		return
	}
	if *asMD {
		m.Markdown(os.Stdout)
		return
	}
	m.Print(os.Stdout)
}

// analyse loads the packages (without their tests), parses their labels and
// runs the analyzer on them.
func analyse(pats []string) ([]Label, []Finding, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax}
	pkgs, err := packages.Load(cfg, pats...)
	if err != nil {
		return nil, nil, err
	}
	var ls []Label
	var loadErr error
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if loadErr == nil {
				loadErr = e
			}
		}
	})
	if loadErr != nil {
		return nil, nil, loadErr
	}
	for _, p := range pkgs {
		got, err := parseLabels(p.PkgPath, p.Fset, p.Syntax)
		if err != nil {
			return nil, nil, err
		}
		ls = append(ls, got...)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	if err != nil {
		return nil, nil, err
	}
	var fs []Finding
	for act := range graph.All() {
		if act.Analyzer != analyzer.Analyzer || !act.IsRoot {
			continue
		}
		if act.Err != nil {
			return nil, nil, fmt.Errorf("analysing %s: %w", act.Package.PkgPath, act.Err)
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			fs = append(fs, Finding{File: pos.Filename, Line: pos.Line, Rule: d.Category, Message: d.Message})
		}
	}
	return ls, fs, nil
}
