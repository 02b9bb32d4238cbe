package analyzer

import (
	_ "embed"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/config"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var docFile string

// Analyzer is reentrycheck's public analyzer. Its flags are the contract's
// declaration flags and -rules (see package config).
var Analyzer = &analysis.Analyzer{
	Name:     "reentrycheck",
	Doc:      analyzerDoc(),
	URL:      "https://pkg.go.dev/github.com/reentrycheck/reentrycheck/analyzer",
	Run:      run,
	Requires: []*analysis.Analyzer{config.Analyzer},
}

func init() {
	config.Register(&Analyzer.Flags)
}

// analyzerDoc extracts the "# Analyzer reentrycheck" section of doc.go.
func analyzerDoc() string {
	var lines []string
	in := false
	for _, l := range strings.Split(docFile, "\n") {
		if !strings.HasPrefix(l, "//") {
			continue
		}
		l = strings.TrimPrefix(strings.TrimPrefix(l, "//"), " ")
		if strings.HasPrefix(l, "# Analyzer ") {
			in = true
			continue
		}
		if in {
			lines = append(lines, l)
		}
	}
	doc := strings.TrimSpace(strings.Join(lines, "\n"))
	return strings.TrimPrefix(doc, "reentrycheck: ")
}

func run(pass *analysis.Pass) (any, error) {
	_ = pass.ResultOf[config.Analyzer].(*config.Config)
	return nil, nil
}
