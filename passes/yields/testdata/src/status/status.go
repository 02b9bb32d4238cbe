// Package status: which functions yield in the status spelling, with the
// callers deciding about one-shot helpers.
package status

type Ret int

const (
	//reentrycheck:yieldvalue
	More Ret = iota
	End
	Bad
)

// Exported: its callers are not all visible, so More is taken at its word.
func Step(n int) Ret { // want `Step: value`
	if n == 0 {
		return More
	}
	return End
}

// helper's only caller moves on when it returns More.
func helper(n int) Ret { // want `helper: none`
	if n < 0 {
		return Bad
	}
	return More
}

// chained is one-shot because its only caller, helper2's user, moves on.
func chained() Ret { // want `chained: none`
	return helper(1)
}

func Run(n int) Ret { // want `Run: value`
	if ret := helper(n); ret != More {
		return ret
	}
	if ret := chained(); ret != More {
		return ret
	}
	return Step(n)
}

// forwarded reaches Run2's yield: it stays resumable.
func forwarded(n int) Ret { // want `forwarded: value`
	if n == 0 {
		return More
	}
	return End
}

func Run2(n int) Ret { // want `Run2: value`
	return forwarded(n)
}

// taken's value is taken, so its callers are not all known.
func taken() Ret { // want `taken: value`
	return More
}

var hook = taken

func never() Ret { // want `never: none`
	return End
}
