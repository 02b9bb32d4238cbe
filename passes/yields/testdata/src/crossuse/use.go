// Package crossuse: the MayYield fact carries a callee's answer across
// packages.
package crossuse

import "status"

func Drive(n int) status.Ret { // want `Drive: value`
	return status.Run(n)
}

func Zero() status.Ret { // want `Zero: value`
	// The zero value of the status type is More here: a yield.
	var r status.Ret
	return r
}

func Field(s *struct{ last status.Ret }) status.Ret { // want `Field: value`
	// A value the trace cannot follow is a status that may be the yield.
	return s.last
}

func Ended(n int) status.Ret { // want `Ended: none`
	if ret := status.Run(n); ret != status.More {
		return ret
	}
	return status.End
}
