package ssabuild_test

import (
	"go/build"
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/ssabuild"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

const src = `package p

type T struct{ n int }

var hook = func() int { return 1 }

func (t *T) M() func() {
	return func() {
		t.n++
		func() { t.n-- }()
	}
}

func F() int {
	g := func() int { return 2 }
	return g()
}

func G() {}
`

func run(t *testing.T, p *ssatest.Prog) *ssabuild.SSA {
	t.Helper()
	g, err := checker.Analyze([]*analysis.Analyzer{ssabuild.Analyzer}, []*packages.Package{p.Package()}, &checker.Options{Sequential: true})
	require.NoError(t, err)
	require.NoError(t, g.Roots[0].Err)
	return g.Roots[0].Result.(*ssabuild.SSA)
}

// SrcFuncs lists the declared functions in source order, each followed by
// its closures (nested ones included), then the closures of package-level
// initializers.
func TestSrcFuncs(t *testing.T) {
	res := run(t, ssatest.Parse(t, src))
	require.NotNil(t, res)
	var names []string
	for _, fn := range res.SrcFuncs {
		names = append(names, fn.Name())
		assert.NotNil(t, fn.Blocks, "%s is built", fn.Name())
	}
	assert.Equal(t, []string{"M", "M$1", "M$1$1", "F", "F$1", "G", "init$1"}, names)
	assert.Equal(t, "p", res.Pkg.Pkg.Path())
}

// Standard-library packages get no SSA: a table describes them.
func TestStd(t *testing.T) {
	goroot := build.Default.GOROOT
	if goroot == "" {
		t.Skip("no GOROOT")
	}
	if abs, err := filepath.EvalSymlinks(goroot); err == nil {
		goroot = abs
	}
	p := ssatest.ParseFile(t, filepath.Join(goroot, "src", "p", "p.go"), src)
	assert.Nil(t, run(t, p))
}

// Stand-ins for the standard-library packages whose functions never return.
const (
	osSrc = `package os

func Exit(code int) {}
`
	testingSrc = `package testing

type T struct{}

func (t *T) Fatal(args ...any) {}
func (t *T) Log(args ...any)   {}
`
	exitSrc = `package p

import (
	"os"
	"testing"
)

type S struct{ n int }

func Exit(s *S, bad bool) {
	if bad {
		os.Exit(1)
	}
	s.n++
}

func Fatal(t *testing.T, s *S) {
	t.Fatal("stop")
	s.n++
}

func Log(t *testing.T, s *S) {
	t.Log("go on")
	s.n++
}
`
)

// The paths after a call that never returns are cut: they reach no return.
func TestNoReturn(t *testing.T) {
	res := run(t, ssatest.ParseWith(t, exitSrc, osSrc, testingSrc))
	require.NotNil(t, res)
	returns := map[string]int{}
	stores := map[string]int{}
	for _, fn := range res.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Return:
					returns[fn.Name()]++
				case *ssa.Store:
					if _, field := instr.Addr.(*ssa.FieldAddr); field {
						stores[fn.Name()]++ // s.n++, not the variadic arguments
					}
				}
			}
		}
	}
	assert.Equal(t, map[string]int{"Exit": 1, "Log": 1}, returns, "Fatal never returns")
	assert.Equal(t, map[string]int{"Exit": 1, "Log": 1}, stores, "s.n++ is not built after os.Exit or t.Fatal")
}
