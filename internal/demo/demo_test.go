package demo

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteExample(t *testing.T) {
	dir := t.TempDir()
	want, err := WriteExample(dir)
	require.NoError(t, err)
	for _, f := range []string{"go.mod", "rt/rt.go", "btree/cursor.go", "btree/buggy.go", "btree/fixed.go"} {
		assert.FileExists(t, filepath.Join(dir, filepath.FromSlash(f)))
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(mod), "module example.com/demo\n"))

	// The marked lines are the two bug shapes, both in buggy.go.
	require.Len(t, want, 2)
	buggy, err := os.ReadFile(filepath.Join(dir, "btree", "buggy.go"))
	require.NoError(t, err)
	lines := strings.Split(string(buggy), "\n")
	var marked []string
	for at := range want {
		file, line, ok := strings.Cut(at, ":")
		require.True(t, ok)
		assert.Equal(t, "btree/buggy.go", file)
		n, err := strconv.Atoi(line)
		require.NoError(t, err)
		marked = append(marked, strings.TrimSpace(lines[n-1]))
	}
	joined := strings.Join(marked, "\n")
	assert.Contains(t, joined, "s.buf = append(s.buf, s.last)")
	assert.Contains(t, joined, "c.count++")
}

func TestDifference(t *testing.T) {
	a := map[string]bool{"x:1": true, "y:2": true, "z:3": true}
	b := map[string]bool{"y:2": true}
	assert.Equal(t, []string{"x:1", "z:3"}, difference(a, b))
	assert.Empty(t, difference(b, a))
}
