package replay_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/replay"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runtime is a miniature runtime prepended to every test source.
const runtime = `package p

//reentrycheck:ioresult
type Result struct {
	v int
	c *Completion
}

//reentrycheck:completion
type Completion struct{ done bool }

//reentrycheck:done
func Done(v int) Result { return Result{v: v} }

func Wait(c *Completion) Result { return Result{c: c} }

func (r Result) IsIO() bool { return r.c != nil }
func (r Result) Value() int { return r.v }

func Forward(r Result, err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	return Result{c: r.c}, nil
}

type Cursor struct{ pos int }

func (c *Cursor) Next() (Result, error)        { return Done(c.pos), nil }
func (c *Cursor) Seek(k int) (Result, error)   { return Done(k), nil }
func (c *Cursor) Insert(k int) (Result, error) { return Done(k), nil }

type File struct{}

func (f *File) ReadAt(buf []byte) (*Completion, error) { return &Completion{}, nil }

type errorString string

func (e errorString) Error() string { return string(e) }

var errBad error = errorString("bad")

type S struct {
	state int
	n     int
	row   int
	out   []int
	buf   []byte
	cur   *Cursor
	file  *File
	c, d  *Completion
}
`

// finding is a Finding spelled for comparison: its rule, the location or
// call it names, and the line of its yield point.
type finding struct {
	Rule  string
	Path  string
	Yield int
}

func (f finding) String() string { return fmt.Sprintf("%s %s @%d", f.Rule, f.Path, f.Yield) }

// analyze runs the analysis on fn of runtime+body and returns its findings,
// blind overwrites (reported only on request) left out.
func analyze(t *testing.T, body, fn string, sums map[string]*effect.Summary) []finding {
	t.Helper()
	src := runtime + body
	p := ssatest.Build(t, src)
	o := ssatest.NewOracle(p)
	for k, v := range sums {
		o.Sums[k] = v
	}
	var out []finding
	for _, f := range replay.Analyze(p.Func(t, fn), o) {
		if f.Rule.Name == rules.BlindOverwrite.Name {
			continue
		}
		path := f.Effect.Loc.Path
		if f.Rule.Name == rules.PrematureTransition.Name {
			path += " before " + f.CallName
		}
		if f.Rule.Name == rules.RepeatedCall.Name {
			path = f.Effect.What()
		}
		require.True(t, f.Yield.IsValid(), "%s has a yield point", f.Rule.Name)
		out = append(out, finding{f.Rule.Name, path, p.Fset.Position(f.Yield).Line - strings.Count(runtime, "\n")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// line returns the line of body (counted from 1) that holds marker.
func line(t *testing.T, body, marker string) int {
	t.Helper()
	for i, l := range strings.Split(body, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("no marker %s", marker)
	return 0
}

const mutations = `
func (s *S) Before() (Result, error) {
	s.n++
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err) // Y1
	}
	return Done(s.n), nil
}

func (s *S) After() (Result, error) {
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return Forward(r, err)
	}
	s.n++
	s.out = append(s.out, r.Value())
	return Done(s.n), nil
}

func (s *S) TwoYields(c bool) (Result, error) {
	s.out = append(s.out, 1)
	if c {
		return Wait(s.c), nil // Y2
	}
	return Wait(s.d), nil // Y3
}

func (s *S) ErrorExit() (Result, error) {
	s.n++
	return Result{}, errBad
}

func (s *S) ResetRebuild() (Result, error) {
	s.buf = s.buf[:0]
	s.buf = append(s.buf, 1)
	return Wait(s.c), nil
}

func (s *S) Local() (Result, error) {
	t := &S{}
	t.n++
	t.out = append(t.out, 1)
	return Wait(s.c), nil
}
`

func TestMutationBeforeYield(t *testing.T) {
	assert.Equal(t, []finding{{rules.MutationBeforeYield.Name, "s.n", line(t, mutations, "Y1")}},
		analyze(t, mutations, "S.Before", nil))
	assert.Empty(t, analyze(t, mutations, "S.After", nil), "mutations after the propagation check run once")
	assert.Empty(t, analyze(t, mutations, "S.ErrorExit", nil), "an error exit is not a yield")
	assert.Empty(t, analyze(t, mutations, "S.ResetRebuild", nil), "a reset then rebuilt location replays to the same value")
	assert.Empty(t, analyze(t, mutations, "S.Local", nil), "fresh objects are not persistent")
}

// A fact pending at several yields is reported once, at the first yield in
// source order.
func TestReportedOnce(t *testing.T) {
	got := analyze(t, mutations, "S.TwoYields", nil)
	assert.Equal(t, []finding{{rules.MutationBeforeYield.Name, "s.out", line(t, mutations, "Y2")}}, got)
}

const machines = `
func (s *S) Premature() (Result, error) {
	switch s.state {
	case 0:
		s.state = 1
		r, err := s.cur.Insert(s.row)
		if err != nil || r.IsIO() {
			return Forward(r, err) // P1
		}
	case 1:
		return Done(1), nil
	}
	return Done(0), nil
}

func (s *S) Fixed() (Result, error) {
	switch s.state {
	case 0:
		r, err := s.cur.Insert(s.row)
		if err != nil || r.IsIO() {
			return Forward(r, err)
		}
		s.state = 1
		fallthrough
	case 1:
		return Done(1), nil
	}
	return Done(0), nil
}

// OnePerState: one re-pollable call per state, each followed by its
// transition.
func (s *S) OnePerState() (Result, error) {
	switch s.state {
	case 0:
		r, err := s.cur.Seek(s.row)
		if err != nil || r.IsIO() {
			return Forward(r, err)
		}
		s.out = append(s.out, r.Value())
		s.state = 1
		fallthrough
	case 1:
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return Forward(r, err)
		}
		s.n += r.Value()
		s.state = 2
	}
	return Done(s.n), nil
}

// Buggy: the state does not advance between the two calls.
func (s *S) Buggy() (Result, error) {
	switch s.state {
	case 0:
		r, err := s.cur.Seek(s.row)
		if err != nil || r.IsIO() {
			return Forward(r, err)
		}
		s.out = append(s.out, r.Value())
		r, err = s.cur.Next()
		if err != nil || r.IsIO() {
			return Forward(r, err) // B1
		}
		s.state = 2
	}
	return Done(0), nil
}

// Submit: advancing before waiting on a submitted completion is required.
func (s *S) Submit() (Result, error) {
	switch s.state {
	case 0:
		c, err := s.file.ReadAt(s.buf)
		if err != nil {
			return Result{}, err
		}
		s.state = 1
		return Wait(c), nil
	case 1:
		return Done(len(s.buf)), nil
	}
	return Done(0), nil
}

// SubmitUnguarded submits again on every re-entry.
func (s *S) SubmitUnguarded() (Result, error) {
	c, err := s.file.ReadAt(s.buf)
	if err != nil {
		return Result{}, err
	}
	return Wait(c), nil // U1
}

func (s *S) advance() { s.state = 1 }

// ViaHelper makes the premature transition through a helper.
func (s *S) ViaHelper() (Result, error) {
	switch s.state {
	case 0:
		s.advance()
		r, err := s.cur.Insert(s.row)
		if err != nil || r.IsIO() {
			return Forward(r, err) // H1
		}
	case 1:
		return Done(1), nil
	}
	return Done(0), nil
}
`

func TestStateMachines(t *testing.T) {
	assert.Equal(t, []finding{{rules.PrematureTransition.Name, "s.state before s.cur.Insert", line(t, machines, "P1")}},
		analyze(t, machines, "S.Premature", nil))
	assert.Empty(t, analyze(t, machines, "S.Fixed", nil))
	assert.Empty(t, analyze(t, machines, "S.OnePerState", nil))
	assert.Empty(t, analyze(t, machines, "S.Submit", nil))
	b1 := line(t, machines, "B1")
	assert.Equal(t, []finding{
		{rules.MutationBeforeYield.Name, "s.out", b1},
		{rules.RepeatedCall.Name, "calls s.cur.Seek", b1},
	}, analyze(t, machines, "S.Buggy", nil))
	got := analyze(t, machines, "S.SubmitUnguarded", nil)
	require.Len(t, got, 1)
	assert.Equal(t, rules.MutationBeforeYield.Name, got[0].Rule, "a submission before its own yield repeats")
	assert.Equal(t, line(t, machines, "U1"), got[0].Yield)
}

// A helper's recorded write is a transition of the caller's location.
func TestHelperTransition(t *testing.T) {
	sums := map[string]*effect.Summary{
		"S.advance": {Blind: 1, Sets: []effect.Set{{Param: 0, Suffix: ".state", Arg: -1, Const: "1"}}},
	}
	assert.Equal(t, []finding{{rules.PrematureTransition.Name, "s.state before s.cur.Insert", line(t, machines, "H1")}},
		analyze(t, machines, "S.ViaHelper", sums))
	// Without the recorded write the helper is an anonymous blind write.
	assert.Empty(t, analyze(t, machines, "S.ViaHelper", map[string]*effect.Summary{"S.advance": {Blind: 1}}))
}

const loops = `
// Progress: the loop's condition tests s.n, which each iteration advances
// after its call's Done; re-entry resumes at the iteration that yielded.
func (s *S) Progress() (Result, error) {
	for s.n < 3 {
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return Forward(r, err)
		}
		s.out = append(s.out, r.Value())
		s.n++
	}
	return Done(0), nil
}

// LocalProgress counts in a local: re-entry restarts the loop while the
// cursor has moved on.
func (s *S) LocalProgress() (Result, error) {
	for i := 0; i < 3; i++ {
		r, err := s.cur.Next()
		if err != nil || r.IsIO() {
			return Forward(r, err) // L1
		}
		s.out = append(s.out, r.Value())
	}
	return Done(0), nil
}
`

func TestLoops(t *testing.T) {
	assert.Empty(t, analyze(t, loops, "S.Progress", nil))
	got := analyze(t, loops, "S.LocalProgress", nil)
	assert.Contains(t, got, finding{rules.LocalProgress.Name, "s.cur", line(t, loops, "L1")}, "%v", got)
}

const rebuilds = `
func (s *S) Truncate() (Result, error) {
	s.buf = s.buf[:0]
	s.buf = append(s.buf, 1)
	return Wait(s.c), nil
}

func (s *S) Literal() (Result, error) {
	s.buf = []byte{}
	s.buf = append(s.buf, 1)
	return Wait(s.c), nil
}

func (s *S) Nil() (Result, error) {
	s.buf = nil
	s.buf = append(s.buf, 1)
	return Wait(s.c), nil
}

func (s *S) Make() (Result, error) {
	s.buf = make([]byte, 0, 8)
	s.buf = append(s.buf, 1)
	return Wait(s.c), nil
}

// Kept: the append grows what the previous entry left.
func (s *S) Kept() (Result, error) {
	s.buf = append(s.buf, 1)
	return Wait(s.c), nil // K1
}
`

// A location emptied and rebuilt before a yield replays to the same value,
// however it is emptied.
func TestRebuilds(t *testing.T) {
	for _, fn := range []string{"S.Truncate", "S.Literal", "S.Nil", "S.Make"} {
		assert.Empty(t, analyze(t, rebuilds, fn, nil), fn)
	}
	assert.Equal(t, []finding{{rules.MutationBeforeYield.Name, "s.buf", line(t, rebuilds, "K1")}}, analyze(t, rebuilds, "S.Kept", nil))
}

// gateSource is an in-flight gate kept in a map, tested under extra keys
// (k1, k2, ...) before the gate's own key.
func gateSource(extra int) string {
	var b strings.Builder
	b.WriteString("\ntype G struct {\n\tf *File\n\tloading map[int]*Completion\n\tmisses int\n}\n\nfunc (g *G) Read(id int")
	for i := 0; i < extra; i++ {
		fmt.Fprintf(&b, ", k%d int", i)
	}
	b.WriteString(") (Result, error) {\n")
	for i := 0; i < extra; i++ {
		fmt.Fprintf(&b, "\tif _, ok := g.loading[k%d]; ok {\n\t\treturn Done(%d), nil\n\t}\n", i, i)
	}
	b.WriteString(`	c, ok := g.loading[id]
	if !ok {
		var err error
		c, err = g.f.ReadAt(nil)
		if err != nil {
			return Result{}, err
		}
		g.loading[id] = c // G1
		g.misses++
	}
	if !c.done {
		return Wait(c), nil
	}
	return Done(g.misses), nil
}
`)
	return b.String()
}

// A map entry is a keyed state location while a function tests it under a
// bounded number of keys: the gate commits its arm. Past the bound the
// entry is no state location (less precise, never quadratic), and the
// insert is reported like any other mutation.
func TestKeyedStateLocationsAreBounded(t *testing.T) {
	assert.Empty(t, analyze(t, gateSource(3), "G.Read", nil), "a gate tested under a few keys commits its arm")
	got := analyze(t, gateSource(20), "G.Read", nil)
	assert.NotEmpty(t, got, "past the bound of keys the gate is no cut")
	for _, f := range got {
		assert.Equal(t, rules.MutationBeforeYield.Name, f.Rule, "%v", got)
	}
}
