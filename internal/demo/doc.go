// Package demo is `reentrycheck demo`: it writes an embedded example module
// (its own runtime declared with directives, two Turso bugs of class C1 and
// their fixed twins) to a temporary directory, runs the analyzer on it in
// process and prints the findings and the suggested fixes.
//
// The example is also a smoke test of the analyzer: every line marked
// "BUG" must be reported, and nothing else. Run says whether that held.
package demo
