package replay

import (
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"golang.org/x/tools/go/ssa"
)

// vset is a set of values a state location may hold: everything (top), a
// finite set of keys, or everything except a finite set (neg). Keys are
// constant spellings, "nil", or "type:T" for dynamic types.
type vset struct {
	top  bool
	neg  bool
	keys []string // sorted
}

var topSet = vset{top: true}

func newSet(neg bool, keys ...string) vset {
	ks := append([]string(nil), keys...)
	sort.Strings(ks)
	return vset{neg: neg, keys: ks}
}

func (s vset) has(k string) bool {
	if s.top {
		return true
	}
	i := sort.SearchStrings(s.keys, k)
	found := i < len(s.keys) && s.keys[i] == k
	return found != s.neg
}

func (s vset) equal(t vset) bool {
	if s.top != t.top || s.neg != t.neg || len(s.keys) != len(t.keys) {
		return false
	}
	for i := range s.keys {
		if s.keys[i] != t.keys[i] {
			return false
		}
	}
	return true
}

// union, inter and minus work on sorted, duplicate-free key lists by
// merging them: linear, and no allocation beyond the result.
//
// Key lists are never modified once built, so union returns one of its
// operands when it contains the other: the dispatch fixpoint joins the
// sets of every merge point again on every visit, mostly to the same
// values, and allocating a copy each time was an eighth of the bug-dense
// probe's allocations.
func union(keysA, keysB []string) []string {
	switch unionLen(keysA, keysB) {
	case len(keysA):
		return keysA
	case len(keysB):
		return keysB
	}
	out := make([]string, 0, len(keysA)+len(keysB))
	i, j := 0, 0
	for i < len(keysA) && j < len(keysB) {
		switch {
		case keysA[i] < keysB[j]:
			out = append(out, keysA[i])
			i++
		case keysA[i] > keysB[j]:
			out = append(out, keysB[j])
			j++
		default:
			out = append(out, keysA[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, keysA[i:]...)
	return append(out, keysB[j:]...)
}

// unionLen is the length of union(keysA, keysB), without building it.
func unionLen(keysA, keysB []string) int {
	n, i, j := 0, 0, 0
	for i < len(keysA) && j < len(keysB) {
		switch {
		case keysA[i] < keysB[j]:
			i++
		case keysA[i] > keysB[j]:
			j++
		default:
			i, j = i+1, j+1
		}
		n++
	}
	return n + len(keysA) - i + len(keysB) - j
}

func inter(keysA, keysB []string) []string {
	var out []string
	i, j := 0, 0
	for i < len(keysA) && j < len(keysB) {
		switch {
		case keysA[i] < keysB[j]:
			i++
		case keysA[i] > keysB[j]:
			j++
		default:
			out = append(out, keysA[i])
			i, j = i+1, j+1
		}
	}
	return out
}

func minus(keysA, keysB []string) []string {
	var out []string
	i, j := 0, 0
	for i < len(keysA) {
		switch {
		case j >= len(keysB) || keysA[i] < keysB[j]:
			out = append(out, keysA[i])
			i++
		case keysA[i] > keysB[j]:
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return out
}

// join is set union (paths merge: the entry values of either path).
func (s vset) join(t vset) vset {
	switch {
	case s.top || t.top:
		return topSet
	case !s.neg && !t.neg:
		return vset{keys: union(s.keys, t.keys)}
	case s.neg && t.neg:
		return vset{neg: true, keys: inter(s.keys, t.keys)}
	case s.neg:
		return vset{neg: true, keys: minus(s.keys, t.keys)}
	default:
		return vset{neg: true, keys: minus(t.keys, s.keys)}
	}
}

// meet is set intersection (a branch restricts the values).
func (s vset) meet(t vset) vset {
	switch {
	case s.top:
		return t
	case t.top:
		return s
	case !s.neg && !t.neg:
		return vset{keys: inter(s.keys, t.keys)}
	case s.neg && t.neg:
		return vset{neg: true, keys: union(s.keys, t.keys)}
	case s.neg:
		return vset{keys: minus(t.keys, s.keys)}
	default:
		return vset{keys: minus(s.keys, t.keys)}
	}
}

// wval abstracts a value written to a state location.
type wval struct {
	kind   wkind
	key    string // exact and typ
	offset int64  // offset: old value + offset
}

type wkind uint8

const (
	wUnknown wkind = iota
	wExact         // a constant
	wTyp           // an interface holding a value of a known dynamic type (never nil)
	wNonNil        // a fresh allocation or call result stored in a memo
	wOffset        // the old value plus a constant (s.state++)
	wChoice        // one of several constants (a phi of them); key holds them joined by "\x00"
)

func constKey(c *ssa.Const) string {
	if c.Value == nil {
		return "nil"
	}
	return c.Value.ExactString()
}

// abstractWrite describes the value v stored to the location at path.
func abstractWrite(tr *persist.Tracer, v ssa.Value, path string) wval {
	switch v := v.(type) {
	case *ssa.Const:
		return wval{kind: wExact, key: constKey(v)}
	case *ssa.MakeInterface:
		return wval{kind: wTyp, key: "type:" + types.TypeString(v.X.Type(), nil)}
	case *ssa.Alloc, *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure, *ssa.Function:
		return wval{kind: wNonNil}
	case *ssa.Call:
		if isPointerLike(v.Type()) {
			return wval{kind: wNonNil} // a memo: a nil test guards its arm
		}
	case *ssa.Extract:
		if _, ok := v.Tuple.(*ssa.Call); ok && isPointerLike(v.Type()) {
			return wval{kind: wNonNil}
		}
	case *ssa.ChangeType:
		return abstractWrite(tr, v.X, path)
	case *ssa.Slice:
		// x[:k] with k > 0 is never nil: slicing a nil slice past zero
		// panics. A memo set to such a slice (s.buf = r.Value()[:8])
		// leaves its `s.buf == nil` arm.
		if _, isSlice := v.Type().Underlying().(*types.Slice); isSlice {
			if c, ok := v.High.(*ssa.Const); ok && constAtLeast(c, 1) {
				return wval{kind: wNonNil}
			}
		}
	case *ssa.Phi:
		var keys []string
		for _, e := range v.Edges {
			c, ok := e.(*ssa.Const)
			if !ok {
				return wval{kind: wUnknown}
			}
			keys = append(keys, constKey(c))
		}
		return wval{kind: wChoice, key: strings.Join(keys, "\x00")}
	case *ssa.BinOp:
		if v.Op == token.ADD || v.Op == token.SUB {
			if a, ok := persist.IsLoad(v.X); ok {
				if l := tr.Of(a); l.Path == path {
					if c, ok := v.Y.(*ssa.Const); ok && c.Value != nil {
						if k, ok := constant.Int64Val(constant.ToInt(c.Value)); ok {
							if v.Op == token.SUB {
								k = -k
							}
							return wval{kind: wOffset, offset: k}
						}
					}
				}
			}
		}
	}
	return wval{kind: wUnknown}
}

func isPointerLike(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature:
		return true
	}
	return false
}

// canSelect reports whether a location holding w may satisfy arm set s.
func canSelect(w wval, s vset) bool {
	if s.top {
		return true
	}
	switch w.kind {
	case wExact, wTyp:
		return s.has(w.key)
	case wChoice:
		for _, k := range strings.Split(w.key, "\x00") {
			if s.has(k) {
				return true
			}
		}
		return false
	case wNonNil:
		if s.neg {
			return true
		}
		for _, k := range s.keys {
			if k != "nil" {
				return true
			}
		}
		return false
	case wOffset:
		if s.neg || w.offset == 0 {
			return true
		}
		for _, k := range s.keys {
			v := constant.MakeFromLiteral(k, token.INT, 0)
			if v.Kind() != constant.Int {
				return true
			}
			shifted := constant.BinaryOp(v, token.ADD, constant.MakeInt64(w.offset))
			if s.has(shifted.ExactString()) {
				return true
			}
		}
		return false
	}
	return true
}

// test is what one If instruction says about one state location.
type test struct {
	path        string
	onTrue      vset
	onFalse     vset
	constrained bool // the sets carry information (not just "tests the location")
	// key is the key a test of a map entry looks up (m[k]): the entry is a
	// keyed state location, written by inserts and deletes of the same key.
	key ssa.Value
	// load is the instruction that read the tested value (a load, or a
	// map lookup), when known. The test dispatches on the value read
	// there: a write of the location after that read is not re-read by
	// the test (batch := s.pending; s.pending = nil; for range batch).
	load ssa.Value
}

// tests analyses the condition of an If.
func tests(tr *persist.Tracer, cond ssa.Value) []test {
	var out []test
	var walk func(v ssa.Value, negate bool, depth int)
	walk = func(v ssa.Value, negate bool, depth int) {
		if depth > 8 {
			return
		}
		emit := func(path string, t, f vset, constrained bool, load ssa.Value) {
			if negate {
				t, f = f, t
			}
			out = append(out, test{path: path, onTrue: t, onFalse: f, constrained: constrained, load: load})
		}
		if a, ok := persist.IsLoad(v); ok {
			if l := tr.Of(a); l.Root.Persistent() {
				if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsBoolean != 0 {
					emit(l.Path, newSet(false, "true"), newSet(false, "false"), true, v)
				} else {
					emit(l.Path, topSet, topSet, false, v)
				}
			}
			return
		}
		switch v := v.(type) {
		case *ssa.UnOp:
			if v.Op == token.NOT {
				walk(v.X, !negate, depth+1)
			}
		case *ssa.BinOp:
			switch v.Op {
			case token.EQL, token.NEQ:
				x, y := v.X, v.Y
				if _, ok := x.(*ssa.Const); ok {
					x, y = y, x
				}
				if c, ok := y.(*ssa.Const); ok && c.IsNil() {
					// s.m[k] == nil: a keyed state location.
					if lk, ok := x.(*ssa.Lookup); ok && !lk.CommaOk {
						if m := tr.Of(lk.X); m.Root.Persistent() {
							if _, isMap := lk.X.Type().Underlying().(*types.Map); isMap {
								eq, ne := newSet(false, "nil"), newSet(true, "nil")
								if v.Op == token.NEQ {
									eq, ne = ne, eq
								}
								t := test{path: m.Elem().Path, onTrue: eq, onFalse: ne, constrained: true, key: lk.Index, load: lk}
								if negate {
									t.onTrue, t.onFalse = t.onFalse, t.onTrue
								}
								out = append(out, t)
								return
							}
						}
					}
				}
				if c, ok := y.(*ssa.Const); ok {
					if path, load, ok := loadPath(tr, x); ok {
						k := constKey(c)
						eq, ne := newSet(false, k), newSet(true, k)
						if v.Op == token.NEQ {
							eq, ne = ne, eq
						}
						emit(path, eq, ne, true, load)
						return
					}
				}
			}
			walk(v.X, false, depth+1)
			walk(v.Y, false, depth+1)
		case *ssa.Extract:
			// _, ok := s.m[k]; if ok: the entry is present (non-nil) or not.
			if lk, ok := v.Tuple.(*ssa.Lookup); ok && lk.CommaOk && v.Index == 1 {
				if m := tr.Of(lk.X); m.Root.Persistent() {
					t := test{path: m.Elem().Path, onTrue: newSet(true, "nil"), onFalse: newSet(false, "nil"), constrained: true, key: lk.Index, load: lk}
					if negate {
						t.onTrue, t.onFalse = t.onFalse, t.onTrue
					}
					out = append(out, t)
					return
				}
			}
			if ta, ok := v.Tuple.(*ssa.TypeAssert); ok && v.Index == 1 && ta.CommaOk {
				if path, load, ok := loadPath(tr, ta.X); ok {
					k := "type:" + types.TypeString(ta.AssertedType, nil)
					if _, isIface := ta.AssertedType.Underlying().(*types.Interface); isIface {
						emit(path, topSet, topSet, false, load)
						return
					}
					emit(path, newSet(false, k), newSet(true, k), true, load)
				}
			}
		case *ssa.Call:
			for _, a := range v.Call.Args {
				if path, load, ok := loadPath(tr, a); ok {
					emit(path, topSet, topSet, false, load)
				}
			}
		case *ssa.ChangeType, *ssa.Convert:
			walk(*v.(ssa.Instruction).Operands(nil)[0], negate, depth+1)
		}
	}
	walk(cond, false, 0)
	// A non-equality comparison (s.i < n) tests the location without
	// constraining it: drop the sets it may have produced for operands.
	if b, ok := cond.(*ssa.BinOp); ok && b.Op != token.EQL && b.Op != token.NEQ {
		for i := range out {
			out[i].onTrue, out[i].onFalse, out[i].constrained = topSet, topSet, false
		}
		// i < len(L) with i never negative (a range index, a counter from
		// zero): the true edge has L non-empty, so not nil. Ranging over
		// L reaches the body only when L holds something.
		if path, load, ok := lenBound(tr, b); ok {
			out = append(out, test{path: path, onTrue: newSet(true, "nil"), onFalse: topSet, constrained: true, load: load})
		}
	}
	return out
}

// lenBound recognizes i < len(L) (or len(L) > i) with i never negative,
// and returns L's path and the load that read it.
func lenBound(tr *persist.Tracer, b *ssa.BinOp) (string, ssa.Value, bool) {
	i, n := b.X, b.Y
	switch b.Op {
	case token.LSS:
	case token.GTR:
		i, n = n, i
	default:
		return "", nil, false
	}
	call, ok := n.(*ssa.Call)
	if !ok || len(call.Call.Args) != 1 || !nonNegative(i) {
		return "", nil, false
	}
	if bi, ok := call.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "len" {
		return "", nil, false
	}
	return loadPath(tr, call.Call.Args[0])
}

// nonNegative recognizes the counters that are never negative: a constant
// at least zero, and an induction variable that starts at a constant and
// only grows by a positive constant (the index of a range loop starts at
// -1 and is tested after its increment).
func nonNegative(v ssa.Value) bool {
	if c, ok := v.(*ssa.Const); ok {
		return constAtLeast(c, 0)
	}
	if inc, ok := v.(*ssa.BinOp); ok && inc.Op == token.ADD {
		step, ok := inc.Y.(*ssa.Const)
		phi, isPhi := inc.X.(*ssa.Phi)
		if !ok || !isPhi || !constAtLeast(step, 1) {
			return false
		}
		k, _ := constant.Int64Val(constant.ToInt(step.Value))
		return inductionFrom(phi, inc, -k)
	}
	if phi, ok := v.(*ssa.Phi); ok {
		for _, e := range phi.Edges {
			if inc, ok := e.(*ssa.BinOp); ok && inc.Op == token.ADD && inc.X == phi {
				if step, ok := inc.Y.(*ssa.Const); ok && constAtLeast(step, 1) {
					return inductionFrom(phi, inc, 0)
				}
			}
		}
	}
	return false
}

// inductionFrom reports whether every edge of phi is inc or a constant at
// least min.
func inductionFrom(phi *ssa.Phi, inc ssa.Value, min int64) bool {
	for _, e := range phi.Edges {
		if e == inc {
			continue
		}
		c, ok := e.(*ssa.Const)
		if !ok || !constAtLeast(c, min) {
			return false
		}
	}
	return true
}

func constAtLeast(c *ssa.Const, min int64) bool {
	if c.Value == nil || c.Value.Kind() != constant.Int {
		return false
	}
	k, exact := constant.Int64Val(c.Value)
	return exact && k >= min
}

// loadPath returns the persistent location that v was loaded from,
// looking through conversions, and the load.
func loadPath(tr *persist.Tracer, v ssa.Value) (string, ssa.Value, bool) {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.Convert:
			v = x.X
			continue
		}
		break
	}
	if a, ok := persist.IsLoad(v); ok {
		if l := tr.Of(a); l.Root.Persistent() {
			return l.Path, v, true
		}
	}
	return "", nil, false
}

// hasPrefixPath reports whether path is loc or inside it.
func hasPrefixPath(path, loc string) bool {
	if path == loc {
		return true
	}
	return strings.HasPrefix(path, loc) && (path[len(loc)] == '.' || path[len(loc)] == '[')
}
