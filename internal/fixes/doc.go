// Package fixes merges the suggested fixes of many diagnostics into one new
// content per file, the way `-fix` and `-diff` need them.
//
// A fix is all or nothing: it is applied only if none of its edits overlaps
// an edit already accepted. Identical fixes are applied once, because the
// same file is analyzed both in package p and in its test variant
// "p [p.test]", and each reports the same diagnostic with the same fix.
// Fixed Go files are gofmt'ed, since a moved statement carries the
// indentation of its old place.
package fixes
