package summary

import (
	"go/constant"
	"go/token"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"golang.org/x/tools/go/ssa"
)

// maxCreateGuards bounds the guards createOnce examines in one function
// (each costs a walk of the blocks below it). Past it the remaining ones are
// not trusted: their effects count, as they would without this rule.
const maxCreateGuards = 32

// createOnce marks the blocks of fn that run at most once: the creating
// branch of a get-or-create or of a lazy initialization. The branch is
// entered while a guard says "not made yet", and every way out of it that
// returns sets the guard to "made":
//
//   - a lookup of key k in map m found nothing (`v, ok := m[k]; !ok`, `!m[k]`
//     on a map of booleans, `m[k] == nil`), and the branch inserts k into m
//     (m[k] = v);
//   - a flag reached from persistent state is false (`if !s.ready`) and the
//     branch stores true into it, or a location is nil (`if s.buf == nil`)
//     and the branch stores into it a value that cannot be nil (an
//     allocation, a made map, slice or channel, an address, a closure);
//   - a state is one of its constants (`if e.State() == Initial`, read
//     directly, through an atomic load or through a getter) and the branch
//     moves it to another (directly, through an atomic store, a setter
//     given the constant, or a callee that does so on every success).
//
// Whatever the branch does (build the value, evict another entry, count
// the allocation, record a stack trace in a memo) therefore happens the
// first time the function runs for that key or object; when it runs again,
// the guard says "made" and the branch is skipped. Re-entry from the top
// repeats none of it, so none of it counts in fn's summary.
//
// Only this direction is trusted. A branch that consumes (`if s.ready {
// s.ready = false; ... }`, a hit that deletes its entry) also runs once,
// but what it took is lost to a re-entry, a move-out that must stay
// visible. The guard's location must be the same access path from the same
// root in the test and the write (for a map, with the same key as the same
// SSA value), the branch is the region the guard edge's target dominates,
// that target must have the test's block as its only predecessor, and
// nothing in the branch may re-arm the guard (another store to the flag,
// a delete of the key, a clear of the map).
func createOnce(fn *ssa.Function, tr *persist.Tracer, s *Summaries) []bool {
	v := stateView{s: s, fn: fn, tr: tr}
	// The guards first: most functions have none, and then their writes
	// need not be traced.
	var guards []onceGuard
	for _, b := range fn.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		if g, ok := unmadeEdge(ifi, v); ok && len(g.edge.Preds) == 1 {
			guards = append(guards, g)
		}
	}
	if len(guards) == 0 || !someMade(guards, v) {
		return nil
	}
	writes := map[string][]guardWrite{} // by the written location's path
	budget := 256                       // writes compared with guards: linear in the function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, w := range guardWritesOf(instr, v) {
				writes[w.loc.Path] = append(writes[w.loc.Path], w)
				budget += 4
			}
		}
	}
	var once []bool
	examined := 0
	for _, g := range guards {
		if once != nil && once[g.edge.Index] {
			continue
		}
		var makes, others []ssa.Instruction
		rearmed := false
		// The guard's own location, and those above it: a write of s.cache
		// re-arms a guard on s.cache[k], one of s (a callee writing through
		// it) may re-arm a guard on s.state.
		for _, path := range pathAndPrefixes(g.loc.Path) {
			if budget -= len(writes[path]); budget < 0 {
				return once // past the budget, guards are not trusted
			}
			for _, w := range writes[path] {
				if w.loc.Root != g.loc.Root || !changes(w.loc, g.loc.Path) {
					continue
				}
				if _, deferred := w.instr.(*ssa.Defer); deferred {
					// It runs at the return, after any making write, wherever
					// it was deferred.
					rearmed = true
					break
				}
				if !g.edge.Dominates(w.instr.Block()) {
					continue
				}
				if w.loc.Path == g.loc.Path && !w.loc.Collapsed && g.makes(w) {
					makes = append(makes, w.instr)
				} else {
					others = append(others, w.instr)
				}
			}
		}
		if len(makes) == 0 || rearmed {
			continue
		}
		if examined++; examined > maxCreateGuards {
			return once
		}
		via := make([]*ssa.BasicBlock, len(makes))
		for i, m := range makes {
			via[i] = m.Block()
		}
		if !alwaysThrough(g.edge, via) || rearms(makes, others) {
			continue
		}
		if once == nil {
			once = make([]bool, len(fn.Blocks))
		}
		markDominated(g.edge, once)
	}
	return once
}

// someMade reports whether a write of fn may make one of the guards:
// most guards (a state tested, a pointer checked for nil) have none, and
// then the writes that could only undo one (through any call) need not be
// traced.
func someMade(guards []onceGuard, v stateView) bool {
	byPath := map[string][]onceGuard{}
	for _, g := range guards {
		byPath[g.loc.Path] = append(byPath[g.loc.Path], g)
	}
	for _, b := range v.fn.Blocks {
		for _, instr := range b.Instrs {
			var ws []guardWrite
			switch in := instr.(type) {
			case *ssa.MapUpdate, *ssa.Store:
				ws = guardWritesOf(in, v)
			case *ssa.Call:
				if sum := v.final(&in.Call); (sum != nil && len(sum.Transitions) > 0) || isAtomicStore(&in.Call) {
					ws = guardWritesOf(in, v)
				}
			}
			for _, w := range ws {
				for _, g := range byPath[w.loc.Path] {
					if w.loc.Root == g.loc.Root && !w.loc.Collapsed && g.makes(w) && g.edge.Dominates(b) {
						return true
					}
				}
			}
		}
	}
	return false
}

// guardWrite is a write that may set or re-arm a guard: an insert, delete
// or clear of a map, or a store (a state's store through an atomic or a
// callee included).
type guardWrite struct {
	instr ssa.Instruction
	loc   persist.Loc // the map, or the stored-to location
	key   ssa.Value   // an insert's or delete's key
	val   ssa.Value   // an insert's or store's value
	state string      // the constant a state store stores (effect.ConstKey), or ""
	clear bool        // a delete or clear: it removes entries
	may   bool        // a callee's write on some paths only: it never makes a guard
}

func guardWritesOf(instr ssa.Instruction, v stateView) []guardWrite {
	switch in := instr.(type) {
	case *ssa.MapUpdate:
		return []guardWrite{{instr: in, loc: v.tr.Of(in.Map), key: in.Key, val: in.Value}}
	case *ssa.Store:
		return []guardWrite{{instr: in, loc: v.tr.Of(in.Addr), val: in.Val, state: v.storeOf(in, persist.Loc{}, in.Val).val}}
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && len(in.Call.Args) > 0 {
			if _, isMap := in.Call.Args[0].Type().Underlying().(*types.Map); !isMap {
				break
			}
			switch b.Name() {
			case "delete":
				return []guardWrite{{instr: in, loc: v.tr.Of(in.Call.Args[0]), key: in.Call.Args[1], clear: true}}
			case "clear":
				return []guardWrite{{instr: in, loc: v.tr.Of(in.Call.Args[0]), clear: true}}
			}
			break
		}
		var out []guardWrite
		for _, w := range v.stores(in) {
			out = append(out, guardWrite{instr: in, loc: w.loc, state: w.val, may: w.may || w.val == ""})
		}
		return out
	case *ssa.Go, *ssa.Defer:
		// What a deferred or spawned call writes happens after the
		// making write, or concurrently with it (stores marks it may).
		var out []guardWrite
		for _, w := range v.stores(in) {
			out = append(out, guardWrite{instr: in, loc: w.loc, may: true})
		}
		return out
	}
	return nil
}

// onceGuard is a test's "not made yet" edge and what makes it.
type onceGuard struct {
	edge *ssa.BasicBlock
	loc  persist.Loc // the map, or the flag's location
	key  ssa.Value   // for a map: the key looked up
	flag bool        // a boolean flag (made by storing true); else a nil test
	// state: for a state tested against a constant, that constant
	// (effect.ConstKey); the guard is made by storing any other.
	state string
}

// makes reports whether w sets the guard to "made".
func (g onceGuard) makes(w guardWrite) bool {
	switch {
	case w.clear || w.may:
		return false
	case g.state != "":
		return w.state != "" && w.state != g.state
	case g.key != nil:
		return w.key == g.key
	case w.key != nil:
		return false // an insert into a map tested as a whole
	case g.flag:
		k, ok := w.val.(*ssa.Const)
		return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value)
	}
	return ssax.NotNil(w.val)
}

// unmadeEdge returns the guard an If tests and the successor taken while
// it says "not made yet", or false when the If tests something else.
func unmadeEdge(ifi *ssa.If, v stateView) (onceGuard, bool) {
	tr := v.tr
	succs := ifi.Block().Succs
	cond, negated := ifi.Cond, false
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond, negated = not.X, true
	}
	var g onceGuard
	made := true // the true successor is taken when the guard says "made"
	switch c := cond.(type) {
	case *ssa.Extract:
		if l, ok := c.Tuple.(*ssa.Lookup); ok && l.CommaOk && c.Index == 1 && isMap(l.X) {
			g.loc, g.key = tr.Of(l.X), l.Index
		}
	case *ssa.Lookup:
		// m[k] on a map of booleans: the zero value is what a missing key
		// reads as.
		if isBool(c.Type()) && !c.CommaOk && isMap(c.X) {
			g.loc, g.key = tr.Of(c.X), c.Index
		}
	case *ssa.UnOp:
		// A boolean flag loaded from persistent state.
		if c.Op == token.MUL && isBool(c.Type()) {
			g.loc, g.flag = tr.Of(c.X), true
		}
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			break
		}
		x, k := c.X, constOf(c.Y)
		if k == nil {
			x, k = c.Y, constOf(c.X)
		}
		if k == nil {
			break
		}
		if !k.IsNil() {
			// A state compared with one of its constants: made by moving
			// it to any other (`if e.State() == Initial { e.bind() }`).
			if loc, ok := v.reads(x); ok && k.Value != nil {
				g.loc, g.state = loc, effect.ConstKey(k)
			}
		} else {
			switch x := x.(type) {
			case *ssa.Lookup:
				if !x.CommaOk && isMap(x.X) {
					g.loc, g.key = tr.Of(x.X), x.Index
				}
			case *ssa.UnOp:
				if x.Op == token.MUL {
					g.loc = tr.Of(x.X)
				}
			}
		}
		made = c.Op == token.NEQ
	}
	if g.loc.Root.Kind == persist.Unknown || g.loc.Root.Kind == persist.Fresh || g.loc.Collapsed {
		return onceGuard{}, false
	}
	if made != negated {
		g.edge = succs[1]
	} else {
		g.edge = succs[0]
	}
	return g, true
}

func constOf(v ssa.Value) *ssa.Const {
	k, _ := v.(*ssa.Const)
	return k
}

func isMap(v ssa.Value) bool {
	_, ok := v.Type().Underlying().(*types.Map)
	return ok
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// alwaysThrough reports whether every path from start to a return passes
// through one of the blocks via (panicking paths need not).
func alwaysThrough(start *ssa.BasicBlock, via []*ssa.BasicBlock) bool {
	return throughBefore(start, via, nil)
}

// throughBefore reports whether every path from start to a return that
// counts (exit says so; every return when exit is nil) passes through one
// of the blocks via.
func throughBefore(start *ssa.BasicBlock, via []*ssa.BasicBlock, exit func(*ssa.BasicBlock) bool) bool {
	stop := make(map[*ssa.BasicBlock]bool, len(via))
	for _, v := range via {
		stop[v] = true
	}
	if stop[start] {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{start: true}
	stack := []*ssa.BasicBlock{start}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ret := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ret && (exit == nil || exit(b)) {
			return false
		}
		for _, s := range b.Succs {
			if !stop[s] && !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return true
}

// rearms reports whether one of the other writes of the guard's location
// may run after a write that made it: a delete of another entry, or a
// store of false, before the insert or the store of true, cannot undo it.
func rearms(makes, others []ssa.Instruction) bool {
	if len(others) == 0 {
		return false
	}
	after := map[*ssa.BasicBlock]bool{} // blocks reachable from a making write's block
	var stack []*ssa.BasicBlock
	for _, m := range makes {
		for _, s := range m.Block().Succs {
			if !after[s] {
				after[s] = true
				stack = append(stack, s)
			}
		}
	}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range b.Succs {
			if !after[s] {
				after[s] = true
				stack = append(stack, s)
			}
		}
	}
	isMake := make(map[ssa.Instruction]bool, len(makes))
	for _, m := range makes {
		isMake[m] = true
	}
	isOther := make(map[ssa.Instruction]bool, len(others))
	for _, o := range others {
		if after[o.Block()] {
			return true
		}
		isOther[o] = true
	}
	// Within a making write's own block, an other write after it: one walk
	// of each such block.
	walked := map[*ssa.BasicBlock]bool{}
	for _, m := range makes {
		b := m.Block()
		if walked[b] {
			continue
		}
		walked[b] = true
		made := false
		for _, instr := range b.Instrs {
			if made && isOther[instr] {
				return true
			}
			made = made || isMake[instr]
		}
	}
	return false
}

// markDominated marks b and every block it dominates.
func markDominated(b *ssa.BasicBlock, marks []bool) {
	stack := []*ssa.BasicBlock{b}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		marks[d.Index] = true
		stack = append(stack, d.Dominees()...)
	}
}
