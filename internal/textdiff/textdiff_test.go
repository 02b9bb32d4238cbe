package textdiff

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestUnifiedEqualIsEmpty(t *testing.T) {
	assert.Empty(t, Unified("a", "b", "x\ny\n", "x\ny\n"))
}

func TestUnifiedMovedLine(t *testing.T) {
	old := "func f() {\n\ts.out = append(s.out, 1)\n\tr, err := next()\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n"
	new := "func f() {\n\tr, err := next()\n\tif err != nil {\n\t\treturn err\n\t}\n\ts.out = append(s.out, 1)\n\treturn nil\n}\n"
	want := `--- f.go (old)
+++ f.go (new)
@@ -1,8 +1,8 @@
 func f() {
-	s.out = append(s.out, 1)
 	r, err := next()
 	if err != nil {
 		return err
 	}
+	s.out = append(s.out, 1)
 	return nil
 }
`
	assert.Equal(t, want, Unified("f.go (old)", "f.go (new)", old, new))
}

func TestUnifiedSeparateHunksAndMissingNewline(t *testing.T) {
	var lines []string
	for i := 1; i <= 20; i++ {
		lines = append(lines, strconv.Itoa(i))
	}
	old := strings.Join(lines, "\n")
	lines[1] = "two"
	lines[19] = "twenty"
	new := strings.Join(lines, "\n")
	got := Unified("a", "b", old, new)
	assert.Equal(t, 2, strings.Count(got, "@@ -"), got)
	assert.Contains(t, got, "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n")
	assert.Contains(t, got, "-20\n\\ No newline at end of file\n+twenty\n\\ No newline at end of file\n")
}

func TestUnifiedInsertIntoEmpty(t *testing.T) {
	assert.Equal(t, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", Unified("a", "b", "", "x\ny\n"))
}

// TestUnifiedAppliesBack checks, on random texts, that applying the diff to
// the old text yields the new text and that the hunk headers count right.
func TestUnifiedAppliesBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.SampledFrom([]string{"a\n", "b\n", "c\n", "}\n", "\n", "d"})
		old := strings.Join(rapid.SliceOfN(alphabet, 0, 40).Draw(t, "old"), "")
		new := strings.Join(rapid.SliceOfN(alphabet, 0, 40).Draw(t, "new"), "")
		d := Unified("old", "new", old, new)
		if old == new {
			require.Empty(t, d)
			return
		}
		got, err := apply(old, d)
		require.NoError(t, err, "diff:\n%s", d)
		require.Equal(t, new, got, "diff:\n%s", d)
	})
}

// apply is a minimal patch(1) for the diffs Unified writes.
func apply(old, diff string) (string, error) {
	src := splitLines(old)
	var out []string
	next := 0 // index in src of the first line not yet copied
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("missing header")
	}
	lines = lines[2:]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, "@@ -") {
			return "", fmt.Errorf("want hunk header, got %q", l)
		}
		var oldStart, oldCount, newStart, newCount int
		if _, err := fmt.Sscanf(normalize(l), "@@ -%d,%d +%d,%d @@", &oldStart, &oldCount, &newStart, &newCount); err != nil {
			return "", fmt.Errorf("header %q: %v", l, err)
		}
		first := oldStart - 1
		if oldCount == 0 {
			first = oldStart
		}
		if first < next {
			return "", fmt.Errorf("hunks overlap or go backwards at %q", l)
		}
		out = append(out, src[next:first]...)
		next = first
		var seenOld, seenNew int
		for i+1 < len(lines) && lines[i+1] != "" && !strings.HasPrefix(lines[i+1], "@@") {
			i++
			body := lines[i]
			text := body[1:]
			if i+1 < len(lines) && lines[i+1] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch body[0] {
			case ' ', '-':
				if next >= len(src) || src[next] != text {
					return "", fmt.Errorf("context mismatch at old line %d", next+1)
				}
				next++
				seenOld++
				if body[0] == ' ' {
					out = append(out, text)
					seenNew++
				}
			case '+':
				out = append(out, text)
				seenNew++
			default:
				return "", fmt.Errorf("bad line %q", body)
			}
		}
		if seenOld != oldCount || seenNew != newCount {
			return "", fmt.Errorf("header %q counts %d,%d; body has %d,%d", l, oldCount, newCount, seenOld, seenNew)
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, ""), nil
}

// normalize spells out the implicit count of 1 in "-l" and "+l".
func normalize(header string) string {
	fields := strings.Fields(header)
	for i, f := range fields[1:3] {
		if !strings.Contains(f, ",") {
			fields[i+1] = f + ",1"
		}
	}
	return strings.Join(fields, " ")
}
