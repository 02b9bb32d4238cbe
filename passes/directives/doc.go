// Package directives reads reentrycheck's declaration directives and makes
// them available everywhere as analysis facts.
//
// The directives are doc-comment lines on declarations:
//
//	//reentrycheck:ioresult    on a type: its values are resumable results
//	//reentrycheck:completion  on a type: a handle on one pending I/O
//	//reentrycheck:done        on a function or method: it never yields
//	//reentrycheck:idempotent  on a function or method: calling it again has no further effect
//	//reentrycheck:yielderr    on an error variable, constant or type: returning it means "call me again"
//	//reentrycheck:yieldvalue  on a constant: returning it means "call me again"
//
// Each annotated object gets a Declared fact, so a type annotated in package A
// is recognized in package B that imports it, under every driver. The pass
// result, *Directives, answers the questions the other passes ask (is this a
// resumable function? a submit call?) by combining facts with the -ioresult,
// -done, -completion and -idempotent flags. Malformed or misplaced directives
// are collected as Problems for the public analyzer to report.
//
// //reentrycheck:ignore is a line directive and is handled by the analyzer
// that reports diagnostics, not here.
package directives
