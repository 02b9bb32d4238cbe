package main

import (
	"bytes"
	"os"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/internal/driver"
	"github.com/reentrycheck/reentrycheck/internal/stdpkg"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/reentrycheck/reentrycheck/passes/directives"
	"golang.org/x/tools/go/packages"
)

// Environment variables for tests and for comparing against the unpruned
// driver; they are not part of the documented interface.
const (
	// envNoPrune=1 analyses every root package, as before pruning existed.
	envNoPrune = "REENTRYCHECK_NOPRUNE"
	// envLoadTrace names a file that receives the IDs of the packages
	// loaded from source, one a line, sorted.
	envLoadTrace = "REENTRYCHECK_LOADTRACE"
)

// relevanceSeed says which packages make their importers worth analysing.
// The reporting analysis runs only in packages that declare or import an
// ioresult or completion type, by directive or by flag (the analyzer's
// Directives.Relevant), and everything it reports follows from directives
// and flags; a package whose dependency closure holds neither a directive
// nor a package named by a flag cannot hold a finding. The test is
// deliberately coarse, so that it errs towards analysing:
//   - any "//reentrycheck:" text in a Go file counts, whatever the
//     directive and wherever it sits (a misplaced or unknown directive is
//     itself a finding, an ignore directive can be reported unused);
//   - a package counts when any entry of any declaration flag starts with
//     its path and a dot, whichever flag it is and whether or not the entry
//     resolves;
//   - a file that cannot be read counts.
//
// Standard-library packages carry no directives and are not read.
func relevanceSeed(decls []config.Declaration) func(*packages.Package) bool {
	var entries []string
	for _, d := range decls {
		entries = append(entries, d.Entries...)
	}
	marker := []byte(directives.Prefix)
	return func(p *packages.Package) bool {
		for _, e := range entries {
			if strings.HasPrefix(e, p.PkgPath+".") {
				return true
			}
		}
		if isStd(p) {
			return false
		}
		seen := map[string]bool{}
		for _, f := range append(append([]string(nil), p.GoFiles...), p.CompiledGoFiles...) {
			if seen[f] {
				continue
			}
			seen[f] = true
			data, err := os.ReadFile(f)
			if err != nil || bytes.Contains(data, marker) {
				return true
			}
		}
		return false
	}
}

// isStd reports whether p is a standard-library package.
func isStd(p *packages.Package) bool {
	if len(p.GoFiles) == 0 {
		return false
	}
	return stdpkg.IsFile(p.PkgPath, p.GoFiles[0])
}

// writeLoadTrace writes the IDs of the packages res loaded from source to
// the file envLoadTrace names, if it is set.
func writeLoadTrace(res *driver.Result) error {
	name := os.Getenv(envLoadTrace)
	if name == "" {
		return nil
	}
	ids := make([]string, 0, len(res.SourceLoaded))
	for id := range res.SourceLoaded {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(id + "\n")
	}
	return os.WriteFile(name, []byte(b.String()), 0o644)
}
