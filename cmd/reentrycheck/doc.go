// Command reentrycheck finds re-entrancy bugs in Go code written in the
// cooperative async I/O model: persistent state mutated before a point where
// a resumable function may yield, and the other rules of docs/rules.md.
//
// One binary serves three drivers:
//
//	reentrycheck [flags] packages...       standalone, loads packages from source
//	go vet -vettool=$(which reentrycheck)  one package at a time, facts through vetx files
//	go fix -fixtool=$(which reentrycheck)  applies the suggested fixes
//
// and two helper commands:
//
//	reentrycheck demo      analyze an embedded buggy example module and print the findings
//	reentrycheck version   say what was built
//
// Standalone, only the named packages that can hold a finding are loaded
// from source and analysed: those whose dependency closure, themselves
// included, contains a package with a //reentrycheck: directive or a
// package that a declaration flag names. The import graph is read with go
// list first, without parsing or type checking, to decide; the output is
// that of a full load: packages left out are still compiled from export
// data, so their type errors are reported (docs/cli.md, "What is loaded").
//
// Standalone flags are the analyzer's own (-ioresult, -done, -completion,
// -idempotent, -yielderr, -yieldvalue, -rules) plus -json, -sarif, -fix, -diff, -test and -tags.
// Under go vet the analyzer's flags carry its name as a prefix:
// -reentrycheck.ioresult=... . Exit codes: 0 nothing found, 3 findings,
// 1 usage, load or analysis errors; -json and -sarif exit 0 with findings.
// See docs/cli.md for the details.
package main
