package replay

import (
	"go/constant"
	"go/token"
	"go/types"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"golang.org/x/tools/go/ssa"
)

// maxGuardChain bounds how far above a yield phiGuard looks for the branch
// it lies under (blocks with a single predecessor each).
const maxGuardChain = 4

// phiGuard finds the branch a yield lies under when that branch tests a
// phi of its own block, and which of the block's predecessors can take it
// toward the yield. Code that records what it did in a local and tests the
// local afterwards has its paths correlated by the phi:
//
//	var n *Endpoint
//	if e := q.Front(); e != nil {
//		n = q.Remove(e).(*Endpoint) // the mutation
//	}
//	if n == nil {
//		return ErrWouldBlock // only reached when nothing was removed
//	}
//
// The path that removed sets n to a value that is not nil, so it cannot
// take the branch to the yield; the flow the yield is judged on is the one
// the other predecessors bring. It returns the blocks from the branch's
// block down to the yield's and the predecessors of the first to keep, or
// nil when every predecessor can reach the yield.
func (a *analysis) phiGuard(y *ssa.BasicBlock) ([]*ssa.BasicBlock, []bool) {
	chain := []*ssa.BasicBlock{y}
	c := y
	for range maxGuardChain {
		if len(c.Preds) != 1 {
			return nil, nil
		}
		m := c.Preds[0]
		chain = append(chain, m)
		if ifi, ok := m.Instrs[len(m.Instrs)-1].(*ssa.If); ok {
			if keep := edgePreds(ifi, c == m.Succs[0]); keep != nil {
				for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
					chain[i], chain[j] = chain[j], chain[i]
				}
				return chain, keep
			}
		}
		c = m
	}
	return nil, nil
}

// edgePreds returns, when an If tests a phi of its own block (p, !p, p ==
// k, p != k for a constant k), which predecessors can make the test come
// out as outcome; nil when the test is of another shape or all of them
// can.
func edgePreds(ifi *ssa.If, outcome bool) []bool {
	m := ifi.Block()
	cond := ifi.Cond
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond, outcome = not.X, !outcome
	}
	var phi *ssa.Phi
	var k *ssa.Const
	switch c := cond.(type) {
	case *ssa.Phi:
		phi = c // a boolean phi: compared with true
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			return nil
		}
		x, y := c.X, c.Y
		if _, ok := x.(*ssa.Const); ok {
			x, y = y, x
		}
		phi, _ = x.(*ssa.Phi)
		k, _ = y.(*ssa.Const)
		if k == nil {
			return nil
		}
		if c.Op == token.NEQ {
			outcome = !outcome
		}
	}
	// From here on the test is phi == k (k nil for a boolean phi: phi ==
	// true), and outcome is what the yield's edge needs it to be.
	if phi == nil || phi.Block() != m || len(phi.Edges) != len(m.Preds) {
		return nil
	}
	keep := make([]bool, len(phi.Edges))
	all := true
	for i, e := range phi.Edges {
		eq, known := equalsConst(e, k)
		keep[i] = !known || eq == outcome
		all = all && keep[i]
	}
	if all {
		return nil
	}
	return keep
}

// equalsConst reports whether v == k (v == true when k is nil and v is a
// boolean), and whether that is known.
func equalsConst(v ssa.Value, k *ssa.Const) (eq, known bool) {
	if k == nil {
		c, ok := v.(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != constant.Bool {
			return false, false
		}
		return constant.BoolVal(c.Value), true
	}
	if c, ok := v.(*ssa.Const); ok {
		switch {
		case c.IsNil() || k.IsNil():
			return c.IsNil() == k.IsNil(), true
		case c.Value != nil && k.Value != nil && c.Value.Kind() == k.Value.Kind():
			return constant.Compare(c.Value, token.EQL, k.Value), true
		}
		return false, false
	}
	if k.IsNil() && notNil(v) {
		return false, true
	}
	return false, false
}

// notNil reports whether a phi's edge value cannot be nil: what ssax.NotNil
// says, or the result of a type assertion to a pointer type (it held a
// value of that type; a nil pointer stored in an interface is taken not to
// happen, as in containers of live objects).
func notNil(v ssa.Value) bool {
	if ta, ok := v.(*ssa.TypeAssert); ok {
		_, ptr := ta.AssertedType.Underlying().(*types.Pointer)
		return !ta.CommaOk && ptr
	}
	return ssax.NotNil(v)
}
