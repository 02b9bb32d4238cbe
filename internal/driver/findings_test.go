package driver

import (
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// findings keeps one of each identical diagnostic (the same file analysed
// in p and in its test variant) and every diagnostic that differs from
// another at the same start in its end, category or message; the result is
// ordered by file, offset and category, and fixes are resolved only when
// asked.
func TestFindingsDeduplicatesAtOneStart(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("p.go", -1, 100)
	f.SetLinesForContent([]byte("0123456789\n0123456789\n0123456789\n"))
	pos := func(off int) token.Pos { return f.Pos(off) }
	a := &analysis.Analyzer{Name: "a"}
	fix := []analysis.SuggestedFix{{Message: "fix", TextEdits: []analysis.TextEdit{{Pos: pos(2), End: pos(3), NewText: []byte("x")}}}}
	diags := []analysis.Diagnostic{
		{Pos: pos(12), End: pos(14), Category: "r", Message: "later"},
		{Pos: pos(2), End: pos(4), Category: "r", Message: "one", SuggestedFixes: fix},
		{Pos: pos(2), End: pos(4), Category: "r", Message: "two"},     // another message
		{Pos: pos(2), End: pos(5), Category: "r", Message: "one"},     // another end
		{Pos: pos(2), End: pos(4), Category: "q", Message: "one"},     // another category
		{Pos: pos(2), End: pos(4), Category: "r", Message: "one"},     // a duplicate within one action
		{Pos: pos(12), End: pos(14), Category: "r", Message: "later"}, // and a later one
	}
	act := func(id string, ds []analysis.Diagnostic) *checker.Action {
		return &checker.Action{Analyzer: a, Package: &packages.Package{ID: id, Fset: fset}, IsRoot: true, Diagnostics: ds}
	}
	g := &checker.Graph{Roots: []*checker.Action{act("p", diags), act("p [p.test]", diags)}}

	type seen struct {
		off, end       int
		category, text string
	}
	var got []seen
	fs := findings(g, true)
	for _, f := range fs {
		got = append(got, seen{f.Pos.Offset, f.End.Offset, f.Category, f.Message})
	}
	assert.Equal(t, []seen{
		{2, 4, "q", "one"},
		{2, 4, "r", "one"},
		{2, 4, "r", "two"},
		{2, 5, "r", "one"},
		{12, 14, "r", "later"},
	}, got)
	require.Len(t, fs[1].Fixes, 1, "the first of the duplicates is kept, with its fix")
	assert.Equal(t, "p", fs[1].Package)
	assert.Equal(t, "x", fs[1].Fixes[0].Edits[0].New)

	plain := findings(g, false)
	require.Len(t, plain, len(fs))
	assert.Empty(t, plain[1].Fixes, "fixes not asked for")
}
