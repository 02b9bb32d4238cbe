package analyzer

import (
	_ "embed"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/callbacks"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/replay"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/reentrycheck/reentrycheck/passes/ssabuild"
	"github.com/reentrycheck/reentrycheck/passes/summary"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
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
	Requires: []*analysis.Analyzer{config.Analyzer, directives.Analyzer, summary.Analyzer, ssabuild.Analyzer},
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

// oracle joins the directives and the summaries for the replay analysis.
type oracle struct {
	*summary.Summaries
	dirs    *directives.Directives
	cursors *replay.Cursors
}

// Cursors implements the replay's question of which fields index data.
func (o oracle) Cursors() *replay.Cursors { return o.cursors }

func (o oracle) IOResultIndexes(sig *types.Signature) []int { return o.dirs.IOResultIndexes(sig) }

func (o oracle) IsIOResult(t types.Type) bool { return o.dirs.IsIOResult(t) }

// panicHook lets tests force a panic inside the analysis of a function.
var panicHook func(fn *ssa.Function)

func run(pass *analysis.Pass) (any, error) {
	cfg := pass.ResultOf[config.Analyzer].(*config.Config)
	if cfg.Err != nil {
		return nil, cfg.Err
	}
	dirs := pass.ResultOf[directives.Analyzer].(*directives.Directives)
	sums := pass.ResultOf[summary.Analyzer].(*summary.Summaries)
	defer sums.DropMemos() // those of subjects not analyzed (not relevant, or swallowed only)
	prog := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.SSA)

	r := &reporter{pass: pass, cfg: cfg}
	r.scanIgnores()
	for _, p := range dirs.Problems {
		r.add(diag{rule: config.CategoryDirective, pos: p.Pos, end: p.End, msg: p.Message})
	}
	var failures []error
	if sums.TooLarge && len(pass.Files) > 0 {
		r.finding(rules.NotAnalyzed(pass.Files[0].Package, "package "+pass.Pkg.Name()))
	}
	if prog != nil && (dirs.Relevant() || len(r.ignores) > 0) {
		o := oracle{Summaries: sums, dirs: dirs, cursors: replay.NewCursors(prog.SrcFuncs)}
		for _, fn := range prog.SrcFuncs {
			if err := r.analyzeFunc(fn, o); err != nil {
				failures = append(failures, err)
			}
		}
	}
	if err := r.flush(); err != nil {
		failures = append(failures, err)
	}
	if len(failures) > 0 {
		return nil, errors.Join(failures...)
	}
	return nil, nil
}

// analyzeFunc runs the rules on one function. A panic becomes an error that
// names the function and carries the stack, so that one bad function does
// not take down the driver.
func (r *reporter) analyzeFunc(fn *ssa.Function, o oracle) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error analysing %s (%s): %v\n%s",
				fn.String(), r.pass.Fset.Position(fn.Pos()), p, debug.Stack())
		}
	}()
	if panicHook != nil {
		panicHook(fn)
	}
	r.droppedResults(fn, o)
	// By index: a range variable whose address is taken is a new heap
	// copy of each finding.
	report := func(fs []rules.Finding) {
		for i := range fs {
			r.finding(&fs[i])
		}
	}
	report(callbacks.Check(fn, o))
	if o.Yields().Func(fn) == yields.None {
		report(replay.Swallowed(fn, o))
		return nil
	}
	fs := replay.Analyze(fn, o)
	r.diags = slices.Grow(r.diags, len(fs)) // grown once, not doubled per function
	report(fs)
	return nil
}

// Where formats a position briefly, as file:line (rules.Context).
func (r *reporter) Where(pos token.Pos) string {
	p := r.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line) // once per finding: no formatted print
}

// AssignedName implements rules.Context.
func (r *reporter) AssignedName(pos token.Pos, def string) string { return r.assignedName(pos, def) }

// MoveBelowCheck implements rules.Context.
func (r *reporter) MoveBelowCheck(pos, yield token.Pos) *analysis.SuggestedFix {
	return r.moveBelowCheck(pos, yield)
}

// finding turns a typed finding into a diagnostic: its rule words it,
// names the related position and offers the fix; the reporter places it
// at the whole offending statement.
func (r *reporter) finding(f *rules.Finding) {
	d := diag{rule: f.Rule.Name, pos: f.Position(), related: f.Yield, relatedMsg: f.Rule.Related}
	if d.pos == token.NoPos {
		return
	}
	// Report at the offending statement, whole, rather than at the operand
	// SSA happens to position the instruction on.
	if stmt := r.stmtAt(d.pos); stmt != nil {
		d.pos, d.end = stmt.Pos(), stmt.End()
	}
	d.msg = f.Rule.Message(f, r)
	if f.Rule.Fix != nil && r.cfg.Fixes() {
		d.fix = f.Rule.Fix(f, r)
	}
	r.add(d)
}
