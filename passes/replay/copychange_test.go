package replay_test

import (
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/replay"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
)

const changed = `
type pos struct {
	off int
	n   int
	own *C
}

func (p *pos) add(k int) { p.off += k; p.n++ }

type queue struct{ recs []int }

// take moves the first record of q into p.
func take(p *pos, q *queue) { p.add(q.recs[0]); q.recs = q.recs[1:] }

type C struct {
	state int
	p     pos
	q     queue
	k     int
	cur   *Cursor
	f     Fill
}

type Fill struct{ page int }

func (f *Fill) Step() (Result, error) { return Done(f.page), nil }

// An input of the change (c.k) is written before the yield.
func (c *C) Consumed() (Result, error) {
	p := c.p
	p.add(c.k)
	c.k = 0
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err) // Y1
	}
	c.p = p
	return Done(p.n), nil
}

// The helper moves its other argument on itself.
func (c *C) HelperConsumes() (Result, error) {
	p := c.p
	take(&p, &c.q)
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err) // Y2
	}
	c.p = p
	return Done(p.n), nil
}

// A reference stored into the copy is not read through: c.state written
// afterwards is not an input of the change.
func (c *C) StoresReference() (Result, error) {
	p := c.p
	p.own = c
	c.state = 1
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err)
	}
	c.p = p
	return Done(p.n), nil
}

// The input moves on only on the error exit.
func (c *C) OnlyOnError() (Result, error) {
	p := c.p
	p.add(c.k)
	if p.off > 100 {
		c.k = 0
		return Result{}, errBad
	}
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err)
	}
	c.p = p
	return Done(p.n), nil
}

// The input moves on after the copy went back.
func (c *C) WrittenBackFirst() (Result, error) {
	p := c.p
	p.add(c.k)
	c.p = p
	c.k = 0
	r, err := c.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err)
	}
	return Done(p.n), nil
}

// A copy both stepped (re-pollable) and changed is reported once.
func (c *C) Both() (Result, error) {
	f := c.f
	f.page += c.k
	c.k = 0
	r, err := f.Step()
	if err != nil || r.IsIO() {
		return Forward(r, err) // Y3
	}
	c.f = f
	return Done(r.Value()), nil
}
`

type copyFinding struct {
	Name, Consumed string
	Yield          int
}

// analyzeCopies runs the analysis on fn of runtime+changed and returns its
// lost-copy findings: the changing call or store, the input it names and
// the line of the yield.
func analyzeCopies(t *testing.T, fn string) []copyFinding {
	t.Helper()
	p := ssatest.Build(t, runtime+changed)
	o := ssatest.NewOracle(p)
	o.Sums["pos.add"] = &effect.Summary{Clobber: 1}
	o.Sums["take"] = &effect.Summary{Clobber: 0b11}
	var out []copyFinding
	for _, f := range replay.Analyze(p.Func(t, fn), o) {
		if f.Rule != rules.LostCopy {
			continue
		}
		out = append(out, copyFinding{f.CallName, f.Consumed, p.Fset.Position(f.Yield).Line - strings.Count(runtime, "\n")})
	}
	return out
}

func TestChangedCopies(t *testing.T) {
	assert.Equal(t, []copyFinding{{"p.add", "c.k", line(t, changed, "Y1")}}, analyzeCopies(t, "C.Consumed"))
	assert.Equal(t, []copyFinding{{"take", "c.q", line(t, changed, "Y2")}}, analyzeCopies(t, "C.HelperConsumes"))
	assert.Empty(t, analyzeCopies(t, "C.StoresReference"))
	assert.Empty(t, analyzeCopies(t, "C.OnlyOnError"), "an error exit does not re-enter")
	assert.Empty(t, analyzeCopies(t, "C.WrittenBackFirst"))
	assert.Equal(t, []copyFinding{{"f.Step", "", line(t, changed, "Y3")}}, analyzeCopies(t, "C.Both"),
		"the re-pollable case reports the copy, the changed case does not again")
}
