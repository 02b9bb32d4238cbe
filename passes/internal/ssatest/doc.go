// Package ssatest builds SSA for Go source held in a test and answers the
// oracle questions of the effect and replay analyses from the source's own
// directives, so that the passes' internals can be tested without a driver.
//
// A test source is one file of package p that imports nothing. Its types and
// functions are annotated as user code would be (//reentrycheck:ioresult,
// completion, done, idempotent in doc comments); Oracle reads those, and takes
// callee summaries from a map the test fills in.
package ssatest
