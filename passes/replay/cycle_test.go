package replay

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"golang.org/x/tools/go/ssa"
)

// reaches is the definition cyclicBlocks implements: b can reach itself.
func reaches(b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, x.Succs...)
		}
	}
	return false
}

// The components agree with plain reachability on straight code, nested
// loops, a loop left by a return, and an irreducible goto cycle.
func TestCyclicBlocksMatchReachability(t *testing.T) {
	p := ssatest.Build(t, `package p

func straight(x int) int {
	if x > 0 {
		return 1
	}
	return 2
}

func nested(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			if j == 7 {
				return s
			}
			s += j
		}
	}
	return s
}

func irreducible(x int) int {
	if x > 0 {
		goto b
	}
a:
	x--
b:
	x -= 2
	if x > 0 {
		goto a
	}
	return x
}
`)
	for _, name := range []string{"straight", "nested", "irreducible"} {
		fn := p.Func(t, name)
		got := cyclicBlocks(fn)
		some := false
		for _, b := range fn.Blocks {
			if want := reaches(b); got[b.Index] != want {
				t.Errorf("%s: block %d (%s): cyclic %v, reachability says %v", name, b.Index, b.Comment, got[b.Index], want)
			}
			some = some || got[b.Index]
		}
		if some != (name != "straight") {
			t.Errorf("%s: some block cyclic = %v", name, some)
		}
	}
}
