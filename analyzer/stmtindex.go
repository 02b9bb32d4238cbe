package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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

// newStmtIndex indexes the statements of f. funcs, when not nil, is the
// sorted start positions of the function types of f's package (from the
// type checker's scopes): a statement lies in the body of a function
// declaration or literal, whose type starts inside every node around the
// statement, so the walk skips any other node that holds no such start (an
// expression, a type, a declaration of variables without function
// literals). Most of a file's nodes are expressions; this skips them.
func newStmtIndex(f *ast.File, lines int, funcs []token.Pos) *stmtIndex {
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
			return true
		}
		if funcs != nil && !holdsPos(funcs, n.Pos(), n.End()) {
			return false // nothing indexed below: not entered, so not left either
		}
		stack = append(stack, -2) // a node that is not indexed
		return true
	})
	return x
}

// holdsPos reports whether a position of the sorted ps lies in [pos, end).
func holdsPos(ps []token.Pos, pos, end token.Pos) bool {
	i, _ := slices.BinarySearch(ps, pos)
	return i < len(ps) && ps[i] < end
}

// funcTypeStarts returns the sorted start positions of the function types
// that info has scopes for: those of every function declaration and
// literal (and of function type expressions, which only makes the index's
// walk enter a few more nodes). The index of a file is built with them;
// nil when the pass has no scopes, and then the walk enters every node.
func funcTypeStarts(info *types.Info) []token.Pos {
	if info == nil || len(info.Scopes) == 0 {
		return nil
	}
	ps := []token.Pos{}
	for n := range info.Scopes {
		if ft, ok := n.(*ast.FuncType); ok {
			ps = append(ps, ft.Pos())
		}
	}
	slices.Sort(ps)
	return ps
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
		// One case per type: a concrete statement converts to ast.Stmt
		// without the runtime's lookup that n.(ast.Stmt) would make.
		switch n := x.nodes[i].node.(type) {
		case *ast.AssignStmt:
			return n
		case *ast.IncDecStmt:
			return n
		case *ast.ExprStmt:
			return n
		case *ast.DeferStmt:
			return n
		case *ast.SendStmt:
			return n
		case *ast.GoStmt:
			return n
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
		// Only a statement has a slot in a list: the slot is tested first,
		// and the one node returned is looked up in the list, not asserted.
		if x.nodes[i].slot < 0 {
			continue
		}
		list := stmtList(x.nodes[x.nodes[i].parent].node)
		return list[x.nodes[i].slot], listSlot{list, int(x.nodes[i].slot)}, true
	}
	return nil, listSlot{}, false
}
