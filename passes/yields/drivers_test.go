package yields_test

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
)

const callersSrc = `package p

type E struct{}

func (*E) Error() string { return "again" }

var ErrAgain error = &E{}

func send(n int) error {
	if n > 0 {
		return ErrAgain
	}
	return nil
}

func once() error { return send(1) }

func spin() {
	for send(1) != nil {
	}
}

func each(xs []int) {
	for _, x := range xs {
		if send(x) != nil {
			continue
		}
	}
}

func stop() int {
	if err := send(2); err != nil {
		return 0
	}
	return 1
}

func started() error { return nil }

func goer() { go started() }

func valued() error { return nil }

var hook = valued

func Exported() error { return send(3) }
`

// CallSites answers only for functions all of whose calls are visible, and
// Recalls tells a retry with the same input from dropping, moving on to
// the next item and stopping.
func TestCallSitesAndRecalls(t *testing.T) {
	p := ssatest.Build(t, callersSrc)
	set := directives.NewYieldSet()
	set.Declare(p.Types.Scope().Lookup("ErrAgain"))
	names := []string{"send", "once", "spin", "each", "stop", "started", "goer", "valued", "init", "Exported"}
	var funcs []*ssa.Function
	byName := map[string]*ssa.Function{}
	for _, n := range names {
		fn := p.SSA.Func(n)
		require.NotNil(t, fn, n)
		funcs = append(funcs, fn)
		byName[n] = fn
	}
	y := yields.Compute(set, funcs)

	sites, ok := y.CallSites(byName["send"])
	require.True(t, ok)
	recalls := map[string]bool{}
	for _, c := range sites {
		recalls[c.Parent().Name()] = y.Recalls(c, 0)
	}
	assert.Equal(t, map[string]bool{"once": false, "spin": true, "each": false, "stop": false, "Exported": false}, recalls)

	for _, n := range []string{"started", "valued", "Exported", "once"} {
		_, ok := y.CallSites(byName[n])
		assert.False(t, ok, "%s: called by go, taken as a value, exported, or never called", n)
	}

	// With no yield declared the call graph is not built: nothing is known.
	_, ok = yields.Compute(directives.NewYieldSet(), funcs).CallSites(byName["send"])
	assert.False(t, ok)
}
