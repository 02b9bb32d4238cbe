package rules

// Ignore: an ignore directive without a reason, or one that suppresses
// nothing. Always on. Reported by the analyzer's directive bookkeeping.
var Ignore = &Rule{
	Name: "ignore", Always: true, Default: true, Anchor: "suppressing-findings",
	Summary: "a //reentrycheck:ignore directive without a reason, or one that suppresses nothing",
	Title:   "an ignore directive without a reason, or one that suppresses nothing",
	Class:   "—",
}

// Directive: a malformed or misplaced //reentrycheck: directive. Always on.
var Directive = &Rule{
	Name: "directive", Always: true, Default: true, Anchor: "directives",
	Summary: "a malformed or misplaced //reentrycheck: directive",
	Title:   "a malformed or misplaced directive",
	Class:   "—",
}
