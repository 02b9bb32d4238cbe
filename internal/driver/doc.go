// Package driver runs analyzers standalone, on packages loaded from source
// with go/packages, through the public golang.org/x/tools/go/analysis/checker,
// and turns the action graph into what the CLI prints: a flat, deduplicated
// list of findings (with related locations and fixes resolved to file
// positions), the package errors that stopped analysis, and the errors the
// analysis itself returned (for example a bad -ioresult entry).
//
// With Options.Seed it first loads only the import graph and then loads
// from source, and analyses, only the roots that can reach a seed package
// (when that leaves out enough of the graph to pay for the export-data
// load of the others; the full load runs beside the graph load and is
// used when nothing is left out); what it reports about the whole graph
// (the loaded package paths, the order of package errors) is computed as
// a full load would give it.
//
// The output forms live beside it: plain text, SARIF for code scanning, and
// the merged fixes that -fix writes and -diff shows. The standard -json form
// is the checker's own Graph.PrintJSON.
package driver
