package effect_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
)

const src = `package p

//reentrycheck:ioresult
type Result struct{ c *Completion }

//reentrycheck:completion
type Completion struct{ done bool }

// Finish writes its completion's receiver.
func (c *Completion) Finish() { c.done = true }

//reentrycheck:done
func Done() Result { return Result{} }

type Cursor struct{ pos int }

func (c *Cursor) Next() Result { return Result{} }

//reentrycheck:done
func (c *Cursor) Close() Result { return Result{} }

type File struct{}

func (f *File) Read() *Completion { return &Completion{} }

type I interface{ M(x *S) }

type S struct {
	items []int
	buf   []byte
	m     map[string]int
	ch    chan int
	p     *S
	sub   *S
	cur   *Cursor
	file  *File
	c     *Completion
	name  string
	n     int
	x     int
	state int
}

var G S

func val() int { return 0 }

func Append(s *S, v int) { s.items = append(s.items, v) }
func Inc(s *S)           { s.n++ }
func Dec(s *S)           { s.n -= 2 }
func Scale(s *S)         { s.x = s.x * 3 }
func BlindConst(s *S)    { s.x = 1 }
func BlindParam(s *S, v int) { s.x = v }
func ResetSlice(s *S)    { s.buf = s.buf[:0] }
func ResetClear(s *S)    { clear(s.m) }
func ResetNil(s *S)      { s.p = nil }
func ResetMake(s *S)     { s.m = make(map[string]int) }
func Restore(s *S) {
	saved := s.x
	s.x = 5
	s.x = saved
}
func RestoreOther(s *S) {
	saved := s.n
	s.x = saved
}
func MapConst(s *S)         { s.m["k"] = 1 }
func MapParam(s *S, k string) { s.m[k] = 2 }
func MapMutableKey(s *S)    { s.m[s.name] = 3 }
func MapMutableVal(s *S)    { s.m["k"] = val() }
func MapInput(s *S, in *S)  { s.m["k"] = in.n + len(in.items) }
func MapInputWritten(s *S, in *S) {
	in.x = 1
	s.m["k"] = in.n
}
func MapInputAppended(s *S, in *S) {
	in.items = append(in.items, 1)
	s.m["k"] = in.n
}
func ElemConst(s *S)        { s.items[0] = 1 }
func ElemMutable(s *S)      { s.items[s.n] = 1 }
func DeleteConst(s *S)      { delete(s.m, "k") }
func Send(s *S)             { s.ch <- 1 }
func Close(s *S)            { close(s.ch) }
func Local(v int) int {
	t := &S{}
	t.items = append(t.items, v)
	t.n++
	t.m = map[string]int{}
	t.m["k"] = v
	return t.n
}
func Global() { G.n++ }
func Submit(s *S) *Completion { return s.file.Read() }
func Repoll(s *S) Result { return s.cur.Next() }
func DoneCall(s *S) Result { return s.cur.Close() }
func Read(s *S) int { return s.x + 1 }
func Test(s *S) int {
	if s.x == 1 {
		return 1
	}
	return 0
}
func Deferred(s *S) {
	sub := s.sub
	defer func() { s.sub = sub }()
	s.sub = nil
}
`

// effects classifies every instruction of name in order.
func effects(t *testing.T, p *ssatest.Prog, o effect.Oracle, name string, forSummary bool) []effect.Effect {
	t.Helper()
	fn := p.Func(t, name)
	c := effect.New(fn, o)
	c.ForSummary = forSummary
	var out []effect.Effect
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, e := range c.Of(instr) {
				require.Same(t, instr, e.Instr, "an effect names its instruction")
				out = append(out, e)
			}
		}
	}
	return out
}

var kindNames = map[effect.Kind]string{
	effect.Clobber: "clobber", effect.Blind: "blind", effect.Reset: "reset", effect.Restore: "restore",
	effect.Submit: "submit", effect.Repoll: "repoll", effect.Read: "read",
}

// spell renders effects as "kind path" lines, which the tables compare.
func spell(es []effect.Effect) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, kindNames[e.Kind]+" "+e.Loc.Path)
	}
	return out
}

// reads keeps the Read effects of es, spelled.
func reads(es []effect.Effect) []string {
	out := []string{}
	for _, e := range es {
		if e.Kind == effect.Read {
			out = append(out, e.Loc.Path)
		}
	}
	return out
}

// Writes, as summaries see them (ForSummary: no reads, no re-pollable calls).
func TestStores(t *testing.T) {
	p := ssatest.Build(t, src)
	o := ssatest.NewOracle(p)
	for _, tc := range []struct {
		fn   string
		want []string
		what string // the last effect's description, if checked
	}{
		{"Append", []string{"clobber s.items"}, "appends to s.items"},
		{"Inc", []string{"clobber s.n"}, "increments s.n"},
		{"Dec", []string{"clobber s.n"}, "decrements s.n"},
		{"Scale", []string{"clobber s.x"}, "updates s.x from its old value"},
		{"BlindConst", []string{"blind s.x"}, "overwrites s.x"},
		{"BlindParam", []string{"blind s.x"}, ""},
		{"ResetSlice", []string{"reset s.buf"}, "resets s.buf"},
		{"ResetClear", []string{"reset s.m"}, "clears s.m"},
		{"ResetNil", []string{"reset s.p"}, ""},
		{"ResetMake", []string{"reset s.m"}, ""},
		{"Restore", []string{"blind s.x", "restore s.x"}, "restores s.x"},
		{"RestoreOther", []string{"blind s.x"}, ""},
		{"MapConst", []string{"blind s.m[]"}, "inserts into s.m"},
		{"MapParam", []string{"blind s.m[]"}, ""},
		{"MapMutableKey", []string{"clobber s.m[]"}, ""},
		{"MapMutableVal", []string{"clobber s.m[]"}, ""},
		// What is read through a parameter nothing writes through (len
		// only reads) is the call's input: a blind insert. Written
		// through, it is state.
		{"MapInput", []string{"blind s.m[]"}, ""},
		{"MapInputWritten", []string{"blind in.x", "clobber s.m[]"}, ""},
		{"MapInputAppended", []string{"clobber in.items", "clobber s.m[]"}, ""},
		{"ElemConst", []string{"blind s.items[]"}, "stores into an element of s.items"},
		{"ElemMutable", []string{"clobber s.items[]"}, ""},
		{"DeleteConst", []string{"blind s.m[]"}, "deletes from s.m"},
		{"Send", []string{"clobber s.ch"}, "sends on s.ch"},
		{"Close", []string{"clobber s.ch"}, "closes s.ch"},
		{"Local", []string{}, ""},
		{"Global", []string{"clobber G.n"}, "increments G.n"},
		{"Read", []string{}, ""},
		{"Test", []string{}, ""},
	} {
		t.Run(tc.fn, func(t *testing.T) {
			es := effects(t, p, o, tc.fn, true)
			assert.Equal(t, tc.want, spell(es))
			if tc.what != "" && len(es) > 0 {
				assert.Equal(t, tc.what, es[len(es)-1].What())
			}
			for _, e := range es {
				assert.True(t, e.Loc.Root.Persistent(), "%s", e.Loc.Path)
				assert.False(t, e.Defer)
			}
		})
	}
}

// A load of persistent state is a read when its value is used as data, not
// when it is only tested or only written back to the same location.
func TestReads(t *testing.T) {
	p := ssatest.Build(t, src)
	o := ssatest.NewOracle(p)
	for fn, want := range map[string][]string{
		"Read":          {"s.x"},
		"Test":          {},
		"Inc":           {},
		"Append":        {},
		"ResetSlice":    {},
		"Restore":       {},
		"RestoreOther":  {"s.n"},
		"MapMutableKey": {"s.m", "s.name"},
		"Local":         {},
	} {
		assert.Equal(t, want, reads(effects(t, p, o, fn, false)), fn)
	}
}

func TestCalls(t *testing.T) {
	p := ssatest.Build(t, src)
	o := ssatest.NewOracle(p)

	es := effects(t, p, o, "Submit", true)
	require.Len(t, es, 1, "%v", spell(es))
	assert.Equal(t, effect.Submit, es[0].Kind)
	assert.Equal(t, "Read", es[0].Callee.Name())

	es = effects(t, p, o, "Repoll", false)
	es = slices.DeleteFunc(es, func(e effect.Effect) bool { return e.Kind == effect.Read })
	require.Len(t, es, 1, "%v", spell(es))
	assert.Equal(t, effect.Repoll, es[0].Kind)
	assert.Equal(t, "s.cur", es[0].Loc.Path, "a re-pollable call names its receiver")
	assert.Equal(t, "calls s.cur.Next", es[0].What())
	assert.Empty(t, effects(t, p, o, "Repoll", true), "summaries ignore re-pollable calls")
	assert.Empty(t, slices.DeleteFunc(effects(t, p, o, "DoneCall", false), func(e effect.Effect) bool { return e.Kind == effect.Read }), "a done callee is not re-pollable")
	assert.Equal(t, []string{"s.cur"}, reads(effects(t, p, o, "DoneCall", false)), "... only its receiver is read")
}

// A deferred closure's blind write of a captured location restores it at
// every return.
func TestDeferredRestore(t *testing.T) {
	p := ssatest.Build(t, src)
	es := effects(t, p, ssatest.NewOracle(p), "Deferred", false)
	var restores []effect.Effect
	for _, e := range es {
		if e.Kind == effect.Restore {
			restores = append(restores, e)
		}
	}
	require.Len(t, restores, 1, "%v", spell(es))
	assert.True(t, restores[0].Defer)
	assert.Equal(t, "s.sub", restores[0].Loc.Path)
	assert.Equal(t, persist.Param, restores[0].Loc.Root.Kind)
}

const callSrc = `package p

type T struct {
	a, b *T
	n    int
	st   int
}

//reentrycheck:completion
type Completion struct{ done bool }

func (c *Completion) Finish() { c.done = true }

type I interface{ M(x *T) }

var G T

func helper(x, y *T)  {}
func global()         {}
func submits()        {}
func setState(x *T)   {}
func setArg(x *T, v int) {}

//reentrycheck:idempotent
func memo(x *T) {}

func Args(s *T) {
	helper(s.a, s.b)
	helper(&T{}, s)
}
func Globals(s *T)      { global() }
func Submits(s *T)      { submits() }
func Idem(s *T)         { memo(s) }
func Invoke(s *T, i I)  { i.M(s.a) }
func Complete(s *T, c *Completion) { c.Finish() }
func Closure(s *T) {
	f := func() { s.n = 1 }
	f()
}
func Helper(s *T, v int) {
	setState(s.a)
	setArg(s.b, v)
	setState(&T{})
	setState(s.a.a.a.a.a.a)
}
`

// Callee summaries are mapped onto the caller's arguments: a clobbered or
// overwritten parameter becomes a write of the argument's location.
func TestSummariesOnArguments(t *testing.T) {
	p := ssatest.Build(t, callSrc)
	o := ssatest.NewOracle(p)
	o.Sums["helper"] = &effect.Summary{Clobber: effect.Bits(0).With(0), Blind: effect.Bits(0).With(1), What: "bumps x.n", WhatVerb: effect.VerbIncrements}
	o.Sums["global"] = &effect.Summary{Globals: true}
	o.Sums["submits"] = &effect.Summary{Submits: true}
	o.Sums["memo"] = &effect.Summary{Clobber: 1}
	o.Sums["I.M"] = &effect.Summary{Blind: effect.Bits(0).With(1)}
	o.Sums["Completion.Finish"] = &effect.Summary{Blind: 1}
	o.Sums["Closure$1"] = &effect.Summary{FreeBlind: 1}

	es := effects(t, p, o, "Args", true)
	assert.Equal(t, []string{"clobber s.a", "blind s.b", "blind s"}, spell(es), "fresh arguments are dropped")
	assert.Equal(t, "calls p.helper, which mutates s.a (helper bumps x.n)", es[0].What())
	assert.Equal(t, "helper", es[0].Callee.Name())

	assert.Equal(t, []string{"clobber package state"}, spell(effects(t, p, o, "Globals", true)))
	es = effects(t, p, o, "Submits", true)
	require.Len(t, es, 1)
	assert.Equal(t, effect.Submit, es[0].Kind)
	assert.Empty(t, effects(t, p, o, "Idem", true), "an idempotent callee has no effect")
	assert.Equal(t, []string{"blind s.a"}, spell(effects(t, p, o, "Invoke", true)), "the receiver is parameter 0 of an interface call")
	assert.Equal(t, []string{"clobber c"}, spell(effects(t, p, o, "Complete", true)), "completing twice is not idempotent")
	assert.Equal(t, []string{"blind s"}, spell(effects(t, p, o, "Closure", true)), "a closure's free variables map onto its bindings")
}

func TestHelperSets(t *testing.T) {
	p := ssatest.Build(t, callSrc)
	o := ssatest.NewOracle(p)
	o.Sums["setState"] = &effect.Summary{Blind: 1, Sets: []effect.Set{{Param: 0, Suffix: ".st", Arg: -1, Const: "2"}}}
	o.Sums["setArg"] = &effect.Summary{Blind: 1, Sets: []effect.Set{{Param: 0, Suffix: ".st", Arg: 1}}}
	fn := p.Func(t, "Helper")
	c := effect.New(fn, o)
	var got []string
	for _, call := range ssatest.Instrs[*ssa.Call](fn) {
		for _, m := range c.HelperSets(&call.Call) {
			v := m.Const
			if m.Val != nil {
				v = "arg " + m.Val.Name()
			}
			got = append(got, fmt.Sprintf("%s=%s", m.Loc.Path, v))
			assert.False(t, m.Loc.Collapsed)
		}
	}
	// The fresh argument and the one past the path bound record nothing.
	assert.Equal(t, []string{"s.a.st=2", "s.b.st=arg v"}, got)

	o.Sums["setState"].SetsOverflow = true
	got = nil
	for _, call := range ssatest.Instrs[*ssa.Call](fn) {
		for _, m := range c.HelperSets(&call.Call) {
			got = append(got, m.Loc.Path)
		}
	}
	assert.Equal(t, []string{"s.b.st"}, got, "an overflowing summary's sets are not trusted")
}

func TestAddSet(t *testing.T) {
	var sets []effect.Set
	for i := effect.MaxSets - 1; i >= 0; i-- {
		next, over := effect.AddSet(sets, effect.Set{Param: i % 2, Suffix: fmt.Sprintf(".f%d", i), Arg: -1})
		require.False(t, over)
		require.Len(t, next, len(sets)+1)
		sets = next
	}
	assert.True(t, sort.SliceIsSorted(sets, func(i, j int) bool {
		if sets[i].Param != sets[j].Param {
			return sets[i].Param < sets[j].Param
		}
		return sets[i].Suffix < sets[j].Suffix
	}), "%v", sets)
	again, over := effect.AddSet(sets, sets[3])
	assert.False(t, over, "a duplicate never overflows")
	assert.Equal(t, sets, again)
	before := append([]effect.Set(nil), sets...)
	full, over := effect.AddSet(sets, effect.Set{Param: 9, Suffix: ".z", Arg: -1})
	assert.True(t, over)
	assert.Equal(t, before, full, "overflow returns the sets unchanged")
	assert.Equal(t, before, sets, "AddSet never modifies its argument")
}

const lockSrc = `package p

type RWMutex struct{ w, r int }

func (m *RWMutex) Lock()          { m.w++ }
func (m *RWMutex) Unlock()        { m.w-- }
func (m *RWMutex) RLock()         { m.r++ }
func (m *RWMutex) RUnlock()       { m.r-- }
func (m *RWMutex) DowngradeLock() { m.w--; m.r++ }
func (m *RWMutex) Count() int     { return m.w }

func use(m *RWMutex) {
	m.RLock()
	m.RUnlock()
	m.Lock()
	m.DowngradeLock()
	_ = m.Count()
}
`

// A lock's methods are known by their names on a type with Lock and
// Unlock; DowngradeLock keeps the lock held, as an acquisition does.
func TestLockMethods(t *testing.T) {
	p := ssatest.Build(t, lockSrc)
	got := map[string][2]bool{}
	for _, b := range p.SSA.Func("use").Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				lock, unlock := effect.LockMethod(call.Common())
				got[call.Common().StaticCallee().Name()] = [2]bool{lock, unlock}
			}
		}
	}
	assert.Equal(t, map[string][2]bool{
		"RLock": {true, false}, "RUnlock": {false, true}, "Lock": {true, false},
		"DowngradeLock": {true, false}, "Count": {false, false},
	}, got)
}

const memoSrc = `package p

type T struct {
	n     int
	items []int
}

func key(k int) int { return k + 1 }

func F(t *T, k int) {
	t.n++
	t.items[key(3)] = 1
}
`

// A memo shares the classification of a store that asked the oracle
// nothing (t.n++: the same slice, not classified again), and only that: a
// store keyed by a call asks whether the callee is pure, so a classifier
// with another oracle classifies it again, and its answer may differ.
func TestMemoSharesOracleFreeStores(t *testing.T) {
	p := ssatest.Build(t, memoSrc)
	fn := p.Func(t, "F")
	stores := ssatest.Instrs[*ssa.Store](fn)
	require.Len(t, stores, 2)
	inc, elem := stores[0], stores[1]

	pure := ssatest.NewOracle(p)
	pure.Sums["key"] = &effect.Summary{}
	impure := ssatest.NewOracle(p)
	impure.Sums["key"] = &effect.Summary{Globals: true}

	m := effect.NewMemo(fn)
	first := effect.NewFromMemo(m, fn, pure)
	incFirst, elemFirst := first.Of(inc), first.Of(elem)
	assert.Equal(t, []string{"clobber t.n"}, spell(incFirst))
	assert.Equal(t, []string{"blind t.items[]"}, spell(elemFirst), "a pure callee: the same key on re-entry")

	second := effect.NewFromMemo(m, fn, impure)
	incSecond, elemSecond := second.Of(inc), second.Of(elem)
	require.Len(t, incSecond, 1)
	assert.Same(t, &incFirst[0], &incSecond[0], "asked nothing: shared")
	assert.Equal(t, []string{"clobber t.items[]"}, spell(elemSecond), "asked the oracle: classified again")
	assert.Same(t, m.Tracer, second.Tracer)

	// Without a memo, each classifier classifies every store.
	fresh := effect.New(fn, pure)
	assert.NotSame(t, &incFirst[0], &fresh.Of(inc)[0])
}
