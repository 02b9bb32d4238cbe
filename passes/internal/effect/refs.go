package effect

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Reference methods come in pairs on one type: taking a reference and
// dropping it. A type with both halves counts references to something it
// holds (gVisor's generated reference counters: IncRef, TryIncRef, DecRef;
// a route's Acquire and Release).
var (
	refAcquireNames = []string{"IncRef", "TryIncRef", "Acquire", "Retain", "AddRef", "Ref"}
	refReleaseNames = []string{"DecRef", "Release", "Unref"}
)

// RefMethod reports whether a method call (static, or through an
// interface) takes or drops a reference: its name is one half of a pair
// and the receiver's type has a method of the other half.
func RefMethod(c *ssa.CallCommon) (acquire, release bool) {
	var t types.Type
	var name string
	if c.IsInvoke() {
		// Through an interface whose method set has both halves.
		t, name = c.Value.Type(), c.Method.Name()
	} else {
		obj, recv := staticMethod(c)
		if obj == nil {
			return false, false
		}
		t, name = recv, obj.Name()
	}
	has := func(names []string) bool {
		for _, n := range names {
			if types.IsInterface(t) {
				if obj, _, _ := types.LookupFieldOrMethod(t, false, nil, n); obj != nil {
					return true
				}
			} else if ptrMethod(t, n) != nil {
				return true
			}
		}
		return false
	}
	for _, n := range refAcquireNames {
		if n == name {
			return has(refReleaseNames), false
		}
	}
	for _, n := range refReleaseNames {
		if n == name {
			return false, has(refAcquireNames)
		}
	}
	return false, false
}
