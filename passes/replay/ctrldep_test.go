package replay

import (
	"go/token"
	"sort"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
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
