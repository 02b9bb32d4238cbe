package summary_test

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/summary"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// facts runs the summary pass on src (one file of package p) and returns the
// Mutates facts it exports, by function name ("F", "T.M"), and whether the
// fixpoint ran out of its budget.
func facts(t ssatest.TB, src string) (map[string]*summary.Mutates, bool) {
	t.Helper()
	p := ssatest.Parse(t, src)
	g, err := checker.Analyze([]*analysis.Analyzer{summary.Analyzer}, []*packages.Package{p.Package()}, &checker.Options{Sequential: true})
	require.NoError(t, err)
	require.Len(t, g.Roots, 1)
	act := g.Roots[0]
	require.NoError(t, act.Err)
	out := map[string]*summary.Mutates{}
	for _, f := range act.AllObjectFacts() {
		if m, ok := f.Fact.(*summary.Mutates); ok {
			out[ssatest.NameOf(f.Object)] = m
		}
	}
	return out, act.Result.(*summary.Summaries).TooLarge
}

func sets(m *summary.Mutates) []effect.Set {
	if m == nil {
		return nil
	}
	return m.Sets
}

const shapes = `package p

type N struct {
	next  *N
	child *N
	state int
	n     int
	items []int
}

func setState(x *N, v int) { x.state = v }
func finish(x *N)          { x.state = 3 }

// advance makes its transition through a helper.
func advance(x *N) { finish(x.next) }

// twice goes through two helpers.
func twice(x *N) { advance(x.child) }

func bump(x *N) { x.n++ }

// bumpVia clobbers through a callee.
func bumpVia(x *N) { bump(x) }

// self recurses on itself, with a write.
func self(x *N, k int) {
	if k > 0 {
		self(x, k-1)
	}
	x.items = append(x.items, k)
}

// even and odd recurse into each other; only odd writes.
func even(x *N, k int) {
	if k > 0 {
		odd(x, k-1)
	}
}

func odd(x *N, k int) {
	x.n++
	if k > 0 {
		even(x, k-1)
	}
}

// walk follows x.next forever: its recorded writes must stay finite.
func walk(x *N) {
	x.state = 1
	walk(x.next)
}

// walk2 follows two fields: the writes it could record are too many.
func walk2(x *N) {
	x.state = 1
	walk2(x.next)
	walk2(x.child)
}

type I interface{ Touch(x *N) }

type A struct{}

func (A) Touch(x *N) { x.n++ }

type B struct{ n int }

func (b *B) Touch(x *N) { x.state = 2 }

// viaIface reaches both implementations.
func viaIface(i I, x *N) { i.Touch(x) }

// pure writes nothing persistent.
func pure(k int) int {
	y := &N{}
	y.n = k
	return y.n
}
`

func TestShapes(t *testing.T) {
	fs, tooLarge := facts(t, shapes)
	require.False(t, tooLarge)
	str := func(name string) string {
		if m := fs[name]; m != nil {
			return m.String()
		}
		return ""
	}
	set := func(param int, suffix string, arg int, c string) effect.Set {
		return effect.Set{Param: param, Suffix: suffix, Arg: arg, Const: c}
	}

	// A setter records its write, of a parameter or of a constant.
	assert.Equal(t, "overwrites(0) moves(0.state=arg1)", str("setState"))
	assert.Equal(t, []effect.Set{set(0, ".state", 1, "")}, sets(fs["setState"]))
	assert.Equal(t, []effect.Set{set(0, ".state", -1, "3")}, sets(fs["finish"]))
	// Helpers calling helpers propagate the write, below the argument's path.
	assert.Equal(t, "overwrites(0) moves(0.next.state=3)", str("advance"))
	assert.Equal(t, []effect.Set{set(0, ".next.state", -1, "3")}, sets(fs["advance"]))
	assert.Equal(t, []effect.Set{set(0, ".child.next.state", -1, "3")}, sets(fs["twice"]))
	// Clobbers propagate as well.
	assert.Equal(t, "clobbers(0)", str("bump"))
	assert.Equal(t, "clobbers(0)", str("bumpVia"))
	assert.Empty(t, sets(fs["bumpVia"]))
	// Recursion converges with the effects of every member.
	assert.Equal(t, "clobbers(0)", str("self"))
	assert.Equal(t, "clobbers(0)", str("odd"))
	assert.Equal(t, "clobbers(0)", str("even"))
	// Interface dispatch takes every implementation of the package.
	assert.Equal(t, "clobbers(1)", str("viaIface"))
	assert.Equal(t, "clobbers(1)", str("A.Touch"))
	assert.Equal(t, "overwrites(1) moves(1.state=2)", str("B.Touch"))
	_, ok := fs["pure"]
	assert.False(t, ok, "no fact for a function without effects")
}

// The shape that made the fixpoint diverge: a recursive helper that walks
// x.next records x.state, x.next.state, ... up to the path bound and stops.
func TestWalkConverges(t *testing.T) {
	fs, tooLarge := facts(t, shapes)
	require.False(t, tooLarge)
	m := fs["walk"]
	require.NotNil(t, m)
	assert.Equal(t, "overwrites(0) moves(0.state=1)", m.String())
	require.False(t, m.SetsOverflow)
	var suffixes []string
	for _, s := range m.Sets {
		suffixes = append(suffixes, s.Suffix)
		assert.LessOrEqual(t, persist.SuffixSteps(s.Suffix), persist.MaxSteps)
		assert.Equal(t, effect.Set{Suffix: s.Suffix, Arg: -1, Const: "1"}, s)
	}
	want := []string{".state"}
	for p := ""; len(want) < persist.MaxSteps; {
		p += ".next"
		want = append(want, p+".state")
	}
	assert.ElementsMatch(t, want, suffixes)

	m2 := fs["walk2"]
	require.NotNil(t, m2)
	assert.True(t, m2.SetsOverflow, "two recursive fields record more than MaxSets writes")
	assert.Empty(t, m2.Sets)
}

const overflowSrc = `package p

type N struct{ a, b, c, d, e, f, g, h, i int }

// many records more writes than fit: its Sets overflow.
func many(x *N) {
	x.a, x.b, x.c, x.d, x.e = 1, 1, 1, 1, 1
	x.f, x.g, x.h, x.i = 1, 1, 1, 1
}

// caller writes x.a itself, then calls many, which writes nine fields.
func caller(x *N) {
	x.a = 2
	many(x)
}
`

// A function that calls a helper whose recorded writes overflow makes more
// writes than fit as well: its own Sets must overflow, not list the part
// it makes itself as if it were complete. (Otherwise a caller's dispatch
// sees caller(s) as the transition s.a = 2 and misses the others, and the
// summary loses recorded writes when the program grows: in
//
//	func f0(x, y *N, k int) { f1(x, x, k) }
//	func f1(x, y *N, k int) { x.a = 0; f0(x.next, x, k) }
//
// f0 records six writes .a, .next.a, ... = 0; adding `x.a = 1` to f0 makes
// f1 overflow first, after which f0 stops growing with a partial list.)
func TestOverflowedCalleeSets(t *testing.T) {
	fs, _ := facts(t, overflowSrc)
	require.NotNil(t, fs["many"])
	require.True(t, fs["many"].SetsOverflow)
	require.NotNil(t, fs["caller"])
	assert.True(t, fs["caller"].SetsOverflow, "caller's Sets: %v", fs["caller"].Sets)
}

const (
	libSrc = `package lib

type N struct {
	Next  *N
	State int
	Items []int
}

func Set(x *N, v int) { x.State = v }

func Add(x *N, v int) { x.Items = append(x.Items, v) }

//reentrycheck:idempotent
func Memo(x *N) { x.Items = append(x.Items[:0], 1) }
`
	useSrc = `package p

import "lib"

func Advance(x *lib.N) { lib.Set(x.Next, 4) }

func Grow(x *lib.N) { lib.Add(x, 1) }

func Cached(x *lib.N) { lib.Memo(x) }
`
)

// Facts carry summaries across packages: a caller in another package
// records a helper's writes below its own parameters, and a helper declared
// idempotent there has no effect.
func TestAcrossPackages(t *testing.T) {
	p := ssatest.ParseWith(t, useSrc, libSrc)
	g, err := checker.Analyze([]*analysis.Analyzer{summary.Analyzer}, []*packages.Package{p.Package()}, &checker.Options{Sequential: true})
	require.NoError(t, err)
	fs := map[string]*summary.Mutates{}
	for _, f := range g.Roots[0].AllObjectFacts() {
		if m, ok := f.Fact.(*summary.Mutates); ok {
			fs[f.Object.Pkg().Name()+"."+ssatest.NameOf(f.Object)] = m
		}
	}
	require.NotNil(t, fs["lib.Set"])
	assert.Equal(t, []effect.Set{{Param: 0, Suffix: ".State", Arg: 1}}, fs["lib.Set"].Sets)
	require.NotNil(t, fs["p.Advance"])
	assert.Equal(t, "overwrites(0) moves(0.Next.State=4)", fs["p.Advance"].String())
	assert.Equal(t, []effect.Set{{Param: 0, Suffix: ".Next.State", Arg: -1, Const: "4"}}, fs["p.Advance"].Sets)
	require.NotNil(t, fs["p.Grow"])
	assert.Equal(t, "clobbers(0)", fs["p.Grow"].String())
	assert.Nil(t, fs["lib.Memo"], "idempotent: no fact")
	assert.Nil(t, fs["p.Cached"], "calling an idempotent helper has no effect")
}

const moreShapes = `package p

//reentrycheck:ioresult
type Result struct{ c *Completion }

//reentrycheck:completion
type Completion struct{ done bool }

type File struct{}

func (f *File) ReadAt(buf []byte) *Completion { return &Completion{} }

func Wait(c *Completion) Result { return Result{c: c} }

type S struct {
	n     int
	state int
	file  *File
	buf   []byte
}

// Outer writes through a closure it calls.
func Outer(s *S) {
	f := func() { s.n++ }
	f()
}

// Submitter submits I/O without waiting.
func Submitter(s *S) { s.file.ReadAt(s.buf) }

// Load submits and yields on what it submitted: submit-style.
func Load(s *S) Result {
	c := s.file.ReadAt(s.buf)
	return Wait(c)
}

type G[T any] struct {
	state int
	v     T
}

func setG[T any](x *G[T]) { x.state = 5 }

// UseG calls an instantiation of a generic helper.
func UseG(x *G[int]) { setG(x) }

type Stater interface{ SetState(v int) }

func (s *S) SetState(v int) { s.state = v }

// ViaStater transitions through an interface.
func ViaStater(i Stater) { i.SetState(7) }
`

func TestMoreShapes(t *testing.T) {
	fs, _ := facts(t, moreShapes)
	str := func(name string) string {
		if m := fs[name]; m != nil {
			return m.String()
		}
		return ""
	}
	assert.Equal(t, "clobbers(0)", str("Outer"), "a closure's writes of captured parameters are the caller's")
	assert.Equal(t, "submits", str("Submitter"))
	assert.Equal(t, "submits submit-style", str("Load"))
	assert.Equal(t, "overwrites(0) moves(0.state=5)", str("setG"))
	assert.Equal(t, []effect.Set{{Param: 0, Suffix: ".state", Arg: -1, Const: "5"}}, sets(fs["setG"]))
	assert.Equal(t, "overwrites(0) moves(0.state=5)", str("UseG"), "an instantiation is summarized by its origin")
	assert.Equal(t, []effect.Set{{Param: 0, Suffix: ".state", Arg: -1, Const: "5"}}, sets(fs["UseG"]))
	assert.Equal(t, "overwrites(0) moves(0.state=arg1)", str("S.SetState"))
	assert.Equal(t, "overwrites(0)", str("ViaStater"))
	assert.Equal(t, []effect.Set{{Param: 0, Suffix: ".state", Arg: -1, Const: "7"}}, sets(fs["ViaStater"]),
		"a transition through an interface method is recorded with the constant argument")
}

const memoShapes = `package p

//reentrycheck:ioresult
type Result struct {
	v []byte
	c *Completion
}

//reentrycheck:completion
type Completion struct{ done bool }

//reentrycheck:done
func Done(v []byte) Result { return Result{v: v} }

func Wait(c *Completion) Result { return Result{c: c} }

type File struct{}

func (f *File) ReadAt(buf []byte) *Completion { return &Completion{} }

type Cache struct {
	f     *File
	pages map[int][]byte
	c     *Completion
	ran   bool
	n     int
}

// Page is a cache: a hit returns at once, a miss records the page before
// its Done.
func (p *Cache) Page(id int) (Result, error) {
	if pg, ok := p.pages[id]; ok {
		return Done(pg), nil
	}
	if p.c == nil {
		p.c = p.f.ReadAt(nil)
	}
	if !p.c.done {
		return Wait(p.c), nil
	}
	p.pages[id] = nil
	p.c = nil
	return Done(nil), nil
}

// Once keeps a done flag.
func (p *Cache) Once() (Result, error) {
	if p.ran {
		return Done(nil), nil
	}
	if p.c == nil {
		p.c = p.f.ReadAt(nil)
	}
	if !p.c.done {
		return Wait(p.c), nil
	}
	p.ran = true
	return Done(nil), nil
}

// Leaky has a Done that does not record the page: the next call reads it
// again.
func (p *Cache) Leaky(id int) (Result, error) {
	if pg, ok := p.pages[id]; ok {
		return Done(pg), nil
	}
	if p.c == nil {
		p.c = p.f.ReadAt(nil)
		return Wait(p.c), nil
	}
	p.c = nil
	return Done(nil), nil
}

// OtherKey records the page under another key than the one it tests.
func (p *Cache) OtherKey(id int) (Result, error) {
	if pg, ok := p.pages[id]; ok {
		return Done(pg), nil
	}
	p.pages[id+1] = nil
	return Done(nil), nil
}

// Armed sets its flag on the way to its yield, not with a Done: the flag
// is progress, not a memo of a result.
func (p *Cache) Armed() (Result, error) {
	if p.ran {
		return Done(nil), nil
	}
	p.ran = true
	return Wait(p.c), nil
}

// Counted counts its hits: a hit is not free.
func (p *Cache) Counted() (Result, error) {
	if p.ran {
		p.n++
		return Done(nil), nil
	}
	p.ran = true
	return Done(nil), nil
}

type Gate struct {
	f    *File
	byID map[int]*Completion
}

// Admit is a get-or-submit gate: a hit hands back the recorded completion,
// a miss records what it submits before handing it out.
func (g *Gate) Admit(id int) (*Completion, error) {
	if c, ok := g.byID[id]; ok {
		return c, nil
	}
	c := g.f.ReadAt(nil)
	g.byID[id] = c
	return c, nil
}

// Forgets hands out a submission it did not record.
func (g *Gate) Forgets(id int) (*Completion, error) {
	if c, ok := g.byID[id]; ok {
		return c, nil
	}
	return g.f.ReadAt(nil), nil
}

// Swaps records one completion and hands out another.
func (g *Gate) Swaps(id int) (*Completion, error) {
	if c, ok := g.byID[id]; ok {
		return c, nil
	}
	g.byID[id] = g.f.ReadAt(nil)
	return g.f.ReadAt(nil), nil
}

// Fresh hits without handing back what it recorded.
func (g *Gate) Fresh(id int) (*Completion, error) {
	if _, ok := g.byID[id]; ok {
		return g.f.ReadAt(nil), nil
	}
	c := g.f.ReadAt(nil)
	g.byID[id] = c
	return c, nil
}
`

// A memoized resumable function returns Done again, with no effect, once
// it has returned Done; the summary says so only when every Done records
// the memo its entry test reads and the hit does nothing.
func TestMemoized(t *testing.T) {
	fs, _ := facts(t, memoShapes)
	memo := func(name string) bool {
		require.NotNil(t, fs[name], name)
		return fs[name].Memoized
	}
	assert.True(t, memo("Cache.Page"), "a map memo keyed by the parameter")
	assert.True(t, memo("Cache.Once"), "a done flag")
	assert.False(t, memo("Cache.Leaky"), "a Done that leaves the memo unset")
	assert.False(t, memo("Cache.OtherKey"), "the memo written under another key")
	assert.False(t, memo("Cache.Counted"), "a hit with an effect")
	assert.False(t, memo("Cache.Armed"), "a flag set before a yield, with no Done recording it")
}

// A get-or-submit gate (not resumable, returns a completion) is memoized
// when its hit hands back the recorded completion and every completion it
// hands out is the one it recorded under the tested key.
func TestMemoizedGate(t *testing.T) {
	fs, _ := facts(t, memoShapes)
	memo := func(name string) bool {
		require.NotNil(t, fs[name], name)
		return fs[name].Memoized
	}
	assert.True(t, memo("Gate.Admit"), "records its submission before handing it out")
	assert.False(t, memo("Gate.Forgets"), "a submission handed out unrecorded")
	assert.False(t, memo("Gate.Swaps"), "records one completion, hands out another")
	assert.False(t, memo("Gate.Fresh"), "the hit submits afresh")
}
