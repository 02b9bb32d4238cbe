package demo

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/internal/driver"
	"golang.org/x/tools/go/analysis"
)

// exampleDir is the embedded module's root; its Go files are not part of
// this module's build because the directory name starts with "_".
const exampleDir = "_example"

//go:embed _example
var example embed.FS

// goMod is the example's go.mod. It is written here rather than embedded
// because a directory holding a go.mod is another module, which go:embed
// refuses.
const goMod = "module example.com/demo\n\ngo 1.22\n"

// bugMarker marks, in the example's source, each line that must be reported.
const bugMarker = "// BUG"

// Run analyzes the example and prints what was found to w. It reports
// whether the findings were exactly the marked lines.
func Run(w io.Writer) (bool, error) {
	dir, err := os.MkdirTemp("", "reentrycheck-demo-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	want, err := WriteExample(dir)
	if err != nil {
		return false, err
	}
	res, err := driver.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, driver.Options{
		Dir:      dir,
		Env:      append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOPROXY=off", "GO111MODULE=on"),
		Patterns: []string{"./..."},
		Fixes:    true, // the demo shows them as a diff
	})
	if err != nil {
		return false, err
	}
	if res.Failed() {
		return false, fmt.Errorf("the example did not analyze cleanly:\n%s",
			strings.Join(append(res.PackageErrors, res.AnalysisErrors...), "\n"))
	}
	return report(w, dir, res, want)
}

// WriteExample writes the example module to dir and returns the marked
// lines ("btree/buggy.go:16") that must be reported.
func WriteExample(dir string) (map[string]bool, error) {
	want := map[string]bool{}
	err := fs.WalkDir(example, exampleDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := example.ReadFile(name)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(name, exampleDir+"/")
		for i, line := range strings.Split(string(content), "\n") {
			if strings.Contains(line, bugMarker) {
				want[fmt.Sprintf("%s:%d", rel, i+1)] = true
			}
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, content, 0o644)
	})
	if err != nil {
		return nil, err
	}
	return want, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644)
}

// report prints the findings, the fixes as a diff, and the verdict.
func report(w io.Writer, dir string, res *driver.Result, want map[string]bool) (bool, error) {
	var out bytes.Buffer
	fmt.Fprintf(&out, "reentrycheck demo: an example module with %d re-entrancy bugs (btree/buggy.go)\n", len(want))
	fmt.Fprintf(&out, "and their fixed twins (btree/fixed.go), analyzed with `reentrycheck ./...`:\n\n")
	if err := driver.WriteText(&out, res.Findings, dir); err != nil {
		return false, err
	}
	merged, _, err := driver.MergeFixes(res.Findings)
	if err != nil {
		return false, err
	}
	if len(merged.Files) > 0 {
		fmt.Fprintf(&out, "\nSuggested fixes (`reentrycheck -diff ./...`; apply them with -fix):\n\n")
		if err := driver.WriteDiff(&out, merged, dir); err != nil {
			return false, err
		}
	}

	got := map[string]bool{}
	for _, f := range res.Findings {
		got[fmt.Sprintf("%s:%d", filepath.ToSlash(driver.RelPath(f.Pos.Filename, dir)), f.Pos.Line)] = true
	}
	missed, unexpected := difference(want, got), difference(got, want)
	fmt.Fprintln(&out)
	switch {
	case len(missed) == 0 && len(unexpected) == 0:
		fmt.Fprintf(&out, "All %d bugs found; the fixed twins are silent.\n", len(want))
		fmt.Fprintf(&out, "Next: reentrycheck ./... in your module (docs/cli.md), or go vet -vettool=$(which reentrycheck) ./...\n")
	default:
		if len(missed) > 0 {
			fmt.Fprintf(&out, "MISSED (marked BUG, not reported): %s\n", strings.Join(missed, ", "))
		}
		if len(unexpected) > 0 {
			fmt.Fprintf(&out, "UNEXPECTED (reported, not marked BUG): %s\n", strings.Join(unexpected, ", "))
		}
	}
	if _, err := w.Write(out.Bytes()); err != nil {
		return false, err
	}
	return len(missed) == 0 && len(unexpected) == 0, nil
}

// difference returns the sorted keys of a that are not in b.
func difference(a, b map[string]bool) []string {
	var d []string
	for k := range a {
		if !b[k] {
			d = append(d, k)
		}
	}
	sort.Strings(d)
	return d
}
