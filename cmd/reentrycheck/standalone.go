package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/internal/driver"
	"github.com/reentrycheck/reentrycheck/internal/version"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/analysis"
)

// rulesDocURL is where SARIF consumers send users for a rule's help.
const rulesDocURL = "https://github.com/reentrycheck/reentrycheck/blob/main/docs/rules.md"

// command is the standalone checker: its flags and what they select.
type command struct {
	fs      *flag.FlagSet
	stderr  io.Writer
	json    bool
	sarif   bool
	fix     bool
	diff    bool
	tests   bool
	tags    string
	version bool
}

func newCommand(stderr io.Writer) *command {
	c := &command{fs: flag.NewFlagSet("reentrycheck", flag.ContinueOnError), stderr: stderr}
	c.fs.SetOutput(stderr)
	// The analyzer's own flags, unprefixed (go vet spells them -reentrycheck.NAME).
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) { c.fs.Var(f.Value, f.Name, f.Usage) })
	c.fs.BoolVar(&c.json, "json", false, "print diagnostics as JSON, in the standard go/analysis shape (exit 0 when findings)")
	c.fs.BoolVar(&c.sarif, "sarif", false, "print a SARIF 2.1.0 log for code scanning (exit 0 when findings)")
	c.fs.BoolVar(&c.fix, "fix", false, "apply the first suggested fix of every finding")
	c.fs.BoolVar(&c.diff, "diff", false, "print the suggested fixes as a unified diff instead of applying them (implies -fix)")
	c.fs.BoolVar(&c.tests, "test", true, "analyze test files too")
	c.fs.StringVar(&c.tags, "tags", "", "comma-separated build tags, as for go build")
	c.fs.BoolVar(&c.version, "version", false, "print what was built and exit")
	c.fs.Usage = c.usage
	return c
}

func (c *command) usage() {
	doc := analyzer.Analyzer.Doc
	first, rest, _ := strings.Cut(doc, "\n\n")
	fmt.Fprintf(c.stderr, `reentrycheck: %s

Usage:
  reentrycheck [flags] packages...        analyze packages (for example ./...)
  reentrycheck demo                       analyze an embedded buggy example
  reentrycheck version                    say what was built
  go vet -vettool=$(which reentrycheck) [-reentrycheck.FLAG=...] packages...
  go fix -fixtool=$(which reentrycheck) packages...

Exit codes: 0 nothing found, 3 findings (or a non-empty -diff),
1 usage, load or analysis errors. -json and -sarif exit 0 with findings.

%s

Flags:
`, first, rest)
	c.fs.PrintDefaults()
}

// run parses args and analyzes the packages they name.
func (c *command) run(args []string, stdout io.Writer) int {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitError // flag has printed the error and the usage
	}
	if c.version {
		fmt.Fprintln(stdout, "reentrycheck", version.Read())
		return exitClean
	}
	if err := c.checkFlags(); err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\nRun 'reentrycheck -help' for usage.\n", err)
		return exitError
	}
	// Validate the analyzer's flags before loading anything: a malformed
	// -ioresult entry is the user's to fix, not a per-package failure.
	if _, err := config.Parse(config.Global); err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
		return exitError
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
		return exitError
	}
	opts := driver.Options{
		Patterns: c.fs.Args(),
		Tests:    c.tests,
		Tags:     c.tags,
		Fixes:    c.fix || c.sarif, // applied, diffed or listed; the text output shows none
	}
	// The analyzer builds no fix for the text output; the JSON output
	// prints the analyzer's fixes as they are.
	config.Global.WithoutFixes = !opts.Fixes && !c.json
	// Only packages that can see a directive or a flagged declaration are
	// loaded from source and analysed (relevanceSeed); the others could
	// not hold a finding, and loading them was most of the cost.
	if os.Getenv(envNoPrune) != "1" {
		opts.Seed = relevanceSeed(config.Global.Declarations())
	}
	res, err := driver.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, opts)
	if err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
		return exitError
	}
	if err := writeLoadTrace(res); err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
		return exitError
	}
	c.reportErrors(res)
	// A warning, not an error: analyzing a subset of a module (a pre-commit
	// hook) with the module's usual flags is legitimate.
	for _, e := range unknownPackages(res.PackagePaths) {
		fmt.Fprintf(c.stderr, "reentrycheck: warning: %s (misspelt?)\n", e)
	}

	code := exitClean
	switch {
	case c.json:
		if err := res.Graph.PrintJSON(stdout); err != nil {
			fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
			return exitError
		}
	case c.sarif:
		log := driver.SARIF(res, driver.SARIFOptions{
			ToolName:       analyzer.Analyzer.Name,
			ToolVersion:    version.Read().Short(),
			InformationURI: "https://github.com/reentrycheck/reentrycheck",
			Rules:          ruleInfos(),
			BaseDir:        cwd,
		})
		if err := log.Write(stdout); err != nil {
			fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
			return exitError
		}
	case c.fix:
		code = c.applyFixes(res, stdout, cwd)
	default:
		if err := driver.WriteText(c.stderr, res.Findings, cwd); err != nil {
			return exitError
		}
		if len(res.Findings) > 0 {
			code = exitFindings
		}
	}
	if res.Failed() {
		return exitError
	}
	return code
}

// unknownPackages lists declaration-flag entries whose package is neither
// analyzed nor a dependency of what is. The analyzer checks entries against
// the packages a package imports, so it cannot tell a misspelt import path
// from a package that is simply not imported there; the standalone driver
// sees every loaded package and can.
func unknownPackages(loaded map[string]bool) []string {
	var errs []string
	for _, d := range config.Global.Declarations() {
		for _, e := range d.Entries {
			if !namesLoadedPackage(e, loaded) {
				errs = append(errs, fmt.Sprintf("-%s entry %q: its package is not among the analyzed packages or their dependencies", d.Flag, e))
			}
		}
	}
	return errs
}

// namesLoadedPackage reports whether some prefix of entry that ends before
// a dot is a loaded package path (import paths may themselves contain dots).
func namesLoadedPackage(entry string, loaded map[string]bool) bool {
	for i := len(entry) - 1; i > 0; i-- {
		if entry[i] == '.' && loaded[entry[:i]] {
			return true
		}
	}
	return false
}

func (c *command) checkFlags() error {
	if c.diff {
		c.fix = true
	}
	n := 0
	for _, on := range []bool{c.json, c.sarif, c.fix} {
		if on {
			n++
		}
	}
	if n > 1 {
		return errors.New("-json, -sarif and -fix/-diff are exclusive")
	}
	if c.fs.NArg() == 0 {
		return errors.New("no packages given (for example: reentrycheck ./...)")
	}
	return nil
}

// reportErrors tells why some packages could not be analyzed.
func (c *command) reportErrors(res *driver.Result) {
	for _, e := range res.PackageErrors {
		fmt.Fprintln(c.stderr, e)
	}
	for _, e := range res.AnalysisErrors {
		fmt.Fprintf(c.stderr, "reentrycheck: %s\n", e)
	}
	if len(res.PackageErrors) > 0 {
		fmt.Fprintln(c.stderr, "reentrycheck: packages with the errors above were not analyzed")
	}
}

// applyFixes implements -fix and -diff.
func (c *command) applyFixes(res *driver.Result, stdout io.Writer, cwd string) int {
	merged, generated, err := driver.MergeFixes(res.Findings)
	if err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
		return exitError
	}
	if generated > 0 {
		fmt.Fprintf(c.stderr, "reentrycheck: not applying %s to generated files; fix their generator\n", plural(generated, "fix", "fixes"))
	}
	for _, fc := range merged.Files {
		if fc.FormatErr != nil {
			fmt.Fprintf(c.stderr, "reentrycheck: the fixed %s does not parse (%v); not writing it\n", driver.RelPath(fc.Name, cwd), fc.FormatErr)
			return exitError
		}
	}
	if c.diff {
		if err := driver.WriteDiff(stdout, merged, cwd); err != nil {
			return exitError
		}
		if len(merged.Files) > 0 {
			return exitFindings
		}
		return exitClean
	}
	if err := driver.WriteFiles(merged); err != nil {
		fmt.Fprintf(c.stderr, "reentrycheck: %v\n", err)
		return exitError
	}
	var unfixed []driver.Finding
	for _, f := range res.Findings {
		if len(f.Fixes) == 0 || f.Fixes[0].Generated {
			unfixed = append(unfixed, f)
		}
	}
	fmt.Fprintf(c.stderr, "reentrycheck: applied %s to %s\n", plural(merged.Applied, "fix", "fixes"), plural(len(merged.Files), "file", "files"))
	for _, m := range merged.Conflicts {
		fmt.Fprintf(c.stderr, "reentrycheck: skipped the fix of %s: it overlaps another fix; run again\n", m)
	}
	if len(unfixed) > 0 {
		fmt.Fprintf(c.stderr, "reentrycheck: %d findings have no automatic fix:\n", len(unfixed))
		if err := driver.WriteText(c.stderr, unfixed, cwd); err != nil {
			return exitError
		}
	}
	if len(unfixed)+len(merged.Conflicts) > 0 {
		return exitFindings
	}
	return exitClean
}

// ruleInfos is the SARIF metadata of every category the analyzer reports,
// read from the rule registry.
func ruleInfos() []driver.RuleInfo {
	var rs []driver.RuleInfo
	for _, r := range rules.All() {
		anchor := r.Name
		if r.Anchor != "" {
			anchor = r.Anchor
		}
		rs = append(rs, driver.RuleInfo{ID: r.Name, Summary: r.Summary, Default: r.Default || r.Always, HelpURI: rulesDocURL + "#" + anchor})
	}
	return rs
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
