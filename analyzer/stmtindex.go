package analyzer

import (
	"go/ast"
	"go/token"
	"sort"
)

// stmtIndex answers "which statement is at this position" for one file in
// time logarithmic in the file's size plus its nesting depth. It is built
// once per file by one walk, so reporting n findings costs O(file + n log
// file), where asking astutil.PathEnclosingInterval for each finding would
// cost O(file) per finding.
type stmtIndex struct {
	nodes []indexed // statements, function literals and declarations, in pre-order
}

type indexed struct {
	node   ast.Node
	parent int // index in nodes, or -1
	// slot is the node's position in its parent's statement list, or -1
	// when it is in none; next, for a node that holds a list, is the
	// position of the next list member the walk will meet. A slot per
	// node, not a map from statements to slots, because the index of a
	// large file was mostly that map.
	slot, next int32
}

// listSlot is where a statement sits in a statement list.
type listSlot struct {
	list []ast.Stmt
	i    int
}

// stmtList returns the statement list n holds directly, if any.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// indexedNode reports whether the index holds n: a statement, a function
// literal or a declared function. The statements are matched by their
// concrete types: the walk asks it of every node of the file, and a case
// of an interface type (ast.Stmt) is a lookup in the runtime's table for
// most of them. TestIndexedNodeIsStmt keeps the list equal to ast.Stmt's
// implementations.
func indexedNode(n ast.Node) bool {
	switch n.(type) {
	case *ast.AssignStmt, *ast.ExprStmt, *ast.IncDecStmt, *ast.BlockStmt, *ast.IfStmt, *ast.ReturnStmt,
		*ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.CaseClause,
		*ast.SelectStmt, *ast.CommClause, *ast.DeclStmt, *ast.BranchStmt, *ast.LabeledStmt,
		*ast.DeferStmt, *ast.GoStmt, *ast.SendStmt, *ast.EmptyStmt, *ast.BadStmt,
		*ast.FuncLit, *ast.FuncDecl:
		return true
	}
	return false
}

func newStmtIndex(f *ast.File, lines int) *stmtIndex {
	// About one indexed node per line (a statement, a function): sized
	// once, so that the index of a large file is not grown by doubling.
	x := &stmtIndex{nodes: make([]indexed, 0, lines+1)}
	var stack []int
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1] // leaving a node
			return true
		}
		if indexedNode(n) {
			parent := -1
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j] >= 0 {
					parent = stack[j]
					break
				}
			}
			// The walk meets a list's members in order, each as a child
			// of the list's holder (the holder's other children, a
			// CommClause's Comm, are not members: they do not match).
			slot := int32(-1)
			if parent >= 0 && len(stack) > 0 && stack[len(stack)-1] == parent {
				p := &x.nodes[parent]
				if list := stmtList(p.node); int(p.next) < len(list) && list[p.next] == n {
					slot = p.next
					p.next++
				}
			}
			x.nodes = append(x.nodes, indexed{node: n, parent: parent, slot: slot})
			stack = append(stack, len(x.nodes)-1)
		} else {
			stack = append(stack, -2) // a node that is not indexed
		}
		return true
	})
	return x
}

// innermost returns the index of the innermost indexed node containing pos,
// or -1.
func (x *stmtIndex) innermost(pos token.Pos) int {
	i := sort.Search(len(x.nodes), func(i int) bool { return x.nodes[i].node.Pos() > pos }) - 1
	for i >= 0 && !(x.nodes[i].node.Pos() <= pos && pos < x.nodes[i].node.End()) {
		i = x.nodes[i].parent
	}
	return i
}

// simpleStmt returns the innermost simple statement containing pos, unless
// a block or function boundary is closer.
func (x *stmtIndex) simpleStmt(pos token.Pos) ast.Stmt {
	for i := x.innermost(pos); i >= 0; i = x.nodes[i].parent {
		switch n := x.nodes[i].node.(type) {
		case *ast.AssignStmt, *ast.IncDecStmt, *ast.ExprStmt, *ast.DeferStmt, *ast.SendStmt, *ast.GoStmt:
			return n.(ast.Stmt)
		case *ast.BlockStmt, *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	return nil
}

// listed returns the innermost statement containing pos that sits directly
// in a statement list, with its list and index.
func (x *stmtIndex) listed(pos token.Pos) (ast.Stmt, listSlot, bool) {
	for i := x.innermost(pos); i >= 0; i = x.nodes[i].parent {
		s, ok := x.nodes[i].node.(ast.Stmt)
		if !ok || x.nodes[i].slot < 0 {
			continue
		}
		list := stmtList(x.nodes[x.nodes[i].parent].node)
		return s, listSlot{list, int(x.nodes[i].slot)}, true
	}
	return nil, listSlot{}, false
}
