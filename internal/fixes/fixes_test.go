package fixes

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const src = `package p

func f(s *S) error {
	s.out = append(s.out, 1)
	if err := g(); err != nil {
		return err
	}
	return nil
}
`

func reader(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if c, ok := files[name]; ok {
			return []byte(c), nil
		}
		return nil, os.ErrNotExist
	}
}

// moveFix moves the append below the if block, as reentrycheck's fix does:
// delete the statement line, insert it after the closing brace.
func moveFix() Fix {
	stmt := "\ts.out = append(s.out, 1)\n"
	start := indexOf(src, stmt)
	after := indexOf(src, "\t}\n") + len("\t}\n")
	return Fix{Message: "move the append below the check", Edits: []Edit{
		{File: "p.go", Start: start, End: start + len(stmt)},
		{File: "p.go", Start: after, End: after, New: "s.out = append(s.out, 1)\n"}, // gofmt re-indents
	}}
}

func indexOf(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		panic("not found: " + sub)
	}
	return i
}

func TestMergeMovesAndFormats(t *testing.T) {
	res, err := Merge([]Fix{moveFix()}, reader(map[string]string{"p.go": src}))
	require.NoError(t, err)
	require.Len(t, res.Files, 1)
	assert.Equal(t, 1, res.Applied)
	assert.NoError(t, res.Files[0].FormatErr)
	assert.Equal(t, src, string(res.Files[0].Old))
	assert.Equal(t, `package p

func f(s *S) error {
	if err := g(); err != nil {
		return err
	}
	s.out = append(s.out, 1)
	return nil
}
`, string(res.Files[0].New))
}

func TestMergeDeduplicatesTestVariantCopies(t *testing.T) {
	res, err := Merge([]Fix{moveFix(), moveFix()}, reader(map[string]string{"p.go": src}))
	require.NoError(t, err)
	assert.Equal(t, 1, res.Applied)
	assert.Equal(t, 1, res.Duplicates)
	assert.Empty(t, res.Conflicts)
	assert.Equal(t, 1, strings.Count(string(res.Files[0].New), "append"))
}

func TestMergeDropsOverlappingFix(t *testing.T) {
	start := indexOf(src, "s.out")
	other := Fix{Message: "rename", Edits: []Edit{{File: "p.go", Start: start, End: start + 5, New: "s.buf"}}}
	res, err := Merge([]Fix{moveFix(), other}, reader(map[string]string{"p.go": src}))
	require.NoError(t, err)
	assert.Equal(t, 1, res.Applied)
	assert.Equal(t, []string{"rename"}, res.Conflicts)
	assert.NotContains(t, string(res.Files[0].New), "s.buf")
}

func TestMergeInsertionBeforeReplacementAtSameOffset(t *testing.T) {
	files := map[string]string{"x.txt": "abcdef"}
	fixes := []Fix{
		{Message: "replace", Edits: []Edit{{File: "x.txt", Start: 2, End: 4, New: "XY"}}},
		{Message: "insert", Edits: []Edit{{File: "x.txt", Start: 2, End: 2, New: "+"}}},
	}
	res, err := Merge(fixes, reader(files))
	require.NoError(t, err)
	require.Len(t, res.Files, 1)
	assert.Equal(t, "ab+XYef", string(res.Files[0].New))
}

func TestMergeReportsUnformattableResult(t *testing.T) {
	files := map[string]string{"p.go": src}
	brace := indexOf(src, "{")
	res, err := Merge([]Fix{{Message: "break it", Edits: []Edit{{File: "p.go", Start: brace, End: brace + 1}}}}, reader(files))
	require.NoError(t, err)
	require.Len(t, res.Files, 1)
	assert.Error(t, res.Files[0].FormatErr)
}

func TestMergeErrors(t *testing.T) {
	_, err := Merge([]Fix{{Message: "m", Edits: []Edit{{File: "missing.go"}}}}, reader(nil))
	assert.True(t, errors.Is(err, os.ErrNotExist))

	_, err = Merge([]Fix{{Message: "m", Edits: []Edit{{File: "p.go", Start: 0, End: 1 << 20}}}}, reader(map[string]string{"p.go": src}))
	assert.ErrorContains(t, err, "outside p.go")
}
