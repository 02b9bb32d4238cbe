// Package budget holds the analysis's work budgets: how much work the
// replay dataflow of one function and the summary fixpoint of one package
// may do before the analysis gives up and reports the function or package
// as not analyzed (rule too-large).
//
// Every abstraction of the analysis is bounded, so convergence needs far
// less than these budgets (docs/analyzer.md, "Termination and cost"); they
// are the last guard that turns a mistake in that argument into a clear
// message instead of a hang.
package budget
