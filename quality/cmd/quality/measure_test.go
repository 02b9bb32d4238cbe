package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// src is a tiny synthetic corpus: two buggy functions (C1, C3), two
// correct ones (C1), and an unlabelled helper.
const src = `package p

// A is buggy.
//
// quality: bug C1 counter before the yield
func (s *S) A() int {
	return 1
}

// B is buggy.
//
// quality: bug C3 early transition
func (s *S) B() int {
	return 2
}

// C is correct.
//
// quality: ok C1 reset then rebuild
func C() int {
	return 3
}

// D is correct.
//
// quality: ok C1 blind write
func (s *S) D() int {
	return 4
}

func helper() int {
	return 5
}
`

func synthetic(t *testing.T) []Label {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	require.NoError(t, err)
	ls, err := parseLabels("example.com/p", fset, []*ast.File{f})
	require.NoError(t, err)
	return ls
}

func TestLabelsAndRanges(t *testing.T) {
	ls := synthetic(t)
	require.Len(t, ls, 4)
	require.Equal(t, "S.A", ls[0].Func)
	require.True(t, ls[0].Bug)
	require.Equal(t, "C1", ls[0].Class)
	require.Equal(t, "counter before the yield", ls[0].Note)
	require.Equal(t, [2]int{6, 8}, [2]int{ls[0].Start, ls[0].End}, "the declaration, doc comment excluded")
	require.Equal(t, "C", ls[2].Func)
	require.False(t, ls[2].Bug)
}

func TestMalformedLabel(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "q.go", "package q\n\n// quality: buggy C1\nfunc F() {}\n", parser.ParseComments)
	require.NoError(t, err)
	_, err = parseLabels("q", fset, []*ast.File{f})
	require.ErrorContains(t, err, "malformed label")
}

func TestMeasure(t *testing.T) {
	ls := synthetic(t)
	fs := []Finding{
		{File: "p.go", Line: 7, Rule: "mutation-before-yield", Message: "increments s.n"},   // in A: true positive
		{File: "p.go", Line: 8, Rule: "mutation-before-yield", Message: "again"},            // in A again: one function
		{File: "p.go", Line: 21, Rule: "local-progress", Message: "loop restarts"},          // in C: false positive
		{File: "p.go", Line: 31, Rule: "mutation-before-yield", Message: "outside"},         // in helper: unattributed
		{File: "other.go", Line: 7, Rule: "mutation-before-yield", Message: "another file"}, // unattributed
	}
	m := Measure(ls, fs)
	require.Equal(t, 4, m.Functions)
	require.Equal(t, 2, m.Buggy)
	require.Equal(t, 2, m.Correct)
	require.Equal(t, 1, m.TruePos)
	require.Equal(t, 1, m.FalsePos)
	require.InDelta(t, 0.5, m.Recall, 1e-9)
	require.InDelta(t, 0.5, m.Precision, 1e-9)
	require.Len(t, m.FalseNeg, 1)
	require.Equal(t, "S.B", m.FalseNeg[0].Label.Func)
	require.Len(t, m.FalsePosList, 1)
	require.Equal(t, "C", m.FalsePosList[0].Label.Func)
	require.Len(t, m.Unattributed, 2)

	rows := map[string]ClassRow{}
	for _, r := range m.Classes {
		rows[r.Class] = r
	}
	c1 := rows["C1"]
	require.Equal(t, 1, c1.Buggy)
	require.Equal(t, 2, c1.Correct)
	require.Equal(t, 1, c1.Flagged)
	require.Equal(t, 1, c1.RightRule)
	require.Equal(t, 1, c1.CorrectFl)
	require.InDelta(t, 1.0, c1.Recall, 1e-9)
	require.InDelta(t, 1.0, c1.Precision, 1e-9, "the C1 rule flagged only A")
	c3 := rows["C3"]
	require.Equal(t, 1, c3.Missed)
	require.InDelta(t, 0.0, c3.Recall, 1e-9)
	c4 := rows["C4"]
	require.Equal(t, 1, c4.FalsePos, "local-progress flagged the correct C")
	require.InDelta(t, 0.0, c4.Precision, 1e-9)

	var out bytes.Buffer
	m.Print(&out)
	for _, want := range []string{
		"corpus: 4 functions, 2 buggy, 2 correct",
		"overall: recall 0.50",
		"p.S.B [bug C3] early transition",
		"p.C [ok C1] reset then rebuild",
		"line 21 [local-progress] loop restarts",
		"findings outside labelled functions (2)",
	} {
		require.True(t, strings.Contains(out.String(), want), "missing %q in:\n%s", want, out.String())
	}

	out.Reset()
	m.Markdown(&out)
	require.Contains(t, out.String(), "| C1 | 1 | 2 | 1 | 1 | 0 | 0 | 1 | 1.00 | 1.00 |")
	require.Contains(t, out.String(), "| C3 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0.00 | 1.00 |")
	require.Contains(t, out.String(), "**Overall: recall 0.50 (1 of 2 bugs flagged, 1 missed), precision 0.50 (1 of 2 correct functions flagged).**")
}
