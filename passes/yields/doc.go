// Package yields finds the functions that yield in the spellings existing
// Go code uses for "not finished, call me again": a sentinel error (a
// variable such as ErrWouldBlock, a constant such as syscall.EAGAIN, an
// error type), declared by //reentrycheck:yielderr or -yielderr, and a
// status constant, declared by //reentrycheck:yieldvalue or -yieldvalue.
//
// A function of the result-type spelling is resumable by its signature. In
// these spellings the signature only says where a yield would be carried
// (an error result, a result of the status type); whether the function
// yields follows from its body: some return may carry the yield value,
// directly, wrapped (fmt.Errorf with %w), or forwarded from a callee that
// may yield. Guards narrow: a return under `if err != ErrWouldBlock` or
// `if ret != statusMore` carries no yield, one under errors.Is(err,
// ErrWouldBlock) does. The answer is computed per package by a worklist
// over its call graph and exported as a MayYield fact, so callers in other
// packages see it.
//
// A status constant is often also the success code of one-shot helpers
// (a header parser returns statusOK and its caller moves on). So for the
// status spelling the callers decide: an unexported function whose value
// is never taken, and whose every caller moves on when it returns the
// constant, is not resumable; one forwarded to a resumable caller's yield
// is.
//
// A yield error asks to be called again, but only a caller can call again.
// So for the error spelling the callers decide too: a function whose
// callers are all visible (unexported, its value never taken; for a
// method, its invoke sites in the package count among its callers) is not
// resumable when none of them drives its yield: none calls it again with
// the same input on the error path, tells the yield from other errors,
// keeps the error in memory others read, or forwards it to a driven
// caller. A link layer's EAGAIN whose callers drop the frame or stop the
// read loop is a drop, not "call me again".
package yields
