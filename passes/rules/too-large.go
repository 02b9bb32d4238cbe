package rules

import (
	"go/token"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
)

// TooLarge: the analysis of a function (or the summaries of a package) ran
// out of its work budget. The budget is far above what convergence needs;
// it guards against a hang, never hides one.
var TooLarge = &Rule{
	Name: "too-large", Default: true,
	Summary: "a function or package too large for the analysis budget is reported as not analyzed instead of being checked",
	Title:   "a function or package not analyzed: over the work budget",
	Class:   "—",
	Message: func(f *Finding, c Context) string {
		return f.Effect.Name + " not analyzed: too large for the analysis budget; split it into smaller functions (one per state) or exclude it with //reentrycheck:ignore"
	},
}

// NotAnalyzed is the too-large finding for what (a function's or package's
// name) declared at pos.
func NotAnalyzed(pos token.Pos, what string) *Finding {
	return &Finding{Rule: TooLarge, Pos: pos, Effect: effect.Effect{Name: what}}
}
