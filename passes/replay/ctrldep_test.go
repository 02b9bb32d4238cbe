package replay

import (
	"go/token"
	"sort"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
	"pgregory.net/rapid"
)

const ctrlSrc = `package p

func mark(string) {}

func f(a, b, x bool, n int, fail func() bool) int {
	if a {
		if b {
			mark("nested")
		}
	}
	if x {
		n++
	}
	mark("join")
	for i := 0; i < n; i++ {
		if fail() {
			return -1
		}
		mark("body")
	}
	return n
}
`

// guardNames returns, for the block calling mark(label), the source
// spelling of the conditions that decide it, sorted.
func guardNames(t *testing.T, fn *ssa.Function, c *ctrlDeps, label string) []string {
	t.Helper()
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || len(call.Call.Args) != 1 {
				continue
			}
			if k, ok := call.Call.Args[0].(*ssa.Const); !ok || k.Value.ExactString() != `"`+label+`"` {
				continue
			}
			var out []string
			for _, g := range c.guards(b) {
				out = append(out, condName(g))
			}
			sort.Strings(out)
			return out
		}
	}
	t.Fatalf("no mark(%q)", label)
	return nil
}

// condName spells a condition: a parameter, a comparison or a call.
func condName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.BinOp:
		switch v.Op {
		case token.LSS:
			return "i < n"
		case token.EQL:
			return "state == " + v.Y.(*ssa.Const).Value.ExactString()
		}
	case *ssa.Call:
		return "fail()"
	}
	return v.Name()
}

// Control dependence: nested tests decide transitively, a join below an If
// is decided by none, and a loop body after an early return depends on
// that test and, through it, on the loop's condition.
func TestCtrlDeps(t *testing.T) {
	p := ssatest.Build(t, ctrlSrc)
	fn := p.Func(t, "f")
	c := newCtrlDeps(fn)
	assert.Equal(t, []string{"a", "b"}, guardNames(t, fn, c, "nested"))
	assert.Empty(t, guardNames(t, fn, c, "join"))
	assert.Equal(t, []string{"fail()", "i < n"}, guardNames(t, fn, c, "body"))
}

// A block that cannot reach an exit keeps every block as a post-dominator:
// nothing inside an infinite loop is decided by its tests.
func TestCtrlDepsInfiniteLoop(t *testing.T) {
	p := ssatest.Build(t, `package p

func mark(string) {}

func g(a bool) {
	for {
		if a {
			mark("spin")
		}
	}
}
`)
	fn := p.Func(t, "g")
	c := newCtrlDeps(fn)
	require.NotEmpty(t, fn.Blocks)
	assert.Empty(t, guardNames(t, fn, c, "spin"))
}

// In a state-machine loop an arm depends on the tests of the switch that
// select it, not on an early return in another arm, although that return
// decides whether the loop comes back to the switch at all.
func TestCtrlDepsStateLoop(t *testing.T) {
	p := ssatest.Build(t, `package p

func mark(string) {}

func h(fail func() bool) int {
	state := 0
	for {
		switch state {
		case 0:
			if fail() {
				return -1
			}
			state = 1
		case 1:
			mark("arm")
			state = 2
		default:
			return state
		}
	}
}
`)
	fn := p.Func(t, "h")
	c := newCtrlDeps(fn)
	assert.Equal(t, []string{"state == 0", "state == 1"}, guardNames(t, fn, c, "arm"))
}

// pdomModel is the definition the tree must agree with: the greatest
// solution of pdom(n) = {n} ∪ ⋂ pdom(s) over n's successors, a block
// without successors post-dominated only by itself, computed on sets.
func pdomModel(fn *ssa.Function) [][]bool {
	n := len(fn.Blocks)
	pdom := make([][]bool, n)
	for i, b := range fn.Blocks {
		pdom[i] = make([]bool, n)
		for j := range pdom[i] {
			pdom[i][j] = len(b.Succs) > 0 || j == i
		}
	}
	for changed := true; changed; {
		changed = false
		for i, b := range fn.Blocks {
			if len(b.Succs) == 0 {
				continue
			}
			for j := 0; j < n; j++ {
				in := j == i
				if !in {
					in = true
					for _, s := range b.Succs {
						in = in && pdom[s.Index][j]
					}
				}
				if in != pdom[i][j] {
					pdom[i][j], changed = in, true
				}
			}
		}
	}
	return pdom
}

// randomCFG draws a function of up to 40 blocks: each block has zero, one
// or two successors anywhere (an If has two), so exits, loops, infinite
// loops and merges of every kind occur.
func randomCFG(t *rapid.T) *ssa.Function {
	n := rapid.IntRange(1, 40).Draw(t, "blocks")
	fn := &ssa.Function{}
	for i := 0; i < n; i++ {
		fn.Blocks = append(fn.Blocks, &ssa.BasicBlock{Index: i})
	}
	for _, b := range fn.Blocks {
		k := rapid.IntRange(0, 2).Draw(t, "succs")
		for j := 0; j < k; j++ {
			s := fn.Blocks[rapid.IntRange(0, n-1).Draw(t, "succ")]
			b.Succs = append(b.Succs, s)
			s.Preds = append(s.Preds, b)
		}
	}
	return fn
}

// The post-dominator tree answers exactly as the per-block sets it
// replaced, on random graphs, blocks that reach no exit included.
func TestPostDominatorTreeMatchesSets(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fn := randomCFG(t)
		want := pdomModel(fn)
		c := newCtrlDeps(fn)
		for u := range fn.Blocks {
			for d := range fn.Blocks {
				if got := c.postDominates(d, u); got != want[u][d] {
					t.Fatalf("postDominates(%d, %d) = %v, sets say %v", d, u, got, want[u][d])
				}
			}
		}
	})
}
