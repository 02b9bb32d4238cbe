package golangci

import (
	"errors"
	"flag"
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

	"github.com/reentrycheck/reentrycheck/analyzer"
)

// lines adds a file of n lines, each 10 bytes long, and returns the
// position of the start of each line (pos[1] is line 1).
func lines(fset *token.FileSet, name string, n int) []token.Pos {
	f := fset.AddFile(name, -1, 10*n)
	pos := make([]token.Pos, n+1)
	for l := 1; l <= n; l++ {
		if l > 1 {
			f.AddLine(10 * (l - 1))
		}
		pos[l] = f.Pos(10 * (l - 1))
	}
	return pos
}

func TestFoldedAnalyzerFoldsRelatedIntoTheMessage(t *testing.T) {
	fset := token.NewFileSet()
	buggy := lines(fset, "/src/pkg/buggy.go", 30)
	other := lines(fset, "/src/pkg/other.go", 30)
	fix := analysis.SuggestedFix{Message: "move it", TextEdits: []analysis.TextEdit{{Pos: buggy[12], End: buggy[13], NewText: []byte("x")}}}
	sent := []analysis.Diagnostic{
		// Related in the same file, not named by the message.
		{Pos: buggy[12], End: buggy[13], Category: "mutation-before-yield", URL: "https://example.com/rule",
			Message:        "appends to s.out",
			Related:        []analysis.RelatedInformation{{Pos: buggy[19], Message: "the yield point that re-enters"}},
			SuggestedFixes: []analysis.SuggestedFix{fix}},
		// Related in another file.
		{Pos: buggy[5], Category: "callback-ignores-error", Message: "completion callback overwrites w.n",
			Related: []analysis.RelatedInformation{{Pos: other[7], Message: "the callback"}}},
		// The message already names the yield point: not repeated.
		{Pos: buggy[20], Category: "mutation-before-yield", Message: "s.n++ before the yield at buggy.go:19: re-entry repeats it",
			Related: []analysis.RelatedInformation{{Pos: buggy[19], Message: "the yield point that re-enters"}}},
		// Two related positions, one without a message, one invalid; the
		// message names buggy.go:2, which is neither buggy.go:21 nor
		// other.go:21.
		{Pos: buggy[22], Category: "lost-copy", Message: "see buggy.go:2 and xbuggy.go:21",
			Related: []analysis.RelatedInformation{{Pos: buggy[21], Message: "the exit that drops the copy"}, {Pos: other[21]}, {Pos: token.NoPos, Message: "nowhere"}}},
		// No related information: untouched.
		{Pos: buggy[3], Category: "dropped-result", Message: "the result of f is discarded"},
	}

	var got []analysis.Diagnostic
	resultKey := &analysis.Analyzer{Name: "dep"}
	inner := &analysis.Analyzer{
		Name: "fake", Doc: "fake",
		Run: func(pass *analysis.Pass) (any, error) {
			assert.Same(t, fset, pass.Fset, "the wrapped pass is the original but for Report")
			for _, d := range sent {
				pass.Report(d)
			}
			return pass.ResultOf[resultKey], errors.New("inner error")
		},
	}
	pass := &analysis.Pass{
		Fset:     fset,
		ResultOf: map[*analysis.Analyzer]any{resultKey: 42},
		Report:   func(d analysis.Diagnostic) { got = append(got, d) },
	}
	res, err := folded(inner).Run(pass)
	assert.Equal(t, 42, res, "the result passes through")
	assert.EqualError(t, err, "inner error", "the error passes through")
	require.Len(t, got, len(sent))

	assert.Equal(t, "appends to s.out (the yield point that re-enters at buggy.go:19)", got[0].Message)
	assert.Equal(t, "completion callback overwrites w.n (the callback at other.go:7)", got[1].Message)
	assert.Equal(t, "s.n++ before the yield at buggy.go:19: re-entry repeats it", got[2].Message)
	assert.Equal(t, "see buggy.go:2 and xbuggy.go:21 (the exit that drops the copy at buggy.go:21; see other.go:21)", got[3].Message)
	assert.Equal(t, sent[4], got[4])
	for i, d := range got {
		assert.Nil(t, d.Related, "diagnostic %d keeps no related information", i)
		assert.Equal(t, sent[i].Pos, d.Pos)
		assert.Equal(t, sent[i].End, d.End)
		assert.Equal(t, sent[i].Category, d.Category)
		assert.Equal(t, sent[i].URL, d.URL)
		assert.Equal(t, sent[i].SuggestedFixes, d.SuggestedFixes)
	}
	assert.Equal(t, []analysis.SuggestedFix{fix}, got[0].SuggestedFixes, "the fix is kept")
	assert.NotNil(t, sent[0].Related, "the analyzer's own diagnostic is not modified")
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want bool
	}{
		{"a.go:2", true},
		{"at a.go:2: x", true},
		{"(a.go:2)", true},
		{"at a.go:21", false},
		{"at ba.go:2", false},
		{"at x_a.go:2", false},
		{"at dir/a.go:2", false},
		{"at a.go:3, a.go:21 and a.go:2.", true},
		{"", false},
	} {
		assert.Equal(t, tc.want, names(tc.msg, "a.go:2"), "%q", tc.msg)
	}
}

func TestFoldedAnalyzerKeepsTheAnalyzersIdentity(t *testing.T) {
	a := analyzer.Analyzer
	f := folded(a)
	require.NotSame(t, a, f)
	assert.Equal(t, a.Name, f.Name, "//nolint:reentrycheck and linters.enable use the name")
	assert.Equal(t, a.Doc, f.Doc)
	assert.Equal(t, a.URL, f.URL)
	assert.Equal(t, a.Requires, f.Requires, "the same analyzers, so facts flow as before")
	for i := range a.Requires {
		assert.Same(t, a.Requires[i], f.Requires[i])
	}
	assert.Equal(t, a.FactTypes, f.FactTypes)
	assert.Equal(t, a.ResultType, f.ResultType)
	assert.Equal(t, a.RunDespiteErrors, f.RunDespiteErrors)
	var names []string
	a.Flags.VisitAll(func(fl *flag.Flag) {
		names = append(names, fl.Name)
		assert.Same(t, fl, f.Flags.Lookup(fl.Name), "flag -%s is shared", fl.Name)
	})
	assert.Contains(t, names, "rules")
	assert.NotNil(t, f.Run)
	assert.NoError(t, analysis.Validate([]*analysis.Analyzer{f}))
}
