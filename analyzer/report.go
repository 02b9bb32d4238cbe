package analyzer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/replay"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

type diag struct {
	rule       string
	pos        token.Pos
	end        token.Pos
	related    token.Pos
	relatedMsg string // defaults to naming the yield point
	msg        string
	fix        *analysis.SuggestedFix
}

// ignoreDirective is one //reentrycheck:ignore comment.
type ignoreDirective struct {
	comment *ast.Comment
	file    string
	line    int
	reason  string
	used    bool
}

// reporter collects diagnostics, applies ignore directives and reports.
type reporter struct {
	pass     *analysis.Pass
	cfg      *config.Config
	diags    []diag
	ignores  []*ignoreDirective
	indexes  map[*ast.File]*stmtIndex // statement indexes, by file, built on first use
	contents map[string][]byte        // file contents, by name, read on first use
	funcs    []token.Pos              // where the package's function types start (funcTypeStarts), on first use
	// ignoreAt finds the ignore directive of a line (built on first use).
	ignoreAt map[ignoreKey]*ignoreDirective
}

func (r *reporter) add(d diag) { r.diags = append(r.diags, d) }

func (r *reporter) scanIgnores() {
	for _, f := range r.pass.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				rest, ok := strings.CutPrefix(c.Text, directives.Prefix+directives.Ignore)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue
				}
				// A second comment on the same line ("// want ...") is not part of the reason.
				rest, _, _ = strings.Cut(rest, "//")
				p := r.pass.Fset.Position(c.Pos())
				r.ignores = append(r.ignores, &ignoreDirective{comment: c, file: p.Filename, line: p.Line, reason: strings.TrimSpace(rest)})
			}
		}
	}
}

// suppressed finds the ignore directive on d's line or the line above.
func (r *reporter) suppressed(d diag) bool {
	if len(r.ignores) == 0 {
		return false
	}
	if r.ignoreAt == nil {
		r.ignoreAt = map[ignoreKey]*ignoreDirective{}
		for _, ig := range r.ignores {
			r.ignoreAt[ignoreKey{ig.file, ig.line}] = ig
		}
	}
	p := r.pass.Fset.Position(d.pos)
	for _, line := range []int{p.Line, p.Line - 1} {
		if ig, ok := r.ignoreAt[ignoreKey{p.Filename, line}]; ok {
			ig.used = true
			return true
		}
	}
	return false
}

type ignoreKey struct {
	file string
	line int
}

// flush reports the collected diagnostics (suppressed, disabled and
// duplicate ones left out) and the ignore directives' own problems. A
// diagnostic whose category is not a registered rule is returned as an error.
func (r *reporter) flush() error {
	var unknown []error
	sort.SliceStable(r.diags, func(i, j int) bool { return r.diags[i].pos < r.diags[j].pos })
	// Duplicates share a position, and the diagnostics are sorted by it:
	// each is compared with those reported at its position only, not
	// hashed with its message into a set of every finding (the bug-dense
	// probe reports thousands per function).
	var atPos []diag // reported at the current position
	for _, d := range r.diags {
		if d.rule != config.CategoryDirective && r.suppressed(d) {
			continue // matched even when the rule is disabled, so the directive counts as used
		}
		if rules.Lookup(d.rule) == nil {
			// Every category must be a registered rule: an unknown one is
			// a bug in the analyzer, reported as an error, never a
			// silently dropped diagnostic.
			unknown = append(unknown, fmt.Errorf("internal error: diagnostic of unregistered category %q at %s: %s", d.rule, r.pass.Fset.Position(d.pos), d.msg))
			continue
		}
		if !r.cfg.Enabled(d.rule) {
			continue
		}
		if len(atPos) > 0 && atPos[0].pos != d.pos {
			atPos = atPos[:0]
		}
		if slices.ContainsFunc(atPos, func(e diag) bool { return e.rule == d.rule && e.msg == d.msg }) {
			continue
		}
		atPos = append(atPos, d)
		ad := analysis.Diagnostic{Pos: d.pos, End: d.end, Category: d.rule, Message: d.msg}
		if d.related.IsValid() {
			msg := d.relatedMsg
			if msg == "" {
				msg = "the yield point that re-enters"
			}
			ad.Related = []analysis.RelatedInformation{{Pos: d.related, Message: msg}}
		}
		if d.fix != nil {
			ad.SuggestedFixes = []analysis.SuggestedFix{*d.fix}
		}
		r.pass.Report(ad)
	}
	for _, ig := range r.ignores {
		switch {
		case ig.reason == "":
			r.pass.Report(analysis.Diagnostic{Pos: ig.comment.Pos(), End: ig.comment.End(), Category: config.CategoryIgnore,
				Message: "//reentrycheck:ignore needs a reason: //reentrycheck:ignore REASON"})
		case !ig.used:
			r.pass.Report(analysis.Diagnostic{Pos: ig.comment.Pos(), End: ig.comment.End(), Category: config.CategoryIgnore,
				Message: "//reentrycheck:ignore suppresses nothing: no diagnostic on this line or the next; remove it"})
		}
	}
	return errors.Join(unknown...)
}

// droppedResults reports calls of resumable functions whose ioresult is
// discarded (rule R8a): Go has no #[must_use].
func (r *reporter) droppedResults(fn *ssa.Function, o oracle) {
	live := replay.Live(fn)
	for _, b := range fn.Blocks {
		if !live[b.Index] {
			continue // ruled out by a constant condition: never runs
		}
		for _, instr := range b.Instrs {
			var common *ssa.CallCommon

			switch in := instr.(type) {
			case *ssa.Call:
				common = &in.Call
			case *ssa.Defer: // a deferred or go'd call's results go nowhere
				common = &in.Call
			case *ssa.Go:
				common = &in.Call
			default:
				continue
			}
			sig := common.Signature()
			if sig == nil {
				continue
			}
			idx := o.dirs.IOResultIndexes(sig)
			if len(idx) == 0 {
				// The error and status spellings: only a callee known to
				// yield counts; a dynamic call that may yield by its type
				// alone is not reason enough to report a discarded error.
				if i := o.Yields().CarrierOf(common); i >= 0 && o.Yields().Known(common) {
					idx = []int{i}
				} else {
					continue
				}
			}
			if fn := callee.Object(common); fn != nil && o.dirs.IsDone(fn) {
				continue
			}
			if call, ok := instr.(*ssa.Call); ok && !resultDropped(call, idx) {
				continue
			}
			name := "the call"
			if fn := callee.Object(common); fn != nil {
				name = fn.Name()
			}
			r.finding(&rules.Finding{Rule: rules.DroppedResult, Pos: instr.Pos(), Call: instr, CallName: name, Discarded: true})
		}
	}
}

// resultDropped reports whether every ioresult component of call is unused.
func resultDropped(call *ssa.Call, idx []int) bool {
	refs := call.Referrers()
	if call.Call.Signature().Results().Len() == 1 {
		return refs == nil || !hasRealUse(*refs)
	}
	if refs == nil {
		return true
	}
	for _, i := range idx {
		for _, u := range *refs {
			if ex, ok := u.(*ssa.Extract); ok && ex.Index == i {
				if rr := ex.Referrers(); rr != nil && hasRealUse(*rr) {
					return false
				}
			}
		}
	}
	return true
}

func hasRealUse(refs []ssa.Instruction) bool {
	for _, u := range refs {
		if _, ok := u.(*ssa.DebugRef); !ok {
			return true
		}
	}
	return false
}
