package replay

import (
	"go/token"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/persist"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// findChangedCopies reports the second case of rule lost-copy: a local copy
// of persistent state changed by something that is not re-pollable (a store
// into the copy, or a call whose summary writes through the copy's address:
// cur.advance(n)), when a yield point is reachable from the change without
// the copy being written back, and the path between them writes a
// persistent location that the change read.
//
// The last condition is what separates lost progress from scratch work.
// A copy changed and committed only on Done is the usual way to keep a
// mutation out of the replay region: re-entry copies the same original,
// reads the same inputs and computes the same change again, so dropping
// it at the yield loses nothing. It does lose something once the path has
// moved an input of the change on (the finished read cleared, the consumed
// bytes dropped from a buffer): re-entry then starts from the stale copy
// with inputs that no longer produce the change, and the progress the copy
// carried is gone. Error exits do not count here, unlike for copies handed
// to re-pollable calls: nothing re-enters after an error, and a change
// kept local until success is how an operation stays transactional.
//
// reported holds the copies the re-pollable case already reported: one
// finding per copy.
func (a *analysis) findChangedCopies(reported map[*ssa.Alloc]bool) {
	var deps *ctrlDeps // computed for the first copy that changes
	a.copies = newCopySearch(a)
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			cell, ok := instr.(*ssa.Alloc)
			if !ok || reported[cell] {
				continue
			}
			src, ok := a.copySource(cell)
			if !ok || a.restoredByDefer(src.Path) {
				continue
			}
			changes := a.copyChanges(cell)
			if len(changes) == 0 {
				continue
			}
			reach := a.reachOf(cell, src.Path, changes)
			if reach == nil {
				return // past the budget: no copy is searched further
			}
			for _, ch := range changes {
				if deps == nil {
					deps = newCtrlDeps(a.fn)
				}
				if f, ok := a.lostChange(cell, src, ch, deps, reach); ok {
					a.findings = append(a.findings, f)
					break
				}
			}
		}
	}
}

// copyChange is one change of a copy: the instruction, what it is called
// in messages, and the values it computes the change from.
type copyChange struct {
	instr   ssa.Instruction
	name    string
	inputs  []ssa.Value
	viaCall bool // the inputs are arguments of the changing call
}

// copyChanges returns the changes of a copy cell, in no particular order:
// stores into the cell or into a field or element of it (other than the
// copies of persistent state that initialize it), and calls that are not
// re-pollable whose summaries write through an argument pointing into it.
// Deferred calls run at the return, after the yield, so they are no change
// that a yield drops.
func (a *analysis) copyChanges(cell *ssa.Alloc) []copyChange {
	var out []copyChange
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 4 || v.Referrers() == nil {
			return
		}
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.FieldAddr:
				visit(r, depth+1)
			case *ssa.IndexAddr:
				visit(r, depth+1)
			case *ssa.Store:
				if r.Addr != v {
					continue // the address is stored somewhere, not written to
				}
				if v == cell && a.isPersistentCopy(r.Val) {
					continue // (re)initialization: a fresh copy, not a change
				}
				out = append(out, copyChange{instr: r, name: "the store into " + a.tr.Of(r.Addr).Path, inputs: []ssa.Value{r.Val}})
			case *ssa.Call:
				if ch, ok := a.mutatingCall(r, v); ok {
					out = append(out, ch)
				}
			}
		}
	}
	visit(cell, 0)
	return out
}

// isPersistentCopy reports whether v is a load of persistent state or a
// map lookup of it: the value a copy cell is initialized from.
func (a *analysis) isPersistentCopy(v ssa.Value) bool {
	if addr, ok := persist.IsLoad(v); ok {
		return a.tr.Of(addr).Root.Persistent()
	}
	if ex, ok := v.(*ssa.Extract); ok && ex.Index == 0 {
		v = ex.Tuple
	}
	if lk, ok := v.(*ssa.Lookup); ok {
		return a.tr.Of(lk.X).Root.Persistent()
	}
	return false
}

// mutatingCall returns the change that call makes through ptr, an address
// into a copy cell, when the callee is not re-pollable (re-pollable calls
// are the first case of the rule) and its summary writes that argument.
func (a *analysis) mutatingCall(call *ssa.Call, ptr ssa.Value) (copyChange, bool) {
	common := &call.Call
	if _, ok := common.Value.(*ssa.Builtin); ok {
		return copyChange{}, false
	}
	if sig := common.Signature(); sig != nil && a.o.Resumable(common) {
		return copyChange{}, false
	}
	// Summaries number the parameters receiver first; an invoke's receiver
	// is the interface value, not in Args.
	shift := 0
	if common.IsInvoke() {
		shift = 1
	}
	sums, fn := a.o.Callees(a.fn, common)
	for i, arg := range common.Args {
		if arg != ptr {
			continue
		}
		for _, s := range sums {
			if s == nil || !(s.Clobber.Has(i+shift) || s.Blind.Has(i+shift) || s.Empties.Has(i+shift)) {
				continue
			}
			var inputs []ssa.Value
			for j, other := range common.Args {
				if j != i {
					inputs = append(inputs, other)
				}
			}
			if common.IsInvoke() {
				inputs = append(inputs, common.Value)
			}
			return copyChange{instr: call, name: a.changeCallName(common, fn, ptr), inputs: inputs, viaCall: true}, true
		}
	}
	return copyChange{}, false
}

// changeCallName names a call that changes a copy: cur.advance for a
// method of the copy, the callee's name otherwise.
func (a *analysis) changeCallName(common *ssa.CallCommon, fn *types.Func, ptr ssa.Value) string {
	if fn == nil {
		fn = callee.Object(common)
	}
	name := "a function value"
	if fn != nil {
		name = fn.Name()
	}
	if recv := effect.Receiver(common); recv != nil && recv == ptr {
		return a.tr.Of(ptr).Path + "." + name
	}
	return name
}

// lostChange searches forward from a change of a copy for a yield point
// reached after a write of one of the persistent locations the change read,
// with no write-back of the copy in between. The search runs over (block,
// consumed) pairs, so a path that has written an input is not merged with
// one that has not.
func (a *analysis) lostChange(cell *ssa.Alloc, src persist.Loc, ch copyChange, deps *ctrlDeps, reach *copyReach) (Finding, bool) {
	// A finding needs an input consumed after the change, or by the
	// change itself (a helper that moves it on), and a yield after that;
	// the walk goes nowhere that could not end in one (reach), and stops
	// when the function's budget is spent (copyreach.go).
	start, from := ch.instr.Block(), a.indexIn(ch.instr)+1
	if !reach.writerAfter(a, start, from) && (len(a.written(start, from-1)) == 0 || !reach.yieldAfter(a, start, from)) {
		return Finding{}, false
	}
	reads := a.changeReads(cell, ch, deps.guards(ch.instr.Block()))
	if len(reads) == 0 {
		return Finding{}, false
	}
	type node struct {
		b        *ssa.BasicBlock
		consumed bool
	}
	seen := map[node]bool{}
	var walk func(b *ssa.BasicBlock, from int, consumed string) (*ssa.Return, string)
	walk = func(b *ssa.BasicBlock, from int, consumed string) (*ssa.Return, string) {
		if !reach.promising(a, b, from, consumed != "") {
			return nil, ""
		}
		for i := from; i < len(b.Instrs); i++ {
			instr := b.Instrs[i]
			if a.copies.work--; a.copies.work < 0 {
				return nil, "" // past the budget
			}
			if a.keepsCopy(instr, cell, src.Path) {
				return nil, ""
			}
			if consumed == "" {
				consumed = a.writesRead(b, i, reads)
			}
			if ret, ok := instr.(*ssa.Return); ok {
				if _, y := a.yields[ret]; y && consumed != "" {
					return ret, consumed
				}
				return nil, ""
			}
		}
		// Only the first location written is carried: which one does not
		// change whether a yield is reached, only the message.
		for _, s := range b.Succs {
			n := node{s, consumed != ""}
			if seen[n] {
				continue
			}
			seen[n] = true
			if ret, what := walk(s, 0, consumed); ret != nil {
				return ret, what
			}
		}
		return nil, ""
	}
	// A helper may move an input on itself (take(&pos, &s.q) pops s.q).
	exit, consumed := walk(start, from, a.writesRead(start, from-1, reads))
	if exit == nil {
		return Finding{}, false
	}
	return Finding{Rule: rules.LostCopy, Yield: exit.Pos(), Call: ch.instr, CallName: ch.name, Consumed: consumed,
		Effect: effect.Effect{Kind: effect.Clobber, Loc: src, Instr: ch.instr,
			Verb: effect.VerbCopyOf, Name: localName(cell), Target: src.Path}}, true
}

// changeReads returns the persistent locations a change computes from:
// the locations that its inputs and the tests deciding it load (the
// copy's own fields excepted), and those that references handed to a call
// on the way reach (a helper handed s may read anything below s). A
// reference merely stored into the copy (cur.owner = p) reads nothing.
func (a *analysis) changeReads(cell *ssa.Alloc, ch copyChange, guards []ssa.Value) []string {
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	type visit struct {
		v       ssa.Value
		viaCall bool
	}
	seen := map[visit]bool{}
	var walk func(v ssa.Value, viaCall bool, depth int)
	walkIndices := func(addr ssa.Value, depth int) {
		for i := 0; i < 8; i++ {
			switch x := addr.(type) {
			case *ssa.FieldAddr:
				addr = x.X
			case *ssa.IndexAddr:
				walk(x.Index, false, depth)
				addr = x.X
			default:
				return
			}
		}
	}
	walk = func(v ssa.Value, viaCall bool, depth int) {
		if v == nil || depth > 16 || seen[visit{v, viaCall}] {
			return
		}
		seen[visit{v, viaCall}] = true
		switch x := v.(type) {
		case *ssa.Const, *ssa.Function, *ssa.Builtin:
			return
		case *ssa.UnOp, *ssa.FieldAddr, *ssa.IndexAddr:
			// A load reads its location; an address reads it only when a
			// call is handed it. Of the address itself only the indices
			// are computed from anything.
			addr := v
			if u, ok := x.(*ssa.UnOp); ok {
				if u.Op != token.MUL {
					break
				}
				addr = u.X
			} else if !viaCall {
				walkIndices(addr, depth+1)
				return
			}
			if c, ok := copyCell(addr); ok && c == cell {
				return // the copy's own state
			}
			if l := a.tr.Of(v); l.Root.Persistent() {
				add(l.Path)
			}
			walkIndices(addr, depth+1)
			return
		case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
			if viaCall && isReference(v.Type()) {
				if l := a.tr.Of(v); l.Root.Persistent() {
					add(l.Path)
				}
			}
			return
		case *ssa.Call:
			viaCall = true
		}
		instr := ssax.Instr(v)
		if instr == nil {
			return
		}
		var ops [8]*ssa.Value
		for _, op := range instr.Operands(ops[:0]) {
			if op != nil && *op != nil {
				walk(*op, viaCall, depth+1)
			}
		}
	}
	for _, in := range ch.inputs {
		walk(in, ch.viaCall, 0)
	}
	for _, g := range guards {
		walk(g, false, 0)
	}
	return out
}

// isReference reports whether values of type t refer to memory they do
// not hold: what a callee handed one can read through.
func isReference(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Interface:
		return true
	}
	return false
}

// writesRead returns the location among reads that instruction i of b
// writes (it or a location above or below it), or "". Deferred writes
// happen at the return and re-pollable calls re-poll on re-entry, so
// neither moves an input on.
func (a *analysis) writesRead(b *ssa.BasicBlock, i int, reads []string) string {
	for _, w := range a.written(b, i) {
		for _, r := range reads {
			if hasPrefixPath(r, w) || hasPrefixPath(w, r) {
				return r
			}
		}
	}
	return ""
}

// keepsCopy reports whether instr persists the copy: stores it back to its
// origin or to a location below it (a field written back from the copy's
// field), stores or inserts it whole anywhere persistent, or re-initializes
// the cell from persistent state (the copy being changed is gone).
func (a *analysis) keepsCopy(instr ssa.Instruction, cell *ssa.Alloc, origin string) bool {
	switch in := instr.(type) {
	case *ssa.Store:
		if in.Addr == cell {
			return a.isPersistentCopy(in.Val)
		}
		dst := a.tr.Of(in.Addr)
		if !dst.Root.Persistent() {
			return false
		}
		if addr, ok := persist.IsLoad(in.Val); ok {
			if c, ok := copyCell(addr); ok && c == cell {
				return addr == cell || hasPrefixPath(dst.Path, origin)
			}
		}
	case *ssa.MapUpdate:
		if addr, ok := persist.IsLoad(in.Value); ok && addr == cell {
			return a.tr.Of(in.Map).Root.Persistent()
		}
	}
	return false
}
