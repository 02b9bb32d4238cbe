package analyzer

import (
	"bytes"
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// maxFixDistance bounds the statements a suggested fix may move a mutation
// across; past it no fix is offered (and the check stays cheap).
const maxFixDistance = 32

// moveBelowCheck builds the SuggestedFix for a mutation that sits in the same
// block as the propagation check of its yield point: move the statement just
// below the check. It applies only when that is mechanical: a simple
// statement, no dispatch in between, and nothing in between (or in the
// check) that mentions what the statement reads or writes.
func (r *reporter) moveBelowCheck(pos, yieldPos token.Pos) *analysis.SuggestedFix {
	file := r.fileOf(pos)
	if file == nil {
		return nil
	}
	_, slot, ok := r.index(file).listed(pos)
	if !ok {
		return nil
	}
	list, idx := slot.list, slot.i
	mut := list[idx]
	switch s := mut.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			return nil
		}
	case *ast.IncDecStmt, *ast.ExprStmt:
	default:
		return nil
	}
	// The statement holding the yield: the first one after the mutation
	// that ends past it (a binary search: lists can be long).
	check := idx + 1 + sort.Search(len(list)-idx-1, func(j int) bool { return list[idx+1+j].End() > yieldPos })
	if check >= len(list) || list[check].Pos() > yieldPos || check-idx > maxFixDistance {
		return nil
	}
	ifs, ok := list[check].(*ast.IfStmt)
	if !ok || ifs.Else != nil {
		return nil
	}
	mentioned := chains(mut)
	between := []ast.Node{ifs.Cond}
	if ifs.Init != nil {
		between = append(between, ifs.Init)
	}
	for _, s := range list[idx+1 : check] {
		switch s.(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SelectStmt,
			*ast.BranchStmt, *ast.ReturnStmt, *ast.LabeledStmt, *ast.DeferStmt, *ast.GoStmt:
			return nil
		}
		between = append(between, s)
	}
	for _, n := range between {
		for _, c := range chains(n) {
			for _, m := range mentioned {
				if related(c, m) {
					return nil
				}
			}
		}
	}
	tf := r.pass.Fset.File(pos)
	content, err := r.fileContent(tf.Name())
	if err != nil {
		return nil
	}
	startLine := tf.Line(mut.Pos())
	endLine := tf.Line(mut.End())
	start := tf.LineStart(startLine)
	end := token.Pos(tf.Base() + tf.Size())
	if endLine < tf.LineCount() {
		end = tf.LineStart(endLine + 1)
	}
	text := content[tf.Offset(start):tf.Offset(end)]
	if !bytes.HasSuffix(text, []byte("\n")) {
		return nil
	}
	// The statement must own its lines.
	lineText := string(text)
	if strings.TrimSpace(lineText[:tf.Offset(mut.Pos())-tf.Offset(start)]) != "" {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "Move the mutation below the yield check",
		TextEdits: []analysis.TextEdit{
			{Pos: start, End: end, NewText: nil},
			{Pos: ifs.End(), End: ifs.End(), NewText: []byte("\n" + strings.TrimSuffix(lineText, "\n"))},
		},
	}
}

// stmtAt returns the innermost simple statement containing pos.
func (r *reporter) stmtAt(pos token.Pos) ast.Stmt {
	file := r.fileOf(pos)
	if file == nil {
		return nil
	}
	return r.index(file).simpleStmt(pos)
}

// fileContent returns a file's bytes, read once per file however many
// fixes it gets.
func (r *reporter) fileContent(name string) ([]byte, error) {
	if b, ok := r.contents[name]; ok {
		return b, nil
	}
	b, err := r.pass.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if r.contents == nil {
		r.contents = map[string][]byte{}
	}
	r.contents[name] = b
	return b, nil
}

// index returns the statement index of a file, built on first use.
func (r *reporter) index(f *ast.File) *stmtIndex {
	if r.indexes == nil {
		r.indexes = map[*ast.File]*stmtIndex{}
	}
	x, ok := r.indexes[f]
	if !ok {
		lines := 0
		if tf := r.pass.Fset.File(f.Pos()); tf != nil {
			lines = tf.LineCount()
		}
		if r.funcs == nil {
			r.funcs = funcTypeStarts(r.pass.TypesInfo)
		}
		x = newStmtIndex(f, lines, r.funcs)
		r.indexes[f] = x
	}
	return x
}

// assignedName names the variable that the statement at pos assigns, as in
// `cur := NewCursor(root)`, or returns def.
func (r *reporter) assignedName(pos token.Pos, def string) string {
	if as, ok := r.stmtAt(pos).(*ast.AssignStmt); ok && len(as.Lhs) == 1 {
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			return id.Name
		}
	}
	return def
}

func (r *reporter) fileOf(pos token.Pos) *ast.File {
	for _, f := range r.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// chains collects the selector chains and identifiers a node mentions:
// "s.out", "s.pending", "x". A bare root used as a value appears alone. A
// list, possibly with repeats, not a set: a statement mentions a few, and
// the callers only compare every pair (a map per statement was most of
// what a fix cost).
func chains(n ast.Node) []string {
	var out []string
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if c := chain(n); c != "" {
				out = append(out, c)
				return false
			}
		case *ast.Ident:
			out = append(out, n.Name)
		}
		return true
	})
	return out
}

func chain(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := chain(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// related reports whether two chains may denote overlapping state: equal,
// or one a prefix of the other at a selector boundary.
func related(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(b) > len(a) && b[len(a)] == '.' && strings.HasPrefix(b, a)
}
