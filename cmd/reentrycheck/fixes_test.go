package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The analyzer builds fixes only for the outputs that show them: -json
// prints the analyzer's fixes, -fix, -diff and SARIF the driver's; the text
// output shows none.
func TestFixesBuiltOnlyForOutputsThatShowThem(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.go"), []byte("package m\n\nfunc F() {}\n"), 0o644))
	t.Chdir(dir)
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOWORK", "off")
	saved := *config.Global
	t.Cleanup(func() { *config.Global = saved })
	for _, c := range []struct {
		args  []string
		fixes bool
	}{
		{[]string{"./..."}, false},
		{[]string{"-json", "./..."}, true},
		{[]string{"-sarif", "./..."}, true},
		{[]string{"-diff", "./..."}, true},
		{[]string{"-fix", "./..."}, true},
		{[]string{"./..."}, false},
	} {
		var stdout, stderr bytes.Buffer
		code := run(c.args, &stdout, &stderr)
		assert.Equal(t, exitClean, code, "%v: %s", c.args, stderr.String())
		assert.Equal(t, !c.fixes, config.Global.WithoutFixes, "%v", c.args)
	}
}
