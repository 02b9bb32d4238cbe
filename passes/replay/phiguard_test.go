package replay

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/ssa"
)

const phiGuardSrc = `package p

type T struct{ n int }

func take() any   { return &T{} }
func find() *T    { return nil }
func mark(string) {}

func Removed(ok bool) int {
	var t *T
	if ok {
		t = take().(*T)
	}
	if t == nil {
		mark("yield")
		return 0
	}
	return 1
}

func Found(ok bool) int {
	var t *T
	if ok {
		t = find()
	}
	if t == nil {
		mark("yield")
		return 0
	}
	return 1
}

func Flag(ok bool) int {
	got := false
	if ok {
		got = true
	}
	if !got {
		mark("yield")
		return 0
	}
	return 1
}

func State(ok bool) int {
	s := 1
	if ok {
		s = 2
	}
	if s != 2 {
		mark("yield")
		return 0
	}
	return 1
}

func Unrelated(ok, other bool) int {
	got := false
	if ok {
		got = true
	}
	if other {
		mark("yield")
		return 0
	}
	if got {
		return 2
	}
	return 1
}
`

// yieldBlock returns the block of fn that calls mark("yield").
func yieldBlock(t *testing.T, fn *ssa.Function) *ssa.BasicBlock {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok && len(c.Call.Args) == 1 {
				if k, ok := c.Call.Args[0].(*ssa.Const); ok && k.Value.ExactString() == `"yield"` {
					return b
				}
			}
		}
	}
	t.Fatalf("%s: no yield block", fn.Name())
	return nil
}

// The predecessors kept are those whose phi value can pass the test toward
// the yield: a value that cannot be nil fails "== nil", a constant is
// evaluated, anything else is kept.
func TestPhiGuard(t *testing.T) {
	p := ssatest.Build(t, phiGuardSrc)
	kept := func(name string) []bool {
		fn := p.Func(t, name)
		chain, keep := (&analysis{fn: fn}).phiGuard(yieldBlock(t, fn))
		if chain == nil {
			return nil
		}
		assert.Equal(t, yieldBlock(t, fn), chain[len(chain)-1], "%s: the chain ends at the yield", name)
		assert.Len(t, keep, len(chain[0].Preds), name)
		n := 0
		for _, k := range keep {
			if k {
				n++
			}
		}
		assert.Equal(t, 1, n, "%s: one predecessor of two reaches the yield", name)
		// The one kept is the path that set the local to its initial
		// constant: the other made it pass the test away from the yield.
		for _, instr := range chain[0].Instrs {
			if phi, ok := instr.(*ssa.Phi); ok {
				for i, k := range keep {
					if k {
						_, isConst := phi.Edges[i].(*ssa.Const)
						assert.True(t, isConst, "%s: the kept edge carries the constant", name)
					}
				}
			}
		}
		return keep
	}
	for _, name := range []string{"Removed", "Flag", "State"} {
		assert.NotNil(t, kept(name), name)
	}
	assert.Nil(t, kept("Found"), "a call's result may be nil")
	assert.Nil(t, kept("Unrelated"), "the yield's branch tests something else")
}
