package driver

import (
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WriteText spells every position as token.Position.String does (file
// relative to base): with and without a column, without a file name, and
// invalid.
func TestWriteTextPositions(t *testing.T) {
	base := "/src/mod"
	pos := []token.Position{
		{Filename: "/src/mod/a/a.go", Line: 3, Column: 7},
		{Filename: "/src/mod/a/a.go", Line: 4},
		{Filename: "/elsewhere/b.go", Line: 1, Column: 2},
		{Line: 5, Column: 1},
		{Filename: "/src/mod/c.go"},
		{},
	}
	var findings []Finding
	var want strings.Builder
	for i, p := range pos {
		f := Finding{Pos: p, Message: "m", Category: []string{"", "rule"}[i%2],
			Related: []Related{{Pos: p, Message: "r"}}}
		findings = append(findings, f)
		want.WriteString(RelPosition(p, base) + ": m")
		if f.Category != "" {
			want.WriteString(" (" + f.Category + ")")
		}
		want.WriteString("\n\t" + RelPosition(p, base) + ": r\n")
	}
	var b strings.Builder
	require.NoError(t, WriteText(&b, findings, base))
	assert.Equal(t, want.String(), b.String())
	assert.Contains(t, b.String(), "a/a.go:3:7: m\n")
	assert.Contains(t, b.String(), "\n-: m (rule)\n")
}
