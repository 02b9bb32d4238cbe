package ssax_test

import (
	"fmt"
	"go/constant"
	"go/token"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/ssa"
)

const sameLoadsSrc = `package p

type S struct{ ret, other int }

func write(s *S) { s.ret = 1 }

// Plain reads s.ret in both tests of the && and in the return.
func Plain(s *S) int {
	if s.ret != 1 && s.ret != 2 {
		return s.ret
	}
	return 0
}

// Stored writes the field between the test and the return.
func Stored(s *S) int {
	if s.ret != 1 {
		s.ret = 3
		return s.ret
	}
	return 0
}

// Other writes another field: the read still holds.
func Other(s *S) int {
	if s.ret != 1 {
		s.other = 3
		return s.ret
	}
	return 0
}

// Called calls something that may write it.
func Called(s *S) int {
	if s.ret != 1 {
		write(s)
		return s.ret
	}
	return 0
}

// Alias writes the whole struct through another pointer.
func Alias(s, t *S) int {
	if s.ret != 1 {
		*t = S{}
		return s.ret
	}
	return 0
}

// Merge reads it after a merge of paths, one of which writes it.
func Merge(s *S, c bool) int {
	x := s.ret
	if c {
		s.ret = 4
	}
	return x + s.ret
}
`

// lastLoad returns the load of field ret that a return or an addition
// uses (the read whose earlier twins are asked for).
func lastLoad(t *testing.T, fn *ssa.Function) *ssa.UnOp {
	t.Helper()
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			var ops []ssa.Value
			switch in := in.(type) {
			case *ssa.Return:
				ops = in.Results
			case *ssa.BinOp:
				if in.Op == token.ADD {
					ops = []ssa.Value{in.Y}
				}
			}
			for _, v := range ops {
				if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
					if fa, ok := u.X.(*ssa.FieldAddr); ok && fa.Field == 0 {
						return u
					}
				}
			}
		}
	}
	t.Fatalf("%s: no returned load of ret", fn.Name())
	return nil
}

func TestSameLoads(t *testing.T) {
	p := ssatest.Build(t, sameLoadsSrc)
	for _, c := range []struct {
		fn   string
		want int
	}{
		{"Plain", 2},  // both tests' loads hold the return's value
		{"Stored", 0}, // a store in between
		{"Other", 1},  // another field written: still the same
		{"Called", 0}, // a call in between
		{"Alias", 0},  // the whole struct written
		{"Merge", 0},  // one path in between writes it
	} {
		fn := p.Func(t, c.fn)
		if got := len(ssax.SameLoads(lastLoad(t, fn))); got != c.want {
			t.Errorf("%s: %d same loads, want %d", c.fn, got, c.want)
		}
	}
}

const liveSrc = `package p

const off = false
const on = true

var n int

func F(c bool) int {
	if off {
		n = 1 // dead
	}
	if on {
		n = 2 // live
	} else {
		n = 3 // dead
	}
	if off && c {
		n = 4 // dead
	}
	if c || on {
		n = 5 // live
	}
	for off {
		n = 6 // dead
	}
	return n
}
`

// Live rules out exactly the blocks that only a branch a constant
// condition never takes leads to.
func TestLive(t *testing.T) {
	p := ssatest.Build(t, liveSrc)
	fn := p.Func(t, "F")
	live := ssax.Live(fn)
	got := map[int64]bool{}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if st, ok := in.(*ssa.Store); ok {
				if c, ok := st.Val.(*ssa.Const); ok {
					v, _ := constant.Int64Val(c.Value)
					got[v] = live[b.Index]
				}
			}
		}
	}
	assert.Equal(t, map[int64]bool{1: false, 2: true, 3: false, 4: false, 5: true, 6: false}, got)
	assert.True(t, live[0], "the entry runs")
}

const guardedSrc = `package p

type E struct{}

func (E) Error() string { return "" }

func get() error { return nil }

func Guarded() error {
	err := get()
	if err != nil {
		return err
	}
	return nil
}

func Negated() error {
	err := get()
	if err == nil {
		return nil
	}
	return err
}

func Unguarded() error {
	err := get()
	return err
}
`

// A value is non-nil where every path comes through the non-nil edge of a
// test of it against nil, and only there.
func TestGuardedNonNil(t *testing.T) {
	p := ssatest.Build(t, guardedSrc)
	returned := func(name string) map[bool]int {
		fn := p.Func(t, name)
		out := map[bool]int{}
		for _, b := range fn.Blocks {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				if _, isConst := ret.Results[0].(*ssa.Const); !isConst {
					out[ssax.GuardedNonNil(ret.Results[0], b)]++
				}
			}
		}
		return out
	}
	assert.Equal(t, map[bool]int{true: 1}, returned("Guarded"))
	assert.Equal(t, map[bool]int{true: 1}, returned("Negated"))
	assert.Equal(t, map[bool]int{false: 1}, returned("Unguarded"))
}

const notNilSrc = `package p

type T struct{ n int }

func find() *T { return nil }

func Values(t *T, m map[int]int) (a, b, c, d, e, f any) {
	a = &T{}
	b = make([]int, 4)
	c = &t.n
	d = find()
	e = t
	f = m
	return
}
`

// What is allocated, made or addressed here is not nil; a call's result
// or a parameter may be. (Each value is checked before its conversion to
// the result's interface, which NotNil would take as non-nil.)
func TestNotNil(t *testing.T) {
	p := ssatest.Build(t, notNilSrc)
	fn := p.Func(t, "Values")
	got := map[string]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mi, ok := instr.(*ssa.MakeInterface)
			if !ok {
				continue
			}
			got[mi.X.String()] = ssax.NotNil(mi.X)
		}
	}
	notNil, maybe := 0, 0
	for _, v := range got {
		if v {
			notNil++
		} else {
			maybe++
		}
	}
	assert.Equal(t, 3, notNil, "an allocation, a constant make, an address: %v", got)
	assert.Equal(t, 3, maybe, "a call's result, a parameter, a map parameter: %v", got)
}

// everyKindSrc has most kinds of SSA instruction and value: calls, defers
// and go statements, closures, maps, channels, slices, conversions,
// interfaces, type assertions, ranges, selects, phis and extracts.
const everyKindSrc = `package p

type T struct{ n int; xs []int; m map[string]int }

type I interface{ Get() int }

func (t *T) Get() int { return t.n }

func all(t *T, ch chan int, v any, s string, arr [4]int, fs ...func() int) (int, error) {
	defer t.Get()
	go func() { ch <- t.n }()
	f := func() int { return t.n + len(fs) }
	x := f()
	var i I = t
	x += i.Get()
	if n, ok := v.(int); ok {
		x += n
	}
	if j, ok := v.(I); ok {
		x += j.Get()
	}
	t.m["k"] = x
	y, ok := t.m[s]
	if ok {
		delete(t.m, s)
	}
	for k, e := range t.m {
		x += len(k) + e
	}
	for _, r := range s {
		x += int(r)
	}
	p := &arr[1]
	*p = x
	sl := t.xs[1:2]
	ap := (*[1]int)(sl)
	x += ap[0] + arr[2] + sl[0] + float2int(float64(y))
	select {
	case z := <-ch:
		x += z
	default:
	}
	var e error
	b := []byte(s)
	x += int(b[0]) + -x
	return x, e
}

func float2int(f float64) int { return int(f) }

type Ints []int

func pair() [2]int { return [2]int{1, 2} }

func more(t *T) int { return len(Ints(t.xs)) + pair()[1] }

func generic[E ~int](xs []E) E {
	var s E
	for _, x := range xs {
		s += x
	}
	return s
}

var _ = generic[int]
`

// TestCallAndInstrMatchAssertions checks the concrete-type switches of
// Call and Instr against the interface assertions they replace, on every
// instruction and every operand of a source with most kinds of each.
func TestCallAndInstrMatchAssertions(t *testing.T) {
	p := ssatest.Build(t, everyKindSrc)
	kinds := map[string]bool{}
	for _, mem := range p.SSA.Members {
		fn, ok := mem.(*ssa.Function)
		if !ok {
			continue
		}
		fns := append([]*ssa.Function{fn}, fn.AnonFuncs...)
		for _, fn := range fns {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					kinds[fmt.Sprintf("%T", instr)] = true
					want, _ := instr.(ssa.CallInstruction)
					assert.Equal(t, want, ssax.Call(instr), "Call(%T)", instr)
					for _, op := range instr.Operands(nil) {
						if op == nil || *op == nil {
							continue
						}
						want, _ := (*op).(ssa.Instruction)
						assert.Equal(t, want, ssax.Instr(*op), "Instr(%T)", *op)
					}
				}
			}
		}
	}
	assert.Nil(t, ssax.Instr(nil))
	// The source has the kinds the switches name, so that each case runs.
	for _, k := range []string{"*ssa.Call", "*ssa.Defer", "*ssa.Go", "*ssa.Store", "*ssa.MapUpdate", "*ssa.Send",
		"*ssa.UnOp", "*ssa.BinOp", "*ssa.FieldAddr", "*ssa.IndexAddr", "*ssa.Index", "*ssa.Phi", "*ssa.Alloc",
		"*ssa.Extract", "*ssa.Convert", "*ssa.ChangeType", "*ssa.MakeInterface", "*ssa.Slice", "*ssa.Lookup",
		"*ssa.TypeAssert", "*ssa.MakeClosure", "*ssa.Range", "*ssa.Next", "*ssa.Select", "*ssa.SliceToArrayPointer"} {
		assert.True(t, kinds[k], "no %s in the source", k)
	}
}
