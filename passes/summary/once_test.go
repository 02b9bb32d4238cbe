package summary

import (
	"fmt"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/ssa"
)

const createShapes = `package p

type S struct {
	m     map[string]*int
	other map[string]*int
	set   map[string]bool
	n     int
	log   []string
	ready bool
	buf   []int
	p     *int
}

func newP() *int { return nil }

func (s *S) LazyFlag() {
	if !s.ready {
		s.n++
		s.ready = true
	}
}

func (s *S) LazyFlagEarly() {
	if s.ready {
		return
	}
	s.ready = true
	s.log = append(s.log, "init")
}

func (s *S) LazyNil() {
	if s.buf == nil {
		s.buf = make([]int, 4)
		s.n++
	}
}

func (s *S) LazyPtr() *int {
	if s.p != nil {
		return s.p
	}
	s.n++
	s.p = new(int)
	return s.p
}

func (s *S) Consume() {
	if s.ready {
		s.ready = false
		s.n++
	}
}

func (s *S) ConsumeBuf() {
	if s.buf != nil {
		s.log = append(s.log, "taken")
		s.buf = nil
	}
}

func (s *S) Rearmed() {
	if !s.ready {
		s.ready = true
		s.n++
		s.ready = false
	}
}

func (s *S) NilFromCall() {
	if s.p == nil {
		s.n++
		s.p = newP()
	}
}

func (s *S) EvictThenInsert(k, old string) {
	if _, ok := s.m[k]; !ok {
		delete(s.m, old)
		s.m[k] = new(int)
	}
}

func (s *S) InsertThenDelete(k string) {
	if _, ok := s.m[k]; !ok {
		s.m[k] = new(int)
		s.n++
		delete(s.m, k)
	}
}

func (s *S) CommaOk(k string) *int {
	v, ok := s.m[k]
	if !ok {
		s.n++
		v = new(int)
		s.m[k] = v
	}
	return v
}

func (s *S) EarlyHit(k string) *int {
	if v, ok := s.m[k]; ok {
		return v
	}
	s.n++
	v := new(int)
	s.m[k] = v
	s.log = append(s.log, k)
	return v
}

func (s *S) NilTest(k string) *int {
	v := s.m[k]
	if v == nil {
		s.n++
		v = new(int)
		s.m[k] = v
	}
	return v
}

func (s *S) NotNilTest(k string) *int {
	v := s.m[k]
	if v != nil {
		return v
	}
	s.n++
	v = new(int)
	s.m[k] = v
	return v
}

func (s *S) BoolSet(k string) {
	if !s.set[k] {
		s.n++
		s.set[k] = true
	}
}

func (s *S) BoolSetHit(k string) {
	if s.set[k] {
		return
	}
	s.n++
	s.set[k] = true
}

func (s *S) OtherKey(k, j string) *int {
	v, ok := s.m[k]
	if !ok {
		s.n++
		v = new(int)
		s.m[j] = v
	}
	return v
}

func (s *S) OtherMap(k string) *int {
	v, ok := s.m[k]
	if !ok {
		s.n++
		v = new(int)
		s.other[k] = v
	}
	return v
}

func (s *S) NotEveryPath(k string, keep bool) *int {
	v, ok := s.m[k]
	if !ok {
		s.n++
		v = new(int)
		if keep {
			s.m[k] = v
		}
	}
	return v
}

func (s *S) PresentBranch(k string) *int {
	v, ok := s.m[k]
	if ok {
		s.n++
		s.m[k] = v
	}
	return v
}

func (s *S) Unrelated(k string) {
	if s.n > 3 {
		s.n++
		s.m[k] = nil
	}
}
`

// createdWrites returns, for each store and map update of fn, whether
// createOnce puts it in a creating branch.
func createdWrites(t *testing.T, p *ssatest.Prog, name string) (marked, unmarked int) {
	t.Helper()
	fn := p.Func(t, name)
	once := createOnce(fn, persist.NewTracer(fn), nil)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr.(type) {
			case *ssa.Store, *ssa.MapUpdate:
			default:
				continue
			}
			if once != nil && once[b.Index] {
				marked++
			} else {
				unmarked++
			}
		}
	}
	return marked, unmarked
}

// The creating branch of a get-or-create or a lazy initialization is
// marked in every spelling of its guard; a branch that may leave the key
// missing, inserts another key or into another map, runs when the key is
// present, consumes a flag or a value, re-arms its guard, or stores what
// may be nil is not.
func TestCreateOnce(t *testing.T) {
	p := ssatest.Build(t, createShapes)
	for _, name := range []string{"S.CommaOk", "S.EarlyHit", "S.NilTest", "S.NotNilTest", "S.BoolSet", "S.BoolSetHit",
		"S.LazyFlag", "S.LazyFlagEarly", "S.LazyNil", "S.LazyPtr", "S.EvictThenInsert"} {
		marked, unmarked := createdWrites(t, p, name)
		assert.Positive(t, marked, name)
		assert.Zero(t, unmarked, "%s: every write is in the creating branch", name)
	}
	for _, name := range []string{"S.OtherKey", "S.OtherMap", "S.NotEveryPath", "S.PresentBranch", "S.Unrelated",
		"S.Consume", "S.ConsumeBuf", "S.Rearmed", "S.NilFromCall", "S.InsertThenDelete"} {
		marked, _ := createdWrites(t, p, name)
		assert.Zero(t, marked, name)
	}
}

// Past maxCreateGuards the remaining guards are not trusted, nor past a
// budget of comparisons linear in the function: the marks stay bounded by
// a fixed amount of work per instruction on unusual code.
func TestCreateOnceIsBounded(t *testing.T) {
	n := maxCreateGuards + 8
	src := "package p\n\ntype S struct {\n"
	for i := 0; i < n; i++ {
		src += fmt.Sprintf("\tm%d map[int]int\n", i)
	}
	src += "}\n\nfunc (s *S) Many(k int) {\n"
	for i := 0; i < n; i++ {
		src += fmt.Sprintf("\tif _, ok := s.m%d[k]; !ok {\n\t\ts.m%d[k] = 1\n\t}\n", i, i)
	}
	src += "}\n\nfunc (s *S) Same(k int) {\n"
	for i := 0; i < n; i++ {
		src += "\tif _, ok := s.m0[k]; !ok {\n\t\ts.m0[k] = 1\n\t}\n\tk++\n"
	}
	src += "}\n"
	p := ssatest.Build(t, src)
	marked, unmarked := createdWrites(t, p, "S.Many")
	assert.Equal(t, maxCreateGuards, marked, "one insert per trusted guard")
	assert.Equal(t, 8, unmarked)
	marked, unmarked = createdWrites(t, p, "S.Same")
	assert.Positive(t, marked, "the first guards fit the budget")
	assert.Positive(t, unmarked, "guards that each compare every write of one map run out of it")
	assert.Equal(t, n, marked+unmarked)
}

// A location is changed by a write of itself or of any location above it,
// at a selector boundary.
func TestChanges(t *testing.T) {
	assert.Equal(t, []string{"e.net.state", "e.net", "e"}, pathAndPrefixes("e.net.state"))
	assert.Equal(t, []string{"s.pages[].n", "s.pages[]", "s.pages", "s"}, pathAndPrefixes("s.pages[].n"))
	loc := func(p string) persist.Loc { return persist.Loc{Path: p} }
	assert.True(t, changes(loc("e.net.state"), "e.net.state"))
	assert.True(t, changes(loc("e.net"), "e.net.state"), "the object the state is in is replaced")
	assert.True(t, changes(loc("e"), "e.net.state"))
	assert.False(t, changes(loc("e.ne"), "e.net.state"), "a prefix of the name is another field")
	assert.False(t, changes(loc("e.ident"), "e.net.state"))
}
