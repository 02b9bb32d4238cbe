// Package rules is reentrycheck's rule registry: one descriptor per rule,
// each in a file of its own beside its documentation (<name>.go and
// <name>.md), with its name (the diagnostic category), its default, its
// summary, its judgement of what the engine found, its message and its
// fix.
//
// The engine (package replay) describes, at every yield point, each fact
// that re-entry would replay, as a Pending value: its kind and the reasons
// re-entry might still not repeat it (Masked, Continued, Restored, ...).
// Each rule's Judge decides from that description alone. Rules whose
// findings come from checks of their own (lost-copy, dropped-result,
// callback-ignores-error, local-progress's per-call objects, too-large)
// leave Judge nil; their detection lives in the engine file named after
// them, and their message here.
//
// Everything that lists rules reads this registry: -rules (package
// config), the analyzer's reporting, SARIF rule metadata, the
// golangci-lint plugin's settings, and docs/rules.md, which Catalogue
// renders and a test keeps in step.
package rules
