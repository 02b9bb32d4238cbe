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
	nodes  []indexed // statements, function literals and declarations, in pre-order
	inList map[ast.Stmt]listSlot
}

type indexed struct {
	node   ast.Node
	parent int // index in nodes, or -1
}

// listSlot is where a statement sits in a statement list.
type listSlot struct {
	list []ast.Stmt
	i    int
}

func newStmtIndex(f *ast.File) *stmtIndex {
	x := &stmtIndex{inList: map[ast.Stmt]listSlot{}}
	var stack []int
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1] // leaving a node
			return true
		}
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		for i, s := range list {
			x.inList[s] = listSlot{list, i}
		}
		switch n.(type) {
		case ast.Stmt, *ast.FuncLit, *ast.FuncDecl:
			parent := -1
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j] >= 0 {
					parent = stack[j]
					break
				}
			}
			x.nodes = append(x.nodes, indexed{n, parent})
			stack = append(stack, len(x.nodes)-1)
		default:
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
		if !ok {
			continue
		}
		if slot, ok := x.inList[s]; ok {
			return s, slot, true
		}
	}
	return nil, listSlot{}, false
}
