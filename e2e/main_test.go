package e2e

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// binary is the reentrycheck command built once by TestMain ("" under -short).
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "reentrycheck-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "reentrycheck")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, "github.com/reentrycheck/reentrycheck/cmd/reentrycheck")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building reentrycheck:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needBinary skips end-to-end tests under -short.
func needBinary(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: builds and runs real tools (skipped with -short)")
	}
}

// sampleModule copies testdata/e2e/<name> to a fresh directory, so that
// -fix can edit it, and returns the copy's path.
func sampleModule(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "testdata", "e2e", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), content, 0o644)
	})
	require.NoError(t, err)
	return dst
}

// run executes name with args in dir and returns stdout, stderr and the exit
// code. A signal or a failure to start fails the test.
func run(t *testing.T, dir string, env []string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = nil
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		code = exit.ExitCode()
	default:
		t.Fatalf("%s %s: %v\nstderr:\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	noPanic(t, errb.String())
	return out.String(), errb.String(), code
}

// reentrycheck runs the built binary standalone in dir.
func reentrycheck(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return run(t, dir, baseEnv(), binary, args...)
}

// baseEnv isolates children from the developer's settings and the network.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "GOFLAGS", "GOWORK", "GOPROXY", "GOTOOLCHAIN", "GO111MODULE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS=", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "GO111MODULE=on")
}

func noPanic(t *testing.T, stderr string) {
	t.Helper()
	require.NotContains(t, stderr, "panic:", "the tool panicked")
	require.NotContains(t, stderr, "goroutine 1 [", "the tool panicked")
}

// lineOf returns "rel:N", the 1-based line of the only line of module file
// rel that contains text, after the first line containing after (if any).
func lineOf(t *testing.T, module, rel, text, after string) string {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(module, filepath.FromSlash(rel)))
	require.NoError(t, err)
	start := 0
	lines := strings.Split(string(content), "\n")
	if after != "" {
		for start < len(lines) && !strings.Contains(lines[start], after) {
			start++
		}
		require.Less(t, start, len(lines), "%s has no line containing %q", rel, after)
	}
	for i := start; i < len(lines); i++ {
		if strings.Contains(lines[i], text) {
			return rel + ":" + strconv.Itoa(i+1)
		}
	}
	t.Fatalf("%s has no line containing %q", rel, text)
	return ""
}

// diagLine matches "file:line:col: message" at the start of a line.
var diagLine = regexp.MustCompile(`(?m)^(\S+\.go):(\d+):(\d+): (.*)$`)

// diagnostic is one parsed line of text output.
type diagnostic struct {
	At      string // "rel/file.go:line", with the file relative to the module
	Col     int
	Message string
}

// parseDiagnostics extracts "file:line:col: message" lines, making file
// names relative to module. Related locations are left out: the standalone
// text output indents them, go vet prints them as "file:line:col: \tmessage".
func parseDiagnostics(t *testing.T, module, out string) []diagnostic {
	t.Helper()
	var ds []diagnostic
	for _, m := range diagLine.FindAllStringSubmatch(out, -1) {
		if strings.HasPrefix(m[4], "\t") {
			continue
		}
		name := m[1]
		if filepath.IsAbs(name) {
			rel, err := filepath.Rel(module, name)
			require.NoError(t, err)
			name = rel
		}
		name = strings.TrimPrefix(filepath.ToSlash(name), "./")
		col, _ := strconv.Atoi(m[3])
		ds = append(ds, diagnostic{At: name + ":" + m[2], Col: col, Message: m[4]})
	}
	return ds
}

func positions(ds []diagnostic) []string {
	var at []string
	for _, d := range ds {
		at = append(at, d.At)
	}
	return sortedCopy(at)
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func find(ds []diagnostic, at string) (diagnostic, bool) {
	for _, d := range ds {
		if d.At == at {
			return d, true
		}
	}
	return diagnostic{}, false
}
