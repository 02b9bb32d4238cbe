package analyzer

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stmtIndexSrc = `package p

func f(ch chan int, n int) {
	a := 1
	if a > n {
		a++
	}
	switch n {
	case 1:
		a--
		a += 2
	}
	select {
	case v := <-ch:
		a = v
	}
L:
	for a < n {
		a++
		continue L
	}
	_ = func() { a = 3 }
}
`

// listed finds, for a position inside a statement, the innermost
// statement that sits directly in a list (a block, a case's or a comm
// clause's body), with that list and its position; the comm of a select
// case is not in its clause's body (the clause is in the select's block).
func TestStmtIndexListed(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", stmtIndexSrc, 0)
	require.NoError(t, err)
	x := newStmtIndex(f, 0, nil) // no size hint: the index grows as it goes
	at := func(text string) token.Pos {
		i := strings.Index(stmtIndexSrc, text)
		require.GreaterOrEqual(t, i, 0, text)
		return token.Pos(fset.File(f.Pos()).Base() + i)
	}
	src := func(n ast.Node) string {
		return stmtIndexSrc[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset]
	}
	for _, c := range []struct {
		at, stmt string
		i        int
	}{
		{"a := 1", "a := 1", 0},
		{"a++\n\t}\n\tswitch", "a++", 0},          // inside the if's block
		{"> n", "if a > n {\n\t\ta++\n\t}", 1},    // the condition: the if itself
		{"a += 2", "a += 2", 1},                   // a case body
		{"a = v", "a = v", 0},                     // a comm clause's body
		{"<-ch", "case v := <-ch:\n\t\ta = v", 0}, // the comm: its clause, in the select's block
		{"continue L", "continue L", 1},
		{"a = 3", "a = 3", 0}, // a function literal's body
	} {
		s, slot, ok := x.listed(at(c.at))
		require.True(t, ok, c.at)
		assert.Equal(t, c.stmt, src(s), c.at)
		assert.Equal(t, c.i, slot.i, c.at)
		assert.Same(t, s, slot.list[slot.i], c.at)
	}
	// The labeled statement is the list member, not the loop it labels.
	s, slot, ok := x.listed(at("for a < n"))
	require.True(t, ok)
	_, labeled := s.(*ast.LabeledStmt)
	assert.True(t, labeled)
	assert.Equal(t, 4, slot.i)

	assert.Equal(t, "a--", src(x.simpleStmt(at("a--"))))
	assert.Nil(t, x.simpleStmt(at("switch n")))
}

// TestIndexedNodeIsStmt checks indexedNode's list of concrete types
// against the interface it stands for, on every node of a source with
// each kind of statement and of a few standard packages.
func TestIndexedNodeIsStmt(t *testing.T) {
	const every = `package p

func f(ch chan int, xs []int, v any) {
	var a int
	a = 1
	a++
	f(ch, xs, v)
	ch <- a
	go f(ch, xs, v)
	defer f(ch, xs, v)
	if a > 0 {
	}
	for i := 0; i < a; i++ {
		continue
	}
	for range xs {
		break
	}
	switch a {
	case 1:
		fallthrough
	default:
	}
	switch v.(type) {
	case int:
	}
	select {
	case <-ch:
	default:
	}
L:
	;
	goto L
	_ = func() {}
	return
}
`
	fset := token.NewFileSet()
	files := []*ast.File{}
	f, err := parser.ParseFile(fset, "every.go", every, 0)
	require.NoError(t, err)
	files = append(files, f)
	// A syntax error leaves a BadStmt.
	bad, _ := parser.ParseFile(fset, "bad.go", "package p\nfunc g() { ) }\n", 0)
	require.NotNil(t, bad)
	files = append(files, bad)
	for _, dir := range []string{"go/ast", "go/parser", "net/http"} {
		names, err := filepath.Glob(filepath.Join(build.Default.GOROOT, "src", dir, "*.go"))
		require.NoError(t, err)
		require.NotEmpty(t, names, dir)
		for _, name := range names {
			f, err := parser.ParseFile(fset, name, nil, 0)
			require.NoError(t, err)
			files = append(files, f)
		}
	}
	kinds := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return true
			}
			_, stmt := n.(ast.Stmt)
			_, lit := n.(*ast.FuncLit)
			_, decl := n.(*ast.FuncDecl)
			if want := stmt || lit || decl; indexedNode(n) != want {
				t.Errorf("indexedNode(%T) = %v, want %v", n, !want, want)
			}
			if stmt {
				kinds[fmt.Sprintf("%T", n)] = true
			}
			return true
		})
	}
	// Every statement type go/ast has, so that a missing case would show.
	assert.Len(t, kinds, 21, "statement kinds met: %v", kinds)
}

// closuresSrc has function literals where a walk that skips expressions
// would miss them: in a composite literal, an argument, a go statement, a
// package-level variable, a deferred call, another literal's body.
const closuresSrc = `package p

var hook = func(n int) int {
	if n > 0 {
		n--
	}
	return n
}

type table struct{ fns []func() }

func g(run func(func()) int) int {
	t := table{fns: []func(){func() { hook(1) }, func() {
		for i := 0; i < 2; i++ {
			_ = i
		}
	}}}
	n := run(func() {
		go func() { n := 1; n++ }()
	})
	defer func() { _ = run(nil) }()
	x := 1 + run(func() { var f = func() { x := 2; _ = x }; f() })
	return n + x + len(t.fns)
}
`

// TestStmtIndexPruned checks that the walk which skips the nodes holding
// no function type indexes the same nodes, parents and slots as the walk
// that enters them all: on type-checked sources (the starts from the
// checker's scopes, as the reporter takes them) and on a few standard
// packages (the starts from the syntax).
func TestStmtIndexPruned(t *testing.T) {
	same := func(t *testing.T, f *ast.File, funcs []token.Pos) int {
		t.Helper()
		require.NotNil(t, funcs)
		full, pruned := newStmtIndex(f, 0, nil), newStmtIndex(f, 0, funcs)
		require.Equal(t, len(full.nodes), len(pruned.nodes))
		for i := range full.nodes {
			a, b := full.nodes[i], pruned.nodes[i]
			assert.Same(t, a.node, b.node)
			assert.Equal(t, a.parent, b.parent)
			assert.Equal(t, a.slot, b.slot)
		}
		return len(full.nodes)
	}
	for name, src := range map[string]string{"stmts.go": stmtIndexSrc, "closures.go": closuresSrc} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, 0)
		require.NoError(t, err)
		info := &types.Info{Scopes: map[ast.Node]*types.Scope{}}
		_, err = (&types.Config{}).Check("p", fset, []*ast.File{f}, info)
		require.NoError(t, err)
		assert.Greater(t, same(t, f, funcTypeStarts(info)), 10, name)
	}
	assert.Nil(t, funcTypeStarts(&types.Info{}), "no scopes: no pruning")

	fset := token.NewFileSet()
	indexed := 0
	for _, dir := range []string{"go/ast", "net/http"} {
		names, err := filepath.Glob(filepath.Join(build.Default.GOROOT, "src", dir, "*.go"))
		require.NoError(t, err)
		for _, name := range names {
			f, err := parser.ParseFile(fset, name, nil, 0)
			require.NoError(t, err)
			funcs := []token.Pos{}
			ast.Inspect(f, func(n ast.Node) bool {
				if ft, ok := n.(*ast.FuncType); ok {
					funcs = append(funcs, ft.Pos())
				}
				return true
			})
			slices.Sort(funcs)
			indexed += same(t, f, funcs)
		}
	}
	assert.Greater(t, indexed, 10000)
}
