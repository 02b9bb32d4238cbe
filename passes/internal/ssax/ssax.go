// Package ssax holds small facts about SSA shapes that several passes ask:
// which store a load reads, whether an edge dominates a block.
package ssax

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// ReachingStore returns the store into cell that a load of it reads when
// that store is earlier in the load's own block (the `*t0 = x; rundefers;
// return *t0` a return statement compiles to), or nil.
func ReachingStore(cell *ssa.Alloc, load *ssa.UnOp) *ssa.Store {
	b := load.Block()
	seenLoad := false
	for i := len(b.Instrs) - 1; i >= 0; i-- {
		in := b.Instrs[i]
		if in == load {
			seenLoad = true
			continue
		}
		if !seenLoad {
			continue
		}
		if st, ok := in.(*ssa.Store); ok && st.Addr == cell {
			return st
		}
		switch in.(type) {
		case *ssa.Call:
			return nil // a call in between may write the cell
		case *ssa.RunDefers:
			if Captured(cell) {
				return nil // a deferred closure may rewrite the result
			}
		}
	}
	return nil
}

// Captured reports whether a closure captures the cell.
func Captured(cell *ssa.Alloc) bool {
	for _, r := range *cell.Referrers() {
		if _, ok := r.(*ssa.MakeClosure); ok {
			return true
		}
	}
	return false
}

// OnlyStore returns the single store into a local cell, or nil.
func OnlyStore(cell *ssa.Alloc) *ssa.Store {
	var out *ssa.Store
	if cell.Referrers() == nil {
		return nil
	}
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			if out != nil {
				return nil
			}
			out = st
		}
	}
	return out
}

// EdgeDominates reports whether every path to b passes the edge from->to.
func EdgeDominates(from, to, b *ssa.BasicBlock) bool {
	if !to.Dominates(b) {
		return false
	}
	for _, p := range to.Preds {
		if p != from && !to.Dominates(p) {
			return false
		}
	}
	return true
}

// maxBackInstrs bounds how many instructions SameLoads reads back from a
// load, and maxBackBlocks how many blocks: a guard's question costs
// constant work, whatever the function's size.
const (
	maxBackInstrs = 256
	maxBackBlocks = 16
)

// SameLoads returns the earlier loads of the field that load reads (the
// same field of the same base value: `s.ret` read again under `if s.ret !=
// X && s.ret != Y { return s.ret }`) that hold the value it reads. It reads
// back from the load through its block and then up a chain of blocks that
// each have one predecessor (so every earlier load found dominates it, and
// the chain is the only path between them), and stops at the first store
// to that field of a value of the base's type, store of a whole such
// struct, or call. The loads of one field compile to separate
// instructions, and a guard tests one of them while a return reads
// another.
func SameLoads(load *ssa.UnOp) []*ssa.UnOp {
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || load.Op != token.MUL {
		return nil
	}
	var out []*ssa.UnOp
	b := load.Block()
	// The load's position: read back from the end of its block.
	i := len(b.Instrs) - 1
	read := 0
	for i >= 0 && b.Instrs[i] != load {
		i--
		if read++; read > maxBackInstrs {
			return nil
		}
	}
	for blocks := 0; blocks < maxBackBlocks; blocks++ {
		for i--; i >= 0; i-- {
			if read++; read > maxBackInstrs {
				return out
			}
			in := b.Instrs[i]
			if writesField(in, fa) {
				return out
			}
			if l, ok := in.(*ssa.UnOp); ok && l.Op == token.MUL {
				if o, ok := l.X.(*ssa.FieldAddr); ok && o.X == fa.X && o.Field == fa.Field {
					out = append(out, l)
				}
			}
		}
		if len(b.Preds) != 1 {
			return out
		}
		b = b.Preds[0]
		i = len(b.Instrs)
	}
	return out
}

// writesField reports whether in may write fa's field: a store to that
// field of a value of its base's type, a store of a whole such struct, or
// a call (builtins aside) or deferred calls run.
func writesField(in ssa.Instruction, fa *ssa.FieldAddr) bool {
	switch in := in.(type) {
	case *ssa.Store:
		if o, ok := in.Addr.(*ssa.FieldAddr); ok && o.Field == fa.Field && types.Identical(o.X.Type(), fa.X.Type()) {
			return true
		}
		return types.Identical(in.Addr.Type(), fa.X.Type()) // the whole struct written
	case *ssa.Call:
		_, builtin := in.Call.Value.(*ssa.Builtin)
		return !builtin
	case *ssa.Go, *ssa.Defer, *ssa.RunDefers:
		return true
	}
	return false
}

// Live reports, per block index, whether the block can run: it is
// reachable from the entry without taking the branch a constant condition
// rules out. SSA keeps `if debug { ... }` with `const debug = false` (it
// does not fold constant conditions, for fidelity to the source), but in
// the build being analysed that code never runs: its writes are no
// effects and its returns no yields. The cost is one pass over the blocks.
func Live(fn *ssa.Function) []bool {
	live := make([]bool, len(fn.Blocks))
	if len(fn.Blocks) == 0 {
		return live
	}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	live[0] = true
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		succs := b.Succs
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if c, ok := ifi.Cond.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
				if constant.BoolVal(c.Value) {
					succs = b.Succs[:1]
				} else {
					succs = b.Succs[1:]
				}
			}
		}
		for _, s := range succs {
			if !live[s.Index] {
				live[s.Index] = true
				stack = append(stack, s)
			}
		}
	}
	return live
}

// Instrs returns the number of fn's instructions: what a table indexed by
// instruction is sized for.
func Instrs(fn *ssa.Function) int {
	n := 0
	for _, b := range fn.Blocks {
		n += len(b.Instrs)
	}
	return n
}

// GuardedNonNil reports whether b is only reachable through the non-nil
// edge of a test `v != nil` (or the else edge of `v == nil`). It looks at
// the tests of v among v's uses, not up the dominator tree, so that its
// cost does not grow with the function.
func GuardedNonNil(v ssa.Value, b *ssa.BasicBlock) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		bin, ok := r.(*ssa.BinOp)
		if !ok || (bin.Op != token.NEQ && bin.Op != token.EQL) {
			continue
		}
		other := bin.Y
		if bin.Y == v {
			other = bin.X
		}
		if c, ok := other.(*ssa.Const); !ok || !c.IsNil() {
			continue
		}
		brefs := bin.Referrers()
		if brefs == nil {
			continue
		}
		for _, br := range *brefs {
			ifi, ok := br.(*ssa.If)
			if !ok {
				continue
			}
			d := ifi.Block()
			succ := d.Succs[0] // the true edge
			if bin.Op == token.EQL {
				succ = d.Succs[1]
			}
			if EdgeDominates(d, succ, b) {
				return true
			}
		}
	}
	return false
}

// NotNil reports whether v certainly is not nil: an allocation (make([]T,
// n) with a constant n included, an array allocated and sliced), a made
// map, slice or channel, an address, a closure or function, or a value
// converted to an interface.
func NotNil(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.MakeClosure, *ssa.MakeInterface,
		*ssa.FieldAddr, *ssa.IndexAddr, *ssa.Function:
		return true
	case *ssa.Slice:
		_, alloc := v.X.(*ssa.Alloc)
		return alloc
	}
	return false
}

// NonNilError reports whether an error value, returned (or passed on) at
// block at, is certainly not nil: built on the spot (a value converted to
// the interface, errors.New, fmt.Errorf), a package's sentinel error
// variable, a constant that is not nil, the value a result cell was just
// given, a forwarding helper's result when it is handed such an error
// (rt.Forward[T](r, err) under `if err != nil`), a phi whose every edge is
// one at its predecessor, or a value tested non-nil on every path to at.
// Its recursion is bounded (depth 8).
func NonNilError(v ssa.Value, at *ssa.BasicBlock) bool {
	return nonNilError(v, at, 0)
}

func nonNilError(v ssa.Value, at *ssa.BasicBlock, depth int) bool {
	if v == nil || depth > 8 {
		return false
	}
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return true
	case *ssa.Const:
		return !v.IsNil()
	case *ssa.UnOp:
		if v.Op != token.MUL {
			break
		}
		if _, ok := v.X.(*ssa.Global); ok {
			return true // a sentinel error variable
		}
		if cell, ok := v.X.(*ssa.Alloc); ok {
			if st := ReachingStore(cell, v); st != nil {
				return nonNilError(st.Val, st.Block(), depth+1)
			}
		}
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Signature.Recv() == nil {
			switch fn.Pkg.Pkg.Path() + "." + fn.Name() {
			case "errors.New", "fmt.Errorf":
				return true
			}
		}
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			for _, arg := range call.Call.Args {
				if IsError(arg.Type()) && nonNilError(arg, at, depth+1) {
					return true
				}
			}
		}
	case *ssa.Phi:
		for i, e := range v.Edges {
			if !nonNilError(e, v.Block().Preds[i], depth+1) {
				return false
			}
		}
		return len(v.Edges) > 0
	}
	return GuardedNonNil(v, at)
}

// IsError reports whether t is an interface type that implements error
// (error itself, or an interface embedding it).
func IsError(t types.Type) bool {
	return types.IsInterface(t) && types.Implements(t, errorInterface)
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// Call returns instr as a call instruction (a call, defer or go), or nil.
// It is what instr.(ssa.CallInstruction) answers, with a switch on the
// three concrete types: the analyses ask it of every instruction, and an
// assertion to an interface type is looked up in the runtime's table each
// time it meets a type its call site has not cached.
func Call(instr ssa.Instruction) ssa.CallInstruction {
	switch in := instr.(type) {
	case *ssa.Call:
		return in
	case *ssa.Defer:
		return in
	case *ssa.Go:
		return in
	}
	return nil
}

// Instr returns v as an instruction, or nil for the values that are not
// (constants, parameters, free variables, globals, functions, builtins).
// It answers what v.(ssa.Instruction) does, for the operand walks that
// ask it of every value they visit: the common kinds are matched by their
// concrete types, and only the rare ones go through the assertion to an
// interface (see Call).
func Instr(v ssa.Value) ssa.Instruction {
	switch v := v.(type) {
	case nil, *ssa.Const, *ssa.Parameter, *ssa.FreeVar, *ssa.Global, *ssa.Function, *ssa.Builtin:
		return nil
	case *ssa.UnOp:
		return v
	case *ssa.BinOp:
		return v
	case *ssa.Call:
		return v
	case *ssa.FieldAddr:
		return v
	case *ssa.IndexAddr:
		return v
	case *ssa.Field:
		return v
	case *ssa.Index:
		return v
	case *ssa.Phi:
		return v
	case *ssa.Alloc:
		return v
	case *ssa.Extract:
		return v
	case *ssa.Convert:
		return v
	case *ssa.ChangeType:
		return v
	case *ssa.MakeInterface:
		return v
	case *ssa.Slice:
		return v
	case *ssa.Lookup:
		return v
	case *ssa.TypeAssert:
		return v
	}
	instr, _ := v.(ssa.Instruction)
	return instr
}
