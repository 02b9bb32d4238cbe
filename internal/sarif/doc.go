// Package sarif is the subset of the SARIF 2.1.0 object model that
// reentrycheck writes for code-scanning services such as GitHub code
// scanning: one run, the tool with its rule metadata, results with their
// locations, related locations and fixes, and tool notifications for
// packages that could not be analyzed.
//
// The types only describe the format; the driver fills them in. Columns are
// in UTF-16 code units, SARIF's default and what GitHub expects.
package sarif
