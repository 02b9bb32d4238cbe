// Package declfacts: declaration directives become facts. // want package:"declares Result; completions Handle"
package declfacts

//reentrycheck:ioresult
type Result struct{ c *Handle } // want Result:"ioresult"

//reentrycheck:completion
type Handle struct{} // want Handle:"completion"

//reentrycheck:done
func Done() Result { return Result{} } // want Done:"done"

//reentrycheck:idempotent
func Peek() Result { return Result{} } // want Peek:"idempotent"

type Reader interface {
	//reentrycheck:idempotent
	Read() Result // want Read:"idempotent"
}

