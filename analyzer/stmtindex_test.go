package analyzer

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
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
	x := newStmtIndex(f, 0) // no size hint: the index grows as it goes
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
