package persist_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
	"pgregory.net/rapid"
)

const rootsSrc = `package p

type S struct {
	items []int
	m     map[string]int
	sub   *S
	arr   [4]E
	x     int
}

type E struct{ x int }

var G S

func mk() *S { return &S{} }

func Roots(s *S, t *S) {
	s.items = nil
	t.x = 1
	local := &S{}
	local.x = 2
	G.x = 3
	r := mk()
	r.x = 4
	s.sub.sub.x = 5
	s.items[0] = 6
	s.arr[1].x = 7
}

func Closure(s *S) func() {
	return func() { s.x = 8 }
}

func Choose(s *S, c bool) {
	p := &S{}
	if c {
		p = s
	}
	p.x = 9
}

func Fresh(c bool) {
	p := &S{}
	if c {
		p = &S{}
	}
	p.x = 10
}
`

// storeLocs traces the address of every store of fn, in order.
func storeLocs(fn *ssa.Function) []persist.Loc {
	tr := persist.NewTracer(fn)
	var out []persist.Loc
	for _, st := range ssatest.Instrs[*ssa.Store](fn) {
		if _, cell := st.Addr.(*ssa.Alloc); cell {
			continue // a local variable's cell, or a new object's field
		}
		out = append(out, tr.Of(st.Addr))
	}
	return out
}

func TestRoots(t *testing.T) {
	p := ssatest.Build(t, rootsSrc)
	type want struct {
		path  string
		kind  persist.Kind
		index int
		steps int
	}
	locs := storeLocs(p.Func(t, "Roots"))
	var got []want
	for _, l := range locs {
		w := want{l.Path, l.Root.Kind, l.Root.Index, l.Steps}
		if l.Root.Kind == persist.Unknown {
			w.path = "" // a call result: its path is an SSA register name
		}
		got = append(got, w)
		assert.Equal(t, l.Root.Kind == persist.Param || l.Root.Kind == persist.Global, l.Root.Persistent(), "%s", l.Path)
	}
	assert.Equal(t, []want{
		{"s.items", persist.Param, 0, 1},
		{"t.x", persist.Param, 1, 1},
		{"complit.x", persist.Fresh, 0, 1}, // named after the allocation
		{"G.x", persist.Global, 0, 1},
		{"", persist.Unknown, 0, 1},
		{"s.sub.sub.x", persist.Param, 0, 3},
		{"s.items[]", persist.Param, 0, 2},
		{"s.arr[].x", persist.Param, 0, 3},
	}, got)
}

func TestFreeVar(t *testing.T) {
	p := ssatest.Build(t, rootsSrc)
	locs := storeLocs(p.Func(t, "Closure$1"))
	require.Len(t, locs, 1)
	assert.Equal(t, persist.FreeVar, locs[0].Root.Kind)
	assert.True(t, locs[0].Root.Persistent())
	assert.Equal(t, "s.x", locs[0].Path)
}

// A phi of a fresh object and a parameter may be the parameter: it is
// persistent. A phi of fresh objects is fresh.
func TestPhi(t *testing.T) {
	p := ssatest.Build(t, rootsSrc)
	locs := storeLocs(p.Func(t, "Choose"))
	require.Len(t, locs, 1)
	assert.Equal(t, persist.Param, locs[0].Root.Kind)
	assert.Equal(t, "s.x", locs[0].Path)

	locs = storeLocs(p.Func(t, "Fresh"))
	require.Len(t, locs, 1)
	assert.Equal(t, persist.Fresh, locs[0].Root.Kind)
	assert.False(t, locs[0].Root.Persistent())
}

// chainSrc returns a function storing to .v through n hops below its
// parameter, every third hop through a slice element (two selectors), with
// the path it writes and its number of selectors.
func chainSrc(n int) (src, path string, steps int) {
	expr, p := "s", "s"
	for i := 0; i < n; i++ {
		if i%3 == 2 {
			expr += ".list[0]"
			p += ".list[]"
			steps += 2
			continue
		}
		expr += ".next"
		p += ".next"
		steps++
	}
	return fmt.Sprintf(`package p

type N struct {
	next *N
	list []*N
	v    int
}

func F(s *N) { %s.v = 1 }
`, expr), p + ".v", steps + 1
}

// Chains longer than MaxSteps collapse onto their prefix of MaxSteps
// selectors; shorter ones are spelled in full.
func TestChainBound(t *testing.T) {
	for n := 0; n <= persist.MaxSteps+2; n++ {
		src, path, steps := chainSrc(n)
		p := ssatest.Build(t, src)
		locs := storeLocs(p.Func(t, "F"))
		require.Len(t, locs, 1)
		l := locs[0]
		assert.Equal(t, persist.Param, l.Root.Kind)
		if steps > persist.MaxSteps {
			assert.True(t, l.Collapsed, "%d steps: %s", steps, l.Path)
			assert.Equal(t, persist.MaxSteps, l.Steps)
			assert.True(t, strings.HasPrefix(path, l.Path), "%s is not a prefix of %s", l.Path, path)
			assert.Equal(t, persist.MaxSteps, persist.SuffixSteps(strings.TrimPrefix(l.Path, "s")))
		} else {
			assert.False(t, l.Collapsed, "%d steps: %s", steps, l.Path)
			assert.Equal(t, steps, l.Steps, l.Path)
			assert.Equal(t, path, l.Path)
		}
	}
}

func TestCollapsedPrefix(t *testing.T) {
	l := persist.Loc{Root: persist.Root{Kind: persist.Param}, Path: "s"}
	for i := 0; i < persist.MaxSteps; i++ {
		l = l.Field("a")
	}
	assert.False(t, l.Collapsed)
	assert.Equal(t, "s"+strings.Repeat(".a", persist.MaxSteps), l.Path)
	c := l.Elem().Field("b")
	assert.True(t, c.Collapsed)
	assert.Equal(t, l.Path, c.Path, "a collapsed path names the prefix")
	assert.Equal(t, persist.MaxSteps, c.Steps)
	assert.Equal(t, c, c.Below(".x[].y"), "a collapsed path stays where it is")
}

// step is one selector: a field name, or "" for an element.
func genSteps() *rapid.Generator[[]string] {
	return rapid.SliceOfN(rapid.SampledFrom([]string{"", "a", "b", "sub", "items", "x1"}), 0, 3*persist.MaxSteps)
}

// Below(suffix) equals the stepwise Field/Elem application, never exceeds
// MaxSteps, collapses exactly when the suffix is longer, and keeps the
// longest prefix that fits.
func TestBelowProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix := genSteps().Draw(t, "prefix")
		steps := genSteps().Draw(t, "steps")
		base := persist.Loc{Root: persist.Root{Kind: persist.Param, Index: 1}, Path: "s"}
		base = apply(base, prefix)
		suffix := spell(steps)
		got := base.Below(suffix)
		want := apply(base, steps)
		if got != want {
			t.Fatalf("Below(%q) = %+v, stepwise %+v", suffix, got, want)
		}
		total := len(prefix) + len(steps)
		if got.Steps > persist.MaxSteps {
			t.Fatalf("%d steps: %+v", got.Steps, got)
		}
		if got.Collapsed != (total > persist.MaxSteps) {
			t.Fatalf("collapsed=%v after %d steps", got.Collapsed, total)
		}
		all := append(append([]string(nil), prefix...), steps...)
		if total > persist.MaxSteps {
			all = all[:persist.MaxSteps]
		}
		if got.Path != "s"+spell(all) || got.Steps != len(all) {
			t.Fatalf("path %q (%d steps), want %q", got.Path, got.Steps, "s"+spell(all))
		}
		if got.Root != base.Root {
			t.Fatalf("root changed: %+v", got.Root)
		}
		if n := persist.SuffixSteps(suffix); n != min(len(steps), persist.MaxSteps) {
			t.Fatalf("SuffixSteps(%q) = %d", suffix, n)
		}
	})
}

func apply(l persist.Loc, steps []string) persist.Loc {
	for _, s := range steps {
		if s == "" {
			l = l.Elem()
		} else {
			l = l.Field(s)
		}
	}
	return l
}

func spell(steps []string) string {
	var b strings.Builder
	for _, s := range steps {
		if s == "" {
			b.WriteString("[]")
		} else {
			b.WriteString("." + s)
		}
	}
	return b.String()
}

const lookupSrc = `package p

type S struct {
	m     map[string]*S
	items []*S
	x     int
}

func Lookup(s *S)     { v := s.m["k"]; v.x = 1 }
func RangeSlice(s *S) { for _, v := range s.items { v.x = 1 } }
func LookupOK(s *S) {
	if v, ok := s.m["k"]; ok {
		v.x = 1
	}
}
func RangeMap(s *S) {
	for _, v := range s.m {
		v.x = 1
	}
}
`

// Values taken out of a persistent map or slice denote persistent objects.
func TestElements(t *testing.T) {
	p := ssatest.Build(t, lookupSrc)
	for fn, want := range map[string]string{"Lookup": "s.m[].x", "RangeSlice": "s.items[].x"} {
		locs := storeLocs(p.Func(t, fn))
		require.Len(t, locs, 1, fn)
		assert.Equal(t, persist.Param, locs[0].Root.Kind, fn)
		assert.Equal(t, want, locs[0].Path, fn)
	}
}

// The comma-ok lookup and the map range take the same values as Lookup.
func TestElementsCommaOkAndMapRange(t *testing.T) {
	p := ssatest.Build(t, lookupSrc)
	for _, fn := range []string{"LookupOK", "RangeMap"} {
		locs := storeLocs(p.Func(t, fn))
		require.Len(t, locs, 1, fn)
		assert.Equal(t, persist.Param, locs[0].Root.Kind, fn)
		assert.Equal(t, "s.m[].x", locs[0].Path, fn)
	}
}
