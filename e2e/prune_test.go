package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The standalone command loads from source and analyses only the root
// packages that can see a directive or a package a flag names. These tests
// run it with and without that pruning (REENTRYCHECK_NOPRUNE=1) on module
// prune and require the same output, byte for byte, in every form, and
// check through REENTRYCHECK_LOADTRACE what was loaded from source.
//
// In module prune, lib carries no directive and is relevant only through
// rt's; ext carries none either and is declared by flags, so extuser is
// relevant only with them; tested is relevant only through its test file;
// plain is relevant in no case.

var pruneFlags = []string{"-ioresult=example.com/prune/ext.Result", "-completion=example.com/prune/ext.Completion", "-done=example.com/prune/ext.Done"}

// pruneRun runs reentrycheck in mod with pruning on (returning the IDs of
// the packages it loaded from source) and off, and requires both to print
// and exit the same.
func pruneRun(t *testing.T, mod string, args ...string) (stderr string, code int, loaded []string) {
	t.Helper()
	trace := filepath.Join(t.TempDir(), "loaded")
	pOut, pErr, pCode := run(t, mod, append(baseEnv(), "REENTRYCHECK_LOADTRACE="+trace), binary, args...)
	fOut, fErr, fCode := run(t, mod, append(baseEnv(), "REENTRYCHECK_NOPRUNE=1"), binary, args...)
	assert.Equal(t, fCode, pCode, "%v: exit code", args)
	assert.Equal(t, fOut, pOut, "%v: stdout", args)
	assert.Equal(t, fErr, pErr, "%v: stderr", args)
	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	for _, id := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(id, "example.com/prune/") {
			loaded = append(loaded, id)
		}
	}
	return pErr, pCode, loaded
}

func TestCLIPruningLosesNothing(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "prune")
	stderr, code, loaded := pruneRun(t, mod, append(pruneFlags, "./...")...)
	assert.Equal(t, 3, code, stderr)
	// The findings that need pruning to keep a root: through a
	// dependency's directive, through a flag, through a test file.
	for _, at := range []string{"lib/lib.go:33:2: increments t.count", "extuser/extuser.go:32:2: appends to s.out", "tested/tested_test.go:17:2: increments w.steps"} {
		assert.Contains(t, stderr, filepath.FromSlash(at))
	}
	assert.NotContains(t, stderr, "plain")
	assert.Equal(t, []string{
		"example.com/prune/ext",
		"example.com/prune/extuser",
		"example.com/prune/lib",
		"example.com/prune/rt",
		"example.com/prune/tested",
		"example.com/prune/tested [example.com/prune/tested.test]",
		"example.com/prune/tested.test",
	}, loaded, "plain and its test variants are not loaded from source")

	for _, form := range []string{"-json", "-sarif", "-diff"} {
		stdout, code, _ := pruneRun(t, mod, append([]string{form}, append(pruneFlags, "./...")...)...)
		assert.NotEqual(t, 1, code, "%s: %s", form, stdout)
	}

	// Without the flags ext and extuser are left out too, and lib's and
	// tested's findings stay.
	stderr, code, loaded = pruneRun(t, mod, "./...")
	assert.Equal(t, 3, code, stderr)
	assert.Contains(t, stderr, filepath.FromSlash("lib/lib.go:33:2"))
	assert.NotContains(t, stderr, "extuser")
	assert.NotContains(t, loaded, "example.com/prune/extuser")
	assert.NotContains(t, loaded, "example.com/prune/plain")

	// Nothing relevant at all: nothing is loaded from source, the output
	// is the empty one, and the warning about an entry still comes.
	stderr, code, loaded = pruneRun(t, mod, "-json", "-idempotent=example.com/prune/nope.F", "./plain")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, loaded)
	assert.Contains(t, stderr, `warning: -idempotent entry "example.com/prune/nope.F"`)

	// -fix writes the same files either way (the diff above); here it runs
	// once, pruned, and leaves nothing to fix in the relevant packages.
	_, _, code = run(t, mod, baseEnv(), binary, append([]string{"-fix"}, append(pruneFlags, "./...")...)...)
	assert.NotEqual(t, 1, code)
	_, stderr, _ = run(t, mod, baseEnv(), binary, append(pruneFlags, "./...")...)
	assert.NotContains(t, stderr, "appends to s.out", "the fix of extuser was applied")
}
