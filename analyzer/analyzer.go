package analyzer

import (
	_ "embed"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/callbacks"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/replay"
	"github.com/reentrycheck/reentrycheck/passes/ssabuild"
	"github.com/reentrycheck/reentrycheck/passes/summary"
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
	dirs *directives.Directives
}

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
	prog := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.SSA)

	r := &reporter{pass: pass, cfg: cfg}
	r.scanIgnores()
	for _, p := range dirs.Problems {
		r.add(diag{rule: config.CategoryDirective, pos: p.Pos, end: p.End, msg: p.Message})
	}
	var failures []error
	if prog != nil && (dirs.Relevant() || len(r.ignores) > 0) {
		o := oracle{Summaries: sums, dirs: dirs}
		for _, fn := range prog.SrcFuncs {
			if err := r.analyzeFunc(fn, o); err != nil {
				failures = append(failures, err)
			}
		}
	}
	r.flush()
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
	for _, f := range callbacks.Check(fn, o) {
		d := diag{rule: callbacks.Rule, pos: f.Pos, related: f.Callback, relatedMsg: "the callback", msg: f.Message}
		if stmt := r.stmtAt(d.pos); stmt != nil {
			d.pos, d.end = stmt.Pos(), stmt.End()
		}
		r.add(d)
	}
	if !o.dirs.IsResumable(fn.Signature) {
		return nil
	}
	for _, f := range replay.Analyze(fn, o) {
		r.finding(f)
	}
	return nil
}

// where formats a position briefly, as file:line.
func (r *reporter) where(pos token.Pos) string {
	p := r.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

func (r *reporter) finding(f replay.Finding) {
	var yield string
	d := diag{rule: f.Rule, pos: f.Pos}
	if f.Effect.Instr != nil {
		d.pos = f.Effect.Instr.Pos()
	}
	if f.Yield != nil {
		yield, d.related = r.where(f.Yield.Pos()), f.Yield.Pos()
	}
	if d.pos == token.NoPos {
		return
	}
	// Report at the offending statement, whole, rather than at the operand
	// SSA happens to position the instruction on.
	if stmt := r.stmtAt(d.pos); stmt != nil {
		d.pos, d.end = stmt.Pos(), stmt.End()
	}
	switch f.Rule {
	case replay.RuleMutation:
		switch {
		case f.Effect.Defer:
			d.msg = fmt.Sprintf("deferred: %s at every return, including the yield at %s: each re-entry repeats it; do it after the last yield instead of deferring it", f.Effect.What, yield)
		case f.Effect.Callee != nil && strings.HasPrefix(f.Effect.What, "submits"):
			d.msg = fmt.Sprintf("%s before the yield at %s: re-entry from the top submits it again; advance the state before yielding on its completion", f.Effect.What, yield)
		default:
			d.msg = fmt.Sprintf("%s before the yield at %s: re-entry from the top repeats it; move it below the yield check or commit it with a state transition first", f.Effect.What, yield)
		}
		d.fix = r.moveBelowCheck(f)
	case replay.RuleRepeated:
		d.msg = fmt.Sprintf("%s, which already returned Done, runs again when the yield at %s re-enters: give it a state of its own (advance the state after its Done) or mark the callee //reentrycheck:idempotent", f.Effect.What, yield)
	case replay.RulePremature:
		d.msg = fmt.Sprintf("state %s is advanced before %s, whose IO is propagated at %s: re-entry dispatches past the call and abandons it; advance the state after the call returns Done", f.Effect.Loc.Path, f.CallName, yield)
	case replay.RuleLostCopy:
		d.msg = fmt.Sprintf("%s, and %s makes its progress on the copy, which is dropped at %s (not written back): re-entry starts from the stale original; work in place (&%s) or write the copy back on every exit (a defer)", f.Effect.What, f.CallName, yield, f.Effect.Loc.Path)
		d.relatedMsg = "the exit that drops the copy"
	case replay.RuleDropped:
		d.msg = fmt.Sprintf("the IO of %s is never propagated: its result is tested or read, but when the call is not finished the function carries on as if it were; return it when it is IO (if err != nil || r.IsIO() { return ... })", f.CallName)
	case replay.RuleLocal:
		if f.InLoop {
			d.msg = fmt.Sprintf("%s runs in a loop whose progress is held in locals: when it yields (at %s), re-entry restarts the loop from the beginning and repeats the iterations already done; keep the loop's progress in persistent state (for s.i < n { ...; s.i++ })", strings.TrimPrefix(f.Effect.What, "calls "), yield)
			break
		}
		d.msg = fmt.Sprintf("%s is allocated on every entry and drives %s, whose IO is propagated at %s: re-entry allocates a new one and the operation's progress is lost; create it in an earlier state and keep it in persistent state", r.assignedName(f.Effect.Instr.Pos(), "the object"), f.CallName, yield)
	case replay.RuleHeld:
		d.msg = fmt.Sprintf("%s is locked and still held at the yield at %s: re-entry locks it again and deadlocks, and other operations on the scheduler block; unlock before yielding, or defer the unlock", f.Effect.Loc.Path, yield)
	case replay.RuleTooLarge:
		d.msg = fmt.Sprintf("%s not analyzed: too large for the analysis budget; split it into smaller functions (one per state) or exclude it with //reentrycheck:ignore", f.Effect.What)
	case replay.RuleBlind:
		d.msg = fmt.Sprintf("%s before the yield at %s (a blind overwrite: idempotent as a write, reported on request)", f.Effect.What, yield)
	default:
		d.msg = f.Effect.What
	}
	r.add(d)
}
