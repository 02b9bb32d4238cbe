// End-to-end test of the gopls path: build.sh builds gopls v0.23.0 with
// reentrycheck compiled in, and the real gopls finds and fixes the bug in
// testdata/editor through its command-line client (which speaks LSP to an
// in-process server, as an editor would).
package gopls_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var repoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// scratch holds the binaries, their build directories and gopls's cache.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "reentrycheck-gopls-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scratch = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type build struct {
	once sync.Once
	path string
	err  error
}

var (
	buildsMu sync.Mutex
	builds   = map[string]*build{} // by REENTRYCHECK_FLAGS
)

// gopls returns a gopls built by build.sh with the given compiled-in
// analyzer flags, building it on first use (warm builds take seconds).
func gopls(t *testing.T, flags string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds gopls (about a minute cold); skipped under -short")
	}
	buildsMu.Lock()
	b := builds[flags]
	if b == nil {
		b = &build{}
		builds[flags] = b
	}
	buildsMu.Unlock()
	b.once.Do(func() {
		dir := filepath.Join(scratch, fmt.Sprintf("build%d", len(builds)))
		start := time.Now()
		b.path = filepath.Join(dir, "gopls")
		cmd := exec.Command(filepath.Join(repoRoot, "tools", "gopls", "build.sh"), b.path)
		cmd.Env = append(os.Environ(), "GOPLS_BUILD_DIR="+filepath.Join(dir, "src"), "GOWORK=off",
			"REENTRYCHECK_FLAGS="+flags)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("tools/gopls/build.sh: %v\n%s", err, out)
			return
		}
		fmt.Fprintf(os.Stderr, "built gopls (flags %q) in %v\n", flags, time.Since(start).Round(time.Second))
	})
	require.NoError(t, b.err)
	return b.path
}

// run runs gopls in dir and returns its stdout (failing on errors).
func run(t *testing.T, gopls, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(gopls, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPLSCACHE="+filepath.Join(scratch, "cache"), "GOWORK=off", "GOFLAGS=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("gopls %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	require.NoError(t, err)
	return out.String()
}

// copyModule copies the editor sample into a fresh directory.
func copyModule(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	require.NoError(t, os.CopyFS(dst, os.DirFS(filepath.Join(repoRoot, "testdata", "editor"))))
	return dst
}

// lineOf returns the 1-based line of the only occurrence of text in file.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), text), "%q in %s", text, file)
	return 1 + strings.Count(string(data[:strings.Index(string(data), text)]), "\n")
}

// diagnosticsAt returns the lines of `gopls check` output that start at line.
// gopls check prints "file:line:col[-endcol]: message", and related
// information as "file:line:col: - message".
func diagnosticsAt(out, file string, line int) []string {
	var at []string
	prefix := fmt.Sprintf("%s:%d:", file, line)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			at = append(at, l)
		}
	}
	return at
}

const appendLine = "l.pending = append(l.pending, b)"

func TestGoplsCheckReportsAcrossPackages(t *testing.T) {
	gopls := gopls(t, "")
	dir := copyModule(t)
	file := filepath.Join(dir, "queue", "queue.go")
	line := lineOf(t, file, appendLine)

	out := run(t, gopls, dir, "check", file)
	at := diagnosticsAt(out, file, line)
	require.Len(t, at, 1, "one diagnostic at the append (%s:%d); gopls check printed:\n%s", file, line, out)
	assert.Contains(t, at[0], "l.pending", "the message names the mutated state")
	// The yield point is the related information, on a line of its own.
	assert.Contains(t, out, ": - ", "related information at the yield point:\n%s", out)

	// rt.Result is an ioresult only through the facts of package rt: without
	// the directive the same code is not resumable and gopls says nothing.
	dropIOResultDirective(t, dir)
	out = run(t, gopls, dir, "check", file)
	assert.Empty(t, diagnosticsAt(out, file, line), "without the directive in rt:\n%s", out)
}

func TestGoplsQuickFixMovesTheMutation(t *testing.T) {
	gopls := gopls(t, "")
	dir := copyModule(t)
	file := filepath.Join(dir, "queue", "queue.go")
	line := lineOf(t, file, appendLine)

	// Ask for code actions where the diagnostic starts, as an editor does.
	at := diagnosticsAt(run(t, gopls, dir, "check", file), file, line)
	require.Len(t, at, 1)
	col, _, ok := strings.Cut(strings.TrimPrefix(at[0], fmt.Sprintf("%s:%d:", file, line)), ":")
	require.True(t, ok, "no column in %q", at[0])
	col, _, _ = strings.Cut(col, "-") // file:line:col-endcol
	pos := fmt.Sprintf("%s:%d:%s", file, line, col)

	// The suggested fix is offered as a quick fix at the diagnostic...
	list := run(t, gopls, dir, "codeaction", "-kind=quickfix", pos)
	require.Contains(t, list, "[quickfix]", "quick fixes at %s:\n%s", pos, list)

	// ...and applying it moves the append below the yield check.
	run(t, gopls, dir, "codeaction", "-kind=quickfix", "-exec", "-write", pos)
	fixed, err := os.ReadFile(file)
	require.NoError(t, err)
	body := string(fixed)
	body = body[strings.Index(body, "func (l *Log) Commit("):]
	assert.Greater(t, strings.Index(body, appendLine), strings.Index(body, "return rt.Forward[int](r, err)"),
		"after the fix:\n%s", body)

	// The fixed file builds and gopls is then silent about it.
	build := exec.Command("go", "build", "./...")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	check := run(t, gopls, dir, "check", file)
	assert.NotContains(t, check, "l.pending", "after the fix:\n%s", check)
}

// dropIOResultDirective removes //reentrycheck:ioresult from package rt.
func dropIOResultDirective(t *testing.T, dir string) {
	t.Helper()
	rtFile := filepath.Join(dir, "rt", "rt.go")
	src, err := os.ReadFile(rtFile)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(src, []byte("//reentrycheck:ioresult")))
	require.NoError(t, os.WriteFile(rtFile, bytes.ReplaceAll(src, []byte("//reentrycheck:ioresult"), []byte("// (no directive)")), 0o644))
}

func TestGoplsCompiledInFlags(t *testing.T) {
	// rt.Result declared by -ioresult instead of its directive.
	gopls := gopls(t, "-ioresult=example.com/editor/rt.Result")
	dir := copyModule(t)
	dropIOResultDirective(t, dir)
	file := filepath.Join(dir, "queue", "queue.go")
	out := run(t, gopls, dir, "check", file)
	at := diagnosticsAt(out, file, lineOf(t, file, appendLine))
	require.Len(t, at, 1, "gopls check printed:\n%s", out)
	assert.Contains(t, at[0], "l.pending")
}
