// Package mutants is the mutation test of reentrycheck: it injects
// re-entrancy bugs mechanically into correct resumable functions, keeps the
// mutants that the dynamic check (runtime/reentrytest) confirms, and
// measures the share of them that the analyzer flags, per operator, along
// with the analyzer's findings on the unmutated code.
//
// Operators work on source text located through go/ast, so that the moved
// statements keep their comments, and every mutant is gofmt'ed. A run
// (Run) copies the repository into a temporary directory once, writes each
// mutant over its file there, builds and runs the target's re-entrancy
// harness, runs the analyzer on the confirmed mutants, and restores the
// file. See docs/mutation.md; the command is bench/cmd/mutants.
package mutants
