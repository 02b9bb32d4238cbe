// Package e2e holds the end-to-end tests of the reentrycheck command: they
// build the real binary and drive it the ways users do, standalone (text,
// -json, -sarif, -fix, -diff, exit codes, errors), as `go vet -vettool`
// with a fresh build cache (facts through vetx files, prefixed analyzer
// flags, -fix -diff) and as `go fix -fixtool`. The sample modules are in
// testdata/e2e at the repository root.
//
// The tests are skipped under -short; `make test` runs them.
package e2e
