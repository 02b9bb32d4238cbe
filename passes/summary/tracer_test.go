package summary

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

const tracerShapes = `package p

//reentrycheck:ioresult
type Result struct{ io bool }

type M struct {
	n    int
	next *M
}

// Step is a subject: the replay analysis takes its tracer.
func (m *M) Step() Result {
	m.bump()
	return Result{}
}

// Other is a subject too, whose memo no analysis takes here.
func (m *M) Other() Result {
	m.n++
	return Result{}
}

// bump is not: nothing is kept for it.
func (m *M) bump() { m.next.n++ }
`

// The summaries trace each function once and hand a subject's tracer to
// its analysis, once; a function that is not a subject keeps none, so no
// memo outlives the package's summaries.
func TestTakeMemo(t *testing.T) {
	p := ssatest.Parse(t, tracerShapes)
	g, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, []*packages.Package{p.Package()}, &checker.Options{Sequential: true})
	require.NoError(t, err)
	require.Len(t, g.Roots, 1)
	act := g.Roots[0]
	require.NoError(t, act.Err)
	sums := act.Result.(*Summaries)
	byName := map[string]*ssa.Function{}
	for obj, fn := range sums.byObj {
		byName[obj.Name()] = fn
	}
	step, bump := byName["Step"], byName["bump"]
	require.NotNil(t, step)
	require.NotNil(t, bump)

	m := sums.TakeMemo(step)
	require.NotNil(t, m, "a subject's memo is kept for its analysis")
	assert.Equal(t, "m", m.Tracer.Of(step.Params[0]).Path, "the tracer is the function's own")
	assert.Nil(t, sums.TakeMemo(step), "handed over once")
	assert.Nil(t, sums.TakeMemo(bump), "not a subject: none kept")

	// What no analysis takes is dropped when the package's analysis ends.
	other := byName["Other"]
	require.NotNil(t, other)
	require.Contains(t, sums.memos, other, "kept until taken")
	sums.DropMemos()
	assert.Nil(t, sums.TakeMemo(other), "dropped")
}
