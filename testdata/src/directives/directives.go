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
