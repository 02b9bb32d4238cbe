// Package directives: malformed and misplaced directives are reported.
package directives

//reentrycheck:done // want `//reentrycheck:done belongs on a function or method declaration`
type Wrong struct{}

//reentrycheck:ioresult // want `//reentrycheck:ioresult belongs on a type declaration`
func AlsoWrong() {}

//reentrycheck:bogus // want `unknown directive //reentrycheck:bogus`
func Bogus() {}

func body() {
	//reentrycheck:done // want `not attached to a declaration`
}

// The yield spellings have their own places.

//reentrycheck:yielderr // want `//reentrycheck:yielderr: Limit is not an error`
var Limit = 3

//reentrycheck:yieldvalue // want `//reentrycheck:yieldvalue belongs on a constant, not a variable`
var Mode = 1

//reentrycheck:yieldvalue // want `//reentrycheck:yieldvalue: Untyped has no named type`
const Untyped = 7

//reentrycheck:yielderr // want `//reentrycheck:yielderr: type Plain does not implement error`
type Plain struct{}

//reentrycheck:yielderr // want `//reentrycheck:yielderr belongs on a package-level error variable or constant, or on a type that implements error`
func Helper() {}

//reentrycheck:yieldvalue // want `//reentrycheck:yieldvalue belongs on a constant declaration`
type Status int
