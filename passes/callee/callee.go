// Package callee names the function an SSA call reaches statically.
package callee

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Object returns the declared function or method a call reaches: the
// interface method for an invoke, the generic origin's object for an
// instantiation, nil for a dynamic call or a closure.
func Object(call *ssa.CallCommon) *types.Func {
	if call.IsInvoke() {
		return call.Method
	}
	if fn := call.StaticCallee(); fn != nil {
		if o := fn.Origin(); o != nil {
			fn = o
		}
		f, _ := fn.Object().(*types.Func)
		return f
	}
	return nil
}
