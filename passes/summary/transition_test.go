package summary_test

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/summary"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// The bind of an endpoint across three calls: a getter over an atomic, a
// setter given the constant, a method that moves the state on its one
// success, and guards on the state in its callers.
const transitions = `package p

// U32 is a word read and written through methods, as atomic wrappers are.
type U32 struct{ v uint32 }

func (u *U32) Load() uint32   { return u.v }
func (u *U32) Store(x uint32) { u.v = x }

type Mutex struct{ held bool }

func (m *Mutex) Lock()   { m.held = true }
func (m *Mutex) Unlock() { m.held = false }

type failure struct{}

func (failure) Error() string { return "bound" }

type State uint32

const (
	Initial State = iota
	Bound
)

var errBound error = failure{}

type Net struct {
	state U32
	port  int
}

func (n *Net) State() State       { return State(n.state.Load()) }
func (n *Net) setState(s State)   { n.state.Store(uint32(s)) }
func (n *Net) Port() int          { return n.port }
func (n *Net) Ptr() *int          { return &n.port }
func (n *Net) Either(b bool) State {
	if b {
		return State(n.state.Load())
	}
	return Initial
}

func (n *Net) Bind(port int) error {
	if n.State() != Initial {
		return errBound
	}
	n.port = port
	n.setState(Bound)
	return nil
}

func (n *Net) BindMaybe(port int) error {
	n.port = port
	if port > 0 {
		n.setState(Bound)
	}
	return nil
}

func (n *Net) BindThenScale(port int) {
	n.setState(Bound)
	n.scale(port)
}

func (n *Net) scale(k int) { n.port *= k }

type E struct {
	mu    Mutex
	net   Net
	ident int
}

func (e *E) bindLocked(port int) error {
	if e.net.State() != Initial {
		return errBound
	}
	if err := e.net.Bind(port); err != nil {
		return err
	}
	e.ident = port
	return nil
}

func (e *E) prepare(port int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.net.State() == Initial {
		return e.bindLocked(port)
	}
	return nil
}

func (e *E) prepareMaybe(port int) error {
	if e.net.State() == Initial {
		return e.net.BindMaybe(port)
	}
	return nil
}

func (e *E) prepareRearmed(port int) error {
	if e.net.State() == Initial {
		if err := e.bindLocked(port); err != nil {
			return err
		}
		e.net.setState(Initial)
	}
	return nil
}
`

func TestTransitions(t *testing.T) {
	fs, _ := facts(t, transitions)
	str := func(name string) string {
		if m := fs[name]; m != nil {
			return m.String()
		}
		return ""
	}
	// Getters: through a wrapper's getter and a conversion; a plain int
	// field.
	assert.Equal(t, "reads(0.v)", str("U32.Load"))
	assert.Equal(t, "overwrites(0) moves(0.v=arg1)", str("U32.Store"))
	assert.Equal(t, "reads(0.state.v)", str("Net.State"))
	assert.Equal(t, "reads(0.port)", str("Net.Port"))
	assert.Equal(t, "", str("Net.Ptr"), "a pointer is no state")
	assert.Equal(t, "", str("Net.Either"), "a constant on one path: not one location's value")
	// Setters and transitions.
	assert.Equal(t, "overwrites(0) moves(0.state.v=arg1)", str("Net.setState"))
	// Bind is itself guarded by the state it moves: its writes are made
	// once, and what it leaves is its transition. The port stored before
	// setState is no transition: setState writes through n, and what it
	// writes besides its transitions is not known.
	assert.Equal(t, "moves(0.state.v=1)", str("Net.Bind"), "every success moves the state")
	assert.Equal(t, "overwrites(0)", str("Net.BindMaybe"), "a success that does not move it")
	assert.Equal(t, "clobbers(0)", str("Net.BindThenScale"), "a later write of unknown places below the receiver")
	// The bind is guarded by the state it changes: it writes once.
	assert.Equal(t, "moves(0.ident=arg1) moves(0.net.state.v=1)", str("E.bindLocked"))
	assert.Equal(t, "", str("E.prepare"), "its writes are the bind's, made once")
	assert.Equal(t, "overwrites(0)", str("E.prepareMaybe"), "the callee's success can leave the state initial")
	assert.Equal(t, "overwrites(0)", str("E.prepareRearmed"), "the state is moved back after the bind")
}

const pureLib = `package lib

type T struct{ N int }

// Width only reads: it exports no fact.
func Width(t *T) int { return t.N * 2 }
`

const pureUse = `package p

import "lib"

type E struct {
	opens int
	t     lib.T
}

// open counts the opening while t.N says "new", and moves it; the pure
// call after the move, handed t itself, changes nothing.
func (e *E) open() int {
	if e.t.N == 0 {
		e.opens++
		e.t.N = 1
		return lib.Width(&e.t)
	}
	return 0
}
`

// A callee of a summarized package without a fact has no effect: after a
// transition it moves nothing back.
func TestTransitionPureCallee(t *testing.T) {
	p := ssatest.ParseWith(t, pureUse, pureLib)
	g, err := checker.Analyze([]*analysis.Analyzer{summary.Analyzer}, []*packages.Package{p.Package()}, &checker.Options{Sequential: true})
	require.NoError(t, err)
	fs := map[string]*summary.Mutates{}
	for _, f := range g.Roots[0].AllObjectFacts() {
		if m, ok := f.Fact.(*summary.Mutates); ok {
			fs[f.Object.Pkg().Name()+"."+ssatest.NameOf(f.Object)] = m
		}
	}
	assert.Nil(t, fs["lib.Width"], "pure: no fact")
	assert.Nil(t, fs["p.E.open"], "the count is made once, under the guard: no effect left")
}
