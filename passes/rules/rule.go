package rules

import (
	"embed"
	"go/token"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Rule is one diagnostic category and everything about it: its name (the
// Category of its diagnostics and the word -rules selects), whether it is on
// by default, its documentation, its judgement of what the engine found,
// its message and its fix.
type Rule struct {
	Name string
	// Default: on unless -rules says otherwise. Always: cannot be turned off.
	Default, Always bool
	// Summary is one sentence, for -help and SARIF's short description.
	Summary string
	// Title is the catalogue table's one line; Class links the bug class.
	Title, Class string
	// Anchor is the catalogue section to link to, when not the rule's own.
	Anchor string

	// Judge decides whether a fact pending at a yield point is a finding
	// of this rule, and names the re-pollable call it concerns, if any.
	// Nil for rules whose findings come from a check of their own.
	Judge func(p *Pending) (bool, ssa.Instruction)
	// Message words a finding: what, which yield point, why it repeats,
	// the fix.
	Message func(f *Finding, c Context) string
	// Related is the message of the related position (the yield point).
	Related string
	// Fix returns a mechanical fix, or nil.
	Fix func(f *Finding, c Context) *analysis.SuggestedFix
}

// Doc returns the rule's section of the catalogue (Markdown), kept beside
// the rule as <name>.md.
func (r *Rule) Doc() string {
	b, err := docs.ReadFile(r.Name + ".md")
	if err != nil {
		return ""
	}
	return string(b)
}

//go:embed *.md
var docs embed.FS

// Kind is the kind of a fact pending at a yield point, as rules see it.
type Kind uint8

// SteeredAway reports whether a fact of kind k that re-entry cannot reach
// (Masked: the state written on the path steers it elsewhere) is reported
// by no rule. It holds for every kind but deferred mutations (they run at
// the return itself), transitions and locks, and the engine relies on it to
// skip judging such facts at every later yield; TestMaskedIsNeverReported
// checks it against every rule.
func SteeredAway(k Kind) bool {
	switch k {
	case Mutation, MoveOut, BlindWrite, Call, LoopedCall:
		return true
	}
	return false
}

// Inert reports whether no rule reports a fact of kind k that is, or is
// not, a call of an idempotent function, whatever the yield it reaches
// (masked or not, forwarded or not, and so on): a call of an idempotent
// function repeats nothing. The engine takes such facts as judged from the
// start instead of judging them at every yield they stay pending for,
// which on a long function without transitions was yields × calls;
// TestInertIsNeverReported checks it against every rule.
func Inert(k Kind, idempotent bool) bool {
	return idempotent && (k == Call || k == LoopedCall)
}

const (
	Mutation         Kind = iota // a non-idempotent write, or a submission
	DeferredMutation             // a deferred mutation: it runs at the return itself
	MoveOut                      // a blind write of a location whose old value was read on the way
	BlindWrite                   // an overwrite whose value does not depend on the old one
	Call                         // a re-pollable call that returned Done
	LoopedCall                   // such a call gone around a loop whose progress is held in locals
	Transition                   // a write of a state location not yet re-dispatched
	Lock                         // a mutex locked and not unlocked
)

// Pending is what the engine knows about one fact at one yield point: the
// replay region of the yield contains it, and these are the reasons why
// re-entry might still not repeat it.
type Pending struct {
	Kind   Kind
	Effect effect.Effect
	// Masked: the state written on the path to the yield keeps re-entry
	// away from the fact's block.
	Masked bool
	// Continued: every call the yield forwards dominates the fact, so
	// re-entry re-polls that call first and the fact is the continuation
	// of its work, not a replay.
	Continued bool
	// Forwarded: the fact is a call whose IO this yield forwards.
	Forwarded bool
	// Idempotent: the fact is a call of an idempotent function: running it
	// again repeats nothing (skipping it still abandons its result).
	Idempotent bool
	// Memoized: the fact is a call of a memoized callee: once it returned
	// Done, calling it again with the same arguments returns Done at once
	// with no effect (a cache hit, a done flag); or of a clean-done one,
	// which writes nothing on its way to Done, so the call that returned
	// Done changed nothing to repeat.
	Memoized bool
	// Released: a deferred unlock at this return releases the lock.
	Released bool
	// Restored: a deferred restore at this return puts the location back.
	Restored bool
	// Waits lists, for a transition, the forwarded calls that started
	// while it was pending.
	Waits []Wait
}

// Wait is a forwarded call that started while a transition was pending,
// with the reasons re-entry may still drive it.
type Wait struct {
	Call ssa.Instruction
	// Reaches: the written value still selects the call's block.
	Reaches bool
	// SubmitStyle: the callee's IO means "submitted", like a completion.
	SubmitStyle bool
	// Redriven: an arm the written value selects makes the same call.
	Redriven bool
}

// Finding is one problem found, typed: the engine fills it, the rule words it.
type Finding struct {
	Rule   *Rule
	Pos    token.Pos     // where to report, when Effect has no instruction
	Effect effect.Effect // what repeats, or what is wrong
	Yield  token.Pos     // the yield point that re-enters (or the exit that drops a copy)
	Call   ssa.Instruction
	// CallName names the re-pollable call concerned.
	CallName string
	// InLoop marks the loop case of local-progress.
	InLoop bool
	// Carried marks the case of local-progress where a local set in one
	// state's arm is read after re-entry has skipped that arm.
	Carried bool
	// Discarded marks the case of dropped-result where the result is not
	// even looked at.
	Discarded bool
	// Swallowed marks the case of dropped-result in the error and status
	// spellings: the callee's yield error or status is tested but reaches
	// no yield.
	Swallowed bool
	// Consumed names, for lost-copy's changed copies, the persistent
	// location the change read and the path then wrote: why re-entry
	// cannot redo the change.
	Consumed string
}

// Position returns where the finding is reported.
func (f *Finding) Position() token.Pos {
	if f.Effect.Instr != nil && f.Effect.Instr.Pos().IsValid() {
		return f.Effect.Instr.Pos()
	}
	return f.Pos
}

// Context is what messages and fixes may ask of the reporter.
type Context interface {
	// Where formats a position briefly, as file:line.
	Where(pos token.Pos) string
	// AssignedName names the variable the statement at pos assigns, or
	// returns def.
	AssignedName(pos token.Pos, def string) string
	// MoveBelowCheck moves the simple statement at pos just below the
	// propagation check holding yield, when that is mechanical.
	MoveBelowCheck(pos, yield token.Pos) *analysis.SuggestedFix
}
