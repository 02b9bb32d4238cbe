package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goTool runs the go command in mod with a fresh build cache. With a warm
// cache, go vet can replay findings cached for another package (its cache key
// ignores VetxOnly, so `go vet ./b` may repeat what an earlier run reported
// for a dependency), which would hide whether facts really flowed.
func goTool(t *testing.T, mod string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return run(t, mod, append(baseEnv(), "GOCACHE="+t.TempDir()), "go", args...)
}

func TestVetProtocol(t *testing.T) {
	needBinary(t)
	dir := t.TempDir()
	stdout, _, code := reentrycheck(t, dir, "-V=full")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `^\S*reentrycheck\S* version devel .*buildID=[0-9a-f]+\n$`, stdout, "go vet keys its cache on this line")

	stdout, _, code = reentrycheck(t, dir, "-flags")
	assert.Equal(t, 0, code)
	var flags []struct {
		Name string
		Bool bool
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &flags), stdout)
	names := map[string]bool{}
	for _, f := range flags {
		names[f.Name] = true
	}
	for _, f := range []string{"reentrycheck.ioresult", "reentrycheck.done", "reentrycheck.completion", "reentrycheck.idempotent", "reentrycheck.rules", "json", "diff"} {
		assert.True(t, names[f], "-flags lists %s for go vet", f)
	}
	assert.False(t, names["ioresult"], "under go vet the analyzer's flags are prefixed")
}

func TestGoVetFactsAcrossPackages(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	_, stderr, code := goTool(t, mod, "vet", "-vettool="+binary, "./...")
	assert.Equal(t, 1, code, "go vet exits 1 with findings; stderr:\n%s", stderr)
	// store's findings exist only if rt's directive facts reached store
	// through rt's vetx file; store2 is silent without flags.
	assertDiagnostics(t, bugs(t, mod, "store"), parseDiagnostics(t, mod, stderr))
	for _, b := range bugs(t, mod, "store") {
		// go vet prints the related yield point as "file:line:col: \tmessage".
		assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(b.Yield[0])+`:\d+: \t\S`, stderr)
	}

	// With store alone on the command line, go vet runs the tool on rt only
	// for facts (VetxOnly) and hands them to store through rt's vetx file.
	_, stderr, code = goTool(t, mod, "vet", "-vettool="+binary, "./store")
	assert.Equal(t, 1, code, stderr)
	assertDiagnostics(t, bugs(t, mod, "store"), parseDiagnostics(t, mod, stderr))
}

func TestGoVetPrefixedFlags(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	var flags []string
	for _, f := range rt2Flags {
		flags = append(flags, "-reentrycheck."+strings.TrimPrefix(f, "-"))
	}
	_, stderr, code := goTool(t, mod, append(append([]string{"vet", "-vettool=" + binary}, flags...), "./store2")...)
	assert.Equal(t, 1, code, stderr)
	assertDiagnostics(t, bugs(t, mod, "store2"), parseDiagnostics(t, mod, stderr))
}

func TestGoVetBadFlagEntry(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	_, stderr, code := goTool(t, mod, "vet", "-vettool="+binary, "-reentrycheck.ioresult=example.com/sample/rt2.Nope", "./store2")
	assert.NotEqual(t, 0, code, stderr)
	assert.Contains(t, stderr, `-ioresult entry "example.com/sample/rt2.Nope"`, "go vet shows which entry is wrong")
}

func TestGoVetFixDiff(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	scan := filepath.Join(mod, "store", "scan.go")
	before, err := os.ReadFile(scan)
	require.NoError(t, err)

	stdout, stderr, code := goTool(t, mod, "vet", "-vettool="+binary, "-fix", "-diff", "./store")
	assert.NotEqual(t, 0, code, "a non-empty diff fails go vet -fix -diff; stderr:\n%s", stderr)
	diff := stdout + stderr
	assert.Regexp(t, `(?m)^-\ts\.out = append\(s\.out, s\.n\)$`, diff)
	assert.Regexp(t, `(?m)^\+\ts\.out = append\(s\.out, s\.n\)$`, diff)
	after, err := os.ReadFile(scan)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "-diff must not write")
}

func TestGoFixFixtool(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	stdout, stderr, code := goTool(t, mod, "fix", "-fixtool="+binary, "-diff", "./store")
	assert.NotEqual(t, 0, code, "go fix -diff fails on a non-empty diff; stderr:\n%s", stderr)
	assert.Regexp(t, `(?m)^\+\tt\.count\+\+$`, stdout+stderr)

	_, stderr, code = goTool(t, mod, "fix", "-fixtool="+binary, "./store")
	assert.Equal(t, 0, code, stderr)
	fixed, err := os.ReadFile(filepath.Join(mod, "store", "scan.go"))
	require.NoError(t, err)
	step := string(fixed)[strings.Index(string(fixed), "func (s *Scan) Step"):]
	forward := strings.Index(step, "return rt.Forward[int](r, err)\n\t}\n")
	appendAt := strings.Index(step, "\ts.out = append(s.out, s.n)\n")
	assert.True(t, forward >= 0 && appendAt > forward, "go fix moved the append below the propagation:\n%s", step)

	// Re-vetting the fixed package no longer reports the append.
	_, stderr, _ = goTool(t, mod, "vet", "-vettool="+binary, "./store")
	for _, d := range parseDiagnostics(t, mod, stderr) {
		assert.NotRegexp(t, `s\.out`, d.Message, "still reported after go fix at %s", d.At)
	}
}
