package mutants

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// Mutant is one mutated version of one source file.
type Mutant struct {
	Op      string // the operator's name
	Func    string // the mutated function, "Type.Method" or "Func"
	Line    int    // line of the mutated site in the original file
	Summary string // what was changed, on one line
	Src     []byte // the whole mutated file, gofmt'ed
}

// Operator finds the sites of one kind of mutation in a file and describes
// the edit each one makes. Sites must be found in a deterministic order.
type Operator struct {
	Name string
	Doc  string
	find func(f *file) []site
}

// Operators is every operator, in report order.
var Operators = []Operator{
	{"hoist-mutation", "a receiver-state write that follows a propagate-if-IO block moves above the call it tests", findHoist},
	{"early-transition", "the state assignment after a re-pollable call moves before the call", findEarly},
	{"drop-io", "a propagate-if-IO block is removed: the result is used as if Done", findDropIO},
	{"half-test", "a propagate block that tests err || IsIO keeps only the other test", findHalfTest},
	{"second-call", "the transition into the next state is removed and the next state's body runs in this one", findSecondCall},
	{"copy-update", "an in-place update through a field becomes an update of a local copy", findCopyUpdate},
	{"rebuild-group", "a memoized group build (if s.g == nil { ... Build() }) runs unconditionally", findRebuild},
}

// OperatorByName returns the named operator.
func OperatorByName(name string) (Operator, bool) {
	for _, op := range Operators {
		if op.Name == name {
			return op, true
		}
	}
	return Operator{}, false
}

// Generate applies op to every site it finds in src (the file name is for
// positions only) and returns one mutant per site whose edit produces a
// well-formed file. The field types that copy-update looks up are those
// declared in src and in pkg (the package's other files, may be nil).
func Generate(op Operator, filename string, src []byte, pkg ...[]byte) ([]Mutant, error) {
	f, err := parseFile(filename, src)
	if err != nil {
		return nil, err
	}
	f.fields, f.structs = map[string][]ast.Expr{}, map[string]bool{}
	f.declare(f.ast)
	for _, other := range pkg {
		if o, err := parseFile("other.go", other); err == nil {
			f.declare(o.ast)
		}
	}
	var out []Mutant
	for _, s := range op.find(f) {
		mut, err := s.apply(src)
		if err != nil {
			continue // the edit does not even parse: not a mutant
		}
		out = append(out, Mutant{
			Op:      op.Name,
			Func:    s.fn,
			Line:    f.fset.Position(s.pos).Line,
			Summary: s.summary,
			Src:     mut,
		})
	}
	return out, nil
}

// file is a parsed source file with its bytes, and what its package
// declares.
type file struct {
	fset *token.FileSet
	ast  *ast.File
	src  []byte

	fields  map[string][]ast.Expr // field name -> its types, over the package's struct types
	structs map[string]bool       // the package's struct type names
}

// declare records the struct types of af and their fields.
func (f *file) declare(af *ast.File) {
	ast.Inspect(af, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return true
		}
		f.structs[ts.Name.Name] = true
		for _, fl := range st.Fields.List {
			for _, name := range fl.Names {
				f.fields[name.Name] = append(f.fields[name.Name], fl.Type)
			}
		}
		return true
	})
}

// valueField reports whether some struct of the package has a field of
// that name holding a struct of the package by value (indexed: a slice or
// array of them), so that copying it copies the state.
func (f *file) valueField(name string, indexed bool) bool {
	for _, t := range f.fields[name] {
		if indexed {
			at, ok := t.(*ast.ArrayType)
			if !ok {
				continue
			}
			t = at.Elt
		}
		if id, ok := t.(*ast.Ident); ok && f.structs[id.Name] {
			return true
		}
	}
	return false
}

// pointerField reports whether some struct of the package has a field of
// that name holding a pointer to a struct of the package.
func (f *file) pointerField(name string) bool {
	for _, t := range f.fields[name] {
		if st, ok := t.(*ast.StarExpr); ok {
			if id, ok := st.X.(*ast.Ident); ok && f.structs[id.Name] {
				return true
			}
		}
	}
	return false
}

// copyable reports whether e is x.f or x.f[i], x an identifier, and f a
// value field of a struct type of the package.
func (f *file) copyable(e ast.Expr) bool {
	indexed := false
	if ix, ok := e.(*ast.IndexExpr); ok {
		e, indexed = ix.X, true
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if _, ok := sel.X.(*ast.Ident); !ok {
		return false
	}
	return f.valueField(sel.Sel.Name, indexed)
}

func parseFile(filename string, src []byte) (*file, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	return &file{fset: fset, ast: f, src: src}, nil
}

func (f *file) off(p token.Pos) int { return f.fset.Position(p).Offset }

// text is the source of n.
func (f *file) text(n ast.Node) string { return string(f.src[f.off(n.Pos()):f.off(n.End())]) }

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// site is one applicable place of an operator.
type site struct {
	fn      string
	pos     token.Pos
	summary string
	edits   []edit
}

// apply performs the site's edits on src and formats the result.
func (s site) apply(src []byte) ([]byte, error) {
	es := append([]edit(nil), s.edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].start > es[j].start })
	out := append([]byte(nil), src...)
	for i, e := range es {
		if i > 0 && e.end > es[i-1].start {
			return nil, fmt.Errorf("overlapping edits")
		}
		out = append(out[:e.start:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return format.Source(out)
}

// --- shared recognizers ---

// resumables returns the functions that return an rt.IOResult or an
// rt.TransitionResult as their first result, with their names.
func (f *file) resumables() []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, d := range f.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Type.Results == nil || len(fd.Type.Results.List) == 0 {
			continue
		}
		if isResultType(fd.Type.Results.List[0].Type) {
			out = append(out, fd)
		}
	}
	return out
}

func isResultType(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.IndexExpr:
		return isResultType(t.X)
	case *ast.IndexListExpr:
		return isResultType(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name == "IOResult" || t.Sel.Name == "TransitionResult"
	case *ast.Ident:
		return t.Name == "IOResult" || t.Name == "TransitionResult"
	}
	return false
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// repollable names the calls that start or drive I/O: a sub-operation's
// Resume or Step, or a submission on a file.
var repollable = map[string]bool{
	"Resume": true, "Step": true,
	"ReadAt": true, "WriteAt": true, "WriteV": true, "Sync": true, "Truncate": true,
}

// isRepollableCall reports whether n is a call of a re-pollable method.
func isRepollableCall(n ast.Node) bool {
	c, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && repollable[sel.Sel.Name]
}

// contains reports whether pred holds for a node under n, not looking into
// function literals.
func contains(n ast.Node, pred func(ast.Node) bool) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found || m == nil {
			return false
		}
		if _, ok := m.(*ast.FuncLit); ok {
			return false
		}
		if pred(m) {
			found = true
			return false
		}
		return true
	})
	return found
}

// isIOTest reports whether e is a call x.IsIO().
func isIOTest(e ast.Expr) bool {
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(c.Args) != 0 {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "IsIO"
}

// ioTested returns the name of the variable whose IsIO is called in cond.
func ioTested(cond ast.Expr) string {
	name := ""
	ast.Inspect(cond, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && isIOTest(e) {
			if id, ok := e.(*ast.CallExpr).Fun.(*ast.SelectorExpr).X.(*ast.Ident); ok && name == "" {
				name = id.Name
			}
		}
		return name == ""
	})
	return name
}

// isPropagate reports whether s is a propagate-if-IO block: an if without
// else whose condition calls IsIO and whose body returns.
func isPropagate(s ast.Stmt) (*ast.IfStmt, bool) {
	ifs, ok := s.(*ast.IfStmt)
	if !ok || ifs.Else != nil || ioTested(ifs.Cond) == "" || len(ifs.Body.List) == 0 {
		return nil, false
	}
	_, ret := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt)
	return ifs, ret
}

// blockVisit calls fn for every statement list in body (blocks, case and
// comm clauses), with the statement that owns the list (nil for body).
func blockVisit(body *ast.BlockStmt, fn func(list []ast.Stmt, owner ast.Node)) {
	fn(body.List, nil)
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			fn(x.Body.List, x)
		case *ast.ForStmt:
			fn(x.Body.List, x)
		case *ast.RangeStmt:
			fn(x.Body.List, x)
		case *ast.CaseClause:
			fn(x.Body, x)
		case *ast.CommClause:
			fn(x.Body, x)
		case *ast.BlockStmt:
			// Bare blocks and else blocks: owned by themselves.
		}
		return true
	})
}

// parents maps every statement list's owner to the list that holds it, so
// that "the statement after this if" can be found one level up.
type listPos struct {
	list []ast.Stmt
	i    int
}

func stmtPositions(body *ast.BlockStmt) map[ast.Stmt]listPos {
	pos := map[ast.Stmt]listPos{}
	record := func(list []ast.Stmt) {
		for i, s := range list {
			pos[s] = listPos{list, i}
		}
	}
	record(body.List)
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			record(x.List)
		case *ast.CaseClause:
			record(x.Body)
		case *ast.CommClause:
			record(x.Body)
		}
		return true
	})
	return pos
}

// isFieldWrite reports whether s writes through a selector, an index or a
// dereference (state that outlives the call), not to a plain local.
func isFieldWrite(s ast.Stmt) bool {
	var lhs []ast.Expr
	switch x := s.(type) {
	case *ast.AssignStmt:
		if x.Tok == token.DEFINE {
			return false
		}
		lhs = x.Lhs
	case *ast.IncDecStmt:
		lhs = []ast.Expr{x.X}
	default:
		return false
	}
	for _, e := range lhs {
		switch ast.Unparen(e).(type) {
		case *ast.SelectorExpr, *ast.IndexExpr, *ast.StarExpr:
		default:
			return false
		}
	}
	return true
}

// stateTags returns the printed tags of the state switches in fd: switch
// statements whose tag is a field (switch p.state).
func (f *file) stateTags(fd *ast.FuncDecl) map[string]bool {
	tags := map[string]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if sw, ok := n.(*ast.SwitchStmt); ok && sw.Tag != nil {
			if _, ok := sw.Tag.(*ast.SelectorExpr); ok {
				tags[f.text(sw.Tag)] = true
			}
		}
		return true
	})
	return tags
}

// assignsTo reports whether s is an assignment (=) with one of its left-hand
// sides printed as one of names; it returns that index.
func (f *file) assignsTo(s ast.Stmt, names map[string]bool) (*ast.AssignStmt, int) {
	a, ok := s.(*ast.AssignStmt)
	if !ok || a.Tok != token.ASSIGN || len(a.Lhs) != len(a.Rhs) {
		return nil, -1
	}
	for i, l := range a.Lhs {
		if names[f.text(l)] {
			return a, i
		}
	}
	return nil, -1
}

// splitAssign returns the source of a without its i-th pair ("" if that
// was the only one) and of the i-th pair alone.
func (f *file) splitAssign(a *ast.AssignStmt, i int) (rest, pair string) {
	var ls, rs []string
	for j := range a.Lhs {
		if j != i {
			ls = append(ls, f.text(a.Lhs[j]))
			rs = append(rs, f.text(a.Rhs[j]))
		}
	}
	pair = f.text(a.Lhs[i]) + " = " + f.text(a.Rhs[i])
	if len(ls) > 0 {
		rest = strings.Join(ls, ", ") + " = " + strings.Join(rs, ", ")
	}
	return rest, pair
}

// oneLine squeezes a statement's source onto one line for summaries.
func oneLine(s string) string { return clip(s, 70) }

// clip squeezes s onto one line of at most n bytes.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n-3] + "..."
	}
	return s
}

// stmtDefining returns the index in list, before i, of the nearest
// statement that assigns name (the call whose result an if tests).
func stmtDefining(list []ast.Stmt, i int, name string) int {
	for j := i - 1; j >= 0; j-- {
		a, ok := list[j].(*ast.AssignStmt)
		if !ok {
			continue
		}
		for _, l := range a.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				return j
			}
		}
	}
	return -1
}

// deleteStmt removes s, with its line if it has one of its own.
func (f *file) deleteStmt(s ast.Stmt) edit { return f.replaceStmt(s, "") }

// replaceStmt replaces s with text; an empty text removes s's line too
// when s is alone on it.
func (f *file) replaceStmt(s ast.Stmt, text string) edit {
	start, end := f.off(s.Pos()), f.off(s.End())
	if text != "" {
		return edit{start, end, text}
	}
	ls := lineStart(f.src, start)
	if len(bytes.TrimSpace(f.src[ls:start])) == 0 && end < len(f.src) && f.src[end] == '\n' {
		return edit{ls, end + 1, ""}
	}
	return edit{start, end, ""}
}

// lineStart returns the offset of the start of the line holding off, so
// that inserted statements keep to their own lines.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// --- operators ---

// findHoist: a field write right after a propagate-if-IO block (or right
// after the if that ends with one) moves above the call the block tests.
func findHoist(f *file) []site {
	var out []site
	for _, fd := range f.resumables() {
		tags := f.stateTags(fd)
		pos := stmtPositions(fd.Body)
		blockVisit(fd.Body, func(list []ast.Stmt, owner ast.Node) {
			for i, s := range list {
				ifs, ok := isPropagate(s)
				if !ok {
					continue
				}
				name := ioTested(ifs.Cond)
				var call ast.Stmt
				if ifs.Init != nil {
					call = ifs
				} else if j := stmtDefining(list, i, name); j >= 0 {
					call = list[j]
				} else {
					continue
				}
				var next ast.Stmt
				if i+1 < len(list) {
					next = list[i+1]
				} else if o, ok := owner.(*ast.IfStmt); ok && o.Else == nil {
					if p, ok := pos[o]; ok && p.i+1 < len(p.list) {
						next = p.list[p.i+1]
					}
				}
				if next == nil || !isFieldWrite(next) {
					continue
				}
				if a, _ := f.assignsTo(next, tags); a != nil {
					continue // a state transition: early-transition's
				}
				at := lineStart(f.src, f.off(call.Pos()))
				out = append(out, site{
					fn:      funcName(fd),
					pos:     next.Pos(),
					summary: fmt.Sprintf("moved %q above %q", oneLine(f.text(next)), oneLine(f.text(call))),
					edits: []edit{
						{at, at, f.text(next) + "\n"},
						f.deleteStmt(next),
					},
				})
			}
		})
	}
	return out
}

// findEarly: in a case of a state switch, the first state assignment after
// the first re-pollable call moves before that call.
func findEarly(f *file) []site {
	var out []site
	for _, fd := range f.resumables() {
		tags := f.stateTags(fd)
		if len(tags) == 0 {
			continue
		}
		pos := stmtPositions(fd.Body)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			cc, ok := n.(*ast.CaseClause)
			if !ok {
				return true
			}
			k := -1
			for i, s := range cc.Body {
				if contains(s, isRepollableCall) {
					k = i
					break
				}
			}
			if k < 0 {
				return true
			}
			call := innermostStmt(cc.Body[k], pos)
			for _, s := range cc.Body[k+1:] {
				a, i := f.assignsTo(s, tags)
				if a == nil {
					continue
				}
				rest, pair := f.splitAssign(a, i)
				at := lineStart(f.src, f.off(call.Pos()))
				out = append(out, site{
					fn:      funcName(fd),
					pos:     a.Pos(),
					summary: fmt.Sprintf("moved %q above %q", pair, oneLine(f.text(call))),
					edits: []edit{
						{at, at, pair + "\n"},
						f.replaceStmt(a, rest),
					},
				})
				break
			}
			return true
		})
	}
	return out
}

// innermostStmt returns the first statement under s, in source order,
// that makes a re-pollable call itself: a simple statement, or an if whose
// init or condition makes it (s itself if there is none).
func innermostStmt(s ast.Stmt, pos map[ast.Stmt]listPos) ast.Stmt {
	var best ast.Stmt
	ast.Inspect(s, func(n ast.Node) bool {
		if best != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		st, ok := n.(ast.Stmt)
		if !ok {
			return true
		}
		if _, listed := pos[st]; !listed {
			return true
		}
		switch x := st.(type) {
		case *ast.IfStmt:
			if (x.Init != nil && contains(x.Init, isRepollableCall)) || contains(x.Cond, isRepollableCall) {
				best = st
			}
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.BlockStmt, *ast.SelectStmt, *ast.LabeledStmt:
		default:
			if contains(st, isRepollableCall) {
				best = st
			}
		}
		return true
	})
	if best == nil {
		return s
	}
	return best
}

// condIdents returns the local names a condition mentions (not selectors'
// fields, not nil/true/false), in order, once each.
func condIdents(cond ast.Expr) []string {
	var names []string
	seen := map[string]bool{"nil": true, "true": true, "false": true}
	ast.Inspect(cond, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(x.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && !seen[id.Name] {
					seen[id.Name] = true
					names = append(names, id.Name)
				}
				return true
			})
			return false
		case *ast.Ident:
			if !seen[x.Name] {
				seen[x.Name] = true
				names = append(names, x.Name)
			}
		}
		return true
	})
	return names
}

// findDropIO: a propagate-if-IO block is replaced by blank uses of what it
// tested, so the code after it runs on an IO result as if it were Done.
func findDropIO(f *file) []site {
	var out []site
	for _, fd := range f.resumables() {
		blockVisit(fd.Body, func(list []ast.Stmt, _ ast.Node) {
			for _, s := range list {
				ifs, ok := isPropagate(s)
				if !ok {
					continue
				}
				names := condIdents(ifs.Cond)
				repl := ""
				if ifs.Init != nil {
					repl = f.text(ifs.Init) + "\n"
				}
				if len(names) > 0 {
					blanks := strings.TrimSuffix(strings.Repeat("_, ", len(names)), ", ")
					repl += blanks + " = " + strings.Join(names, ", ")
				}
				out = append(out, site{
					fn:      funcName(fd),
					pos:     ifs.Pos(),
					summary: fmt.Sprintf("removed %q", "if "+oneLine(f.text(ifs.Cond))+" { ... }"),
					edits:   []edit{{f.off(ifs.Pos()), f.off(ifs.End()), repl}},
				})
			}
		})
	}
	return out
}

// orTerms flattens a || b || c.
func orTerms(e ast.Expr) []ast.Expr {
	if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.LOR {
		return append(orTerms(b.X), orTerms(b.Y)...)
	}
	return []ast.Expr{e}
}

// findHalfTest: a propagate block testing err != nil || r.IsIO() keeps only
// the terms that are not IsIO.
func findHalfTest(f *file) []site {
	var out []site
	for _, fd := range f.resumables() {
		blockVisit(fd.Body, func(list []ast.Stmt, _ ast.Node) {
			for _, s := range list {
				ifs, ok := isPropagate(s)
				if !ok {
					continue
				}
				var keep []string
				terms := orTerms(ifs.Cond)
				for _, t := range terms {
					if !isIOTest(t) {
						keep = append(keep, f.text(t))
					}
				}
				if len(keep) == 0 || len(keep) == len(terms) {
					continue
				}
				cond := strings.Join(keep, " || ")
				out = append(out, site{
					fn:      funcName(fd),
					pos:     ifs.Pos(),
					summary: fmt.Sprintf("if %s -> if %s", oneLine(f.text(ifs.Cond)), cond),
					edits:   []edit{{f.off(ifs.Cond.Pos()), f.off(ifs.Cond.End()), cond}},
				})
			}
		})
	}
	return out
}

// yields reports whether n returns an IO result built by the runtime
// (rt.Wait, rt.Yield, rt.Forward, rt.TransitionIO).
func yields(n ast.Node) bool {
	r, ok := n.(*ast.ReturnStmt)
	if !ok || len(r.Results) == 0 {
		return false
	}
	return contains(r.Results[0], func(m ast.Node) bool {
		id, ok := m.(*ast.Ident)
		return ok && (id.Name == "Wait" || id.Name == "Yield" || id.Name == "Forward" || id.Name == "TransitionIO")
	})
}

// findSecondCall: a case that re-enters (it calls or yields) and ends by
// moving to the next state loses that transition, and the next state's
// body, which makes a re-pollable call, is appended to it: both calls now
// run in one state.
func findSecondCall(f *file) []site {
	var out []site
	for _, fd := range f.resumables() {
		tags := f.stateTags(fd)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok || sw.Tag == nil || !tags[f.text(sw.Tag)] {
				return true
			}
			one := map[string]bool{f.text(sw.Tag): true}
			cases := map[string]*ast.CaseClause{}
			for _, s := range sw.Body.List {
				cc := s.(*ast.CaseClause)
				for _, e := range cc.List {
					cases[f.text(e)] = cc
				}
			}
			for _, s := range sw.Body.List {
				cc := s.(*ast.CaseClause)
				if len(cc.Body) == 0 || !contains(&ast.BlockStmt{List: cc.Body}, func(m ast.Node) bool { return isRepollableCall(m) || yields(m) }) {
					continue
				}
				last := len(cc.Body) - 1
				if br, ok := cc.Body[last].(*ast.BranchStmt); ok && br.Tok == token.CONTINUE && last > 0 {
					last--
				}
				a, i := f.assignsTo(cc.Body[last], one)
				if a == nil {
					continue
				}
				next := cases[f.text(a.Rhs[i])]
				if next == nil || next == cc || !contains(&ast.BlockStmt{List: next.Body}, isRepollableCall) {
					continue
				}
				rest, _ := f.splitAssign(a, i)
				body := f.src[f.off(next.Colon)+1 : f.off(next.End())]
				end := f.off(cc.End())
				out = append(out, site{
					fn:      funcName(fd),
					pos:     a.Pos(),
					summary: fmt.Sprintf("dropped the transition to %s and ran its body in this state", f.text(a.Rhs[i])),
					edits: []edit{
						{f.off(a.Pos()), f.off(a.End()), rest},
						{end, end, "\n{\n" + strings.TrimSpace(string(body)) + "\n}\n"},
					},
				})
			}
			return true
		})
	}
	return out
}

// findCopyUpdate: an update through a field, a.f.M(...) (as a statement or
// as the right-hand side of an assignment), a.f.x = v, p := &a.f or
// l := a.f (an alias of a pointer field), where a.f may also be a.f[i],
// becomes an update of a local copy that is never written back. Only
// fields that hold a struct of the package by value (or, for the alias, a
// pointer to one) qualify: copying a pointer or an interface copies
// nothing.
func findCopyUpdate(f *file) []site {
	var out []site
	const cp = "mutantCopy"
	for _, fd := range f.resumables() {
		blockVisit(fd.Body, func(list []ast.Stmt, _ ast.Node) {
			for _, s := range list {
				var from, repl string
				switch x := s.(type) {
				case *ast.ExprStmt:
					c, ok := x.X.(*ast.CallExpr)
					if !ok {
						continue
					}
					sel, ok := c.Fun.(*ast.SelectorExpr)
					if !ok || !f.copyable(sel.X) {
						continue
					}
					from = f.text(sel.X)
					repl = fmt.Sprintf("{\n%s := %s\n%s.%s%s\n}", cp, from, cp, sel.Sel.Name, f.src[f.off(c.Lparen):f.off(c.End())])
				case *ast.AssignStmt:
					if len(x.Rhs) != 1 {
						continue
					}
					if c, ok := x.Rhs[0].(*ast.CallExpr); ok {
						// r, err := a.f.M(...): the call works on a copy.
						sel, ok := c.Fun.(*ast.SelectorExpr)
						if !ok || !f.copyable(sel.X) {
							continue
						}
						from = f.text(sel.X)
						var lhs []string
						for _, l := range x.Lhs {
							lhs = append(lhs, f.text(l))
						}
						repl = fmt.Sprintf("%s := %s\n%s %s %s.%s%s", cp, from, strings.Join(lhs, ", "), x.Tok, cp, sel.Sel.Name, f.src[f.off(c.Lparen):f.off(c.End())])
						break
					}
					if len(x.Lhs) != 1 {
						continue
					}
					if x.Tok == token.DEFINE {
						id, ok := x.Lhs[0].(*ast.Ident)
						if !ok {
							continue
						}
						switch r := x.Rhs[0].(type) {
						case *ast.UnaryExpr: // p := &a.f
							if r.Op != token.AND || !f.copyable(r.X) {
								continue
							}
							from = f.text(r.X)
							repl = fmt.Sprintf("%s := %s\n%s := &%s", cp, from, id.Name, cp)
						case *ast.SelectorExpr: // l := a.f
							if _, ok := r.X.(*ast.Ident); !ok || !isRecv(fd, r.X.(*ast.Ident).Name) || !f.pointerField(r.Sel.Name) {
								continue
							}
							from = f.text(r)
							repl = fmt.Sprintf("%s := *%s\n%s := &%s", cp, from, id.Name, cp)
						default:
							continue
						}
						break
					}
					sel, ok := x.Lhs[0].(*ast.SelectorExpr)
					if !ok || !f.copyable(sel.X) {
						continue
					}
					from = f.text(sel.X)
					repl = fmt.Sprintf("{\n%s := %s\n%s.%s %s %s\n}", cp, from, cp, sel.Sel.Name, x.Tok, f.text(x.Rhs[0]))
				case *ast.IncDecStmt:
					sel, ok := x.X.(*ast.SelectorExpr)
					if !ok || !f.copyable(sel.X) {
						continue
					}
					from = f.text(sel.X)
					repl = fmt.Sprintf("{\n%s := %s\n%s.%s%s\n}", cp, from, cp, sel.Sel.Name, x.Tok)
				default:
					continue
				}
				out = append(out, site{
					fn:      funcName(fd),
					pos:     s.Pos(),
					summary: fmt.Sprintf("%q now works on a copy of %s", oneLine(f.text(s)), from),
					edits:   []edit{{f.off(s.Pos()), f.off(s.End()), repl}},
				})
			}
		})
	}
	return out
}

func isRecv(fd *ast.FuncDecl, name string) bool {
	if fd.Recv == nil {
		return false
	}
	for _, fl := range fd.Recv.List {
		for _, n := range fl.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

// findRebuild: if x.f == nil { ...; x.f = ... } whose body builds a group
// (NewGroup or Build) runs every time.
func findRebuild(f *file) []site {
	var out []site
	for _, fd := range f.resumables() {
		blockVisit(fd.Body, func(list []ast.Stmt, _ ast.Node) {
			for _, s := range list {
				ifs, ok := s.(*ast.IfStmt)
				if !ok || ifs.Else != nil || ifs.Init != nil {
					continue
				}
				b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
				if !ok || b.Op != token.EQL || f.text(b.Y) != "nil" {
					continue
				}
				if _, ok := b.X.(*ast.SelectorExpr); !ok {
					continue
				}
				memo := map[string]bool{f.text(b.X): true}
				assigns := contains(ifs.Body, func(m ast.Node) bool {
					st, ok := m.(ast.Stmt)
					if !ok {
						return false
					}
					a, _ := f.assignsTo(st, memo)
					return a != nil
				})
				builds := contains(ifs.Body, func(m ast.Node) bool {
					c, ok := m.(*ast.CallExpr)
					if !ok {
						return false
					}
					switch fn := c.Fun.(type) {
					case *ast.SelectorExpr:
						return fn.Sel.Name == "Build" || fn.Sel.Name == "NewGroup"
					case *ast.Ident:
						return fn.Name == "NewGroup"
					}
					return false
				})
				if !assigns || !builds {
					continue
				}
				out = append(out, site{
					fn:      funcName(fd),
					pos:     ifs.Pos(),
					summary: fmt.Sprintf("made %q unconditional", "if "+f.text(ifs.Cond)),
					edits:   []edit{{f.off(ifs.Pos()), f.off(ifs.End()), f.text(ifs.Body)}},
				})
			}
		})
	}
	return out
}
