package callbacks_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/callbacks"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/ssa"
)

const src = `package p

//reentrycheck:completion
type Completion struct{ cb func(n int, err error) }

// Read submits I/O and calls cb when it completes.
func Read(cb func(n int, err error)) *Completion { return &Completion{cb: cb} }

// Later takes a callback but returns no completion.
func Later(cb func(n int, err error)) {}

type Conn struct {
	ready bool
	n     int
	buf   []int
}

var loaded bool

func (c *Conn) Ignores() {
	Read(func(n int, err error) {
		c.ready = true // W1
		c.n += n       // W2
	})
}

func (c *Conn) Checks() {
	Read(func(n int, err error) {
		if err != nil {
			return
		}
		c.ready = true
	})
}

func (c *Conn) NotACompletion() {
	Later(func(n int, err error) { c.ready = true })
}

func (c *Conn) LocalFlag() bool {
	called := false
	Read(func(n int, err error) { called = true })
	return called
}

func (c *Conn) Mixed() {
	Read(func(n int, err error) {
		c.n = n       // W5
		loaded = true // W6
	})
}

func Global() {
	Read(func(n int, err error) { loaded = true }) // W3
}

func (c *Conn) Nested() {
	Read(func(n int, err error) {
		if err != nil {
			return
		}
		Read(func(m int, err error) { c.buf = append(c.buf, m) }) // W4
	})
}

func (c *Conn) NestedLocal() {
	var seen []int
	Read(func(n int, err error) {
		if err != nil {
			return
		}
		Read(func(m int, err error) { seen = append(seen, m) })
	})
	_ = seen
}
`

func lineOf(marker string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	return -1
}

// lines runs Check on fn and on its closures, nested ones included, and
// returns the lines of the writes reported.
func lines(t *testing.T, p *ssatest.Prog, fn string) []int {
	t.Helper()
	o := ssatest.NewOracle(p)
	top := p.Func(t, fn)
	var out []int
	var walk func(f *ssa.Function)
	walk = func(f *ssa.Function) {
		for _, finding := range callbacks.Check(f, o) {
			assert.Same(t, rules.CallbackIgnoresError, finding.Rule)
			assert.Greater(t, finding.Yield, top.Pos(), "the callback is declared inside %s", fn)
			out = append(out, p.Fset.Position(finding.Pos).Line)
		}
		for _, anon := range f.AnonFuncs {
			walk(anon)
		}
	}
	walk(top)
	sort.Ints(out)
	return out
}

func TestCheck(t *testing.T) {
	p := ssatest.Build(t, src)
	assert.Equal(t, []int{lineOf("W1"), lineOf("W2")}, lines(t, p, "Conn.Ignores"))
	assert.Empty(t, lines(t, p, "Conn.Checks"), "the error is read")
	assert.Empty(t, lines(t, p, "Conn.NotACompletion"), "not a completion callback")
	assert.Empty(t, lines(t, p, "Conn.LocalFlag"), "a local of the creating function")
	assert.Equal(t, []int{lineOf("W4")}, lines(t, p, "Conn.Nested"), "a callback inside a callback writes the receiver")
	assert.Empty(t, lines(t, p, "Conn.NestedLocal"), "a nested callback writing a local of the outermost function")
	assert.Equal(t, []int{lineOf("W5"), lineOf("W6")}, lines(t, p, "Conn.Mixed"), "package state, from a closure")
}

// A callback that captures nothing is passed as a function, not as a
// closure; its writes of package state publish a success all the same.
func TestCheckGlobalOnly(t *testing.T) {
	p := ssatest.Build(t, src)
	assert.Equal(t, []int{lineOf("W3")}, lines(t, p, "Global"))
}
