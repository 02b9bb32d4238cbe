// Package tested imports nothing; only its tests use lib, so only its
// test variant can hold findings.
package tested

// N is a number.
const N = 1
