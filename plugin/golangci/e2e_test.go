package golangci_test

// End-to-end tests: build the real golangci-lint v2.15.0 with the plugin
// compiled in (tools/golangci-lint), once per test run, and drive it on the
// sample modules in testdata/.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repoRoot is the repository root, found from this file's directory.
var repoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// scratch holds the binary and golangci-lint's cache for one test run.
var scratch string

func TestMain(m *testing.M) {
	code := m.Run()
	if scratch != "" {
		os.RemoveAll(scratch)
	}
	os.Exit(code)
}

var lintBinary struct {
	once sync.Once
	path string
	err  error
}

// golangciLint returns the path of a freshly built golangci-lint, building it
// on first use. The Go build cache makes rebuilds after the first cheap.
func golangciLint(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds golangci-lint (about 65 s cold); skipped under -short")
	}
	lintBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "reentrycheck-golangci-e2e-")
		if err != nil {
			lintBinary.err = err
			return
		}
		scratch = dir
		path := filepath.Join(dir, "golangci-lint")
		start := time.Now()
		cmd := exec.Command("go", "build", "-o", path, ".")
		cmd.Dir = filepath.Join(repoRoot, "tools", "golangci-lint")
		// -mod=readonly: the committed go.mod and go.sum must be enough.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly -buildvcs=false", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			lintBinary.err = fmt.Errorf("building tools/golangci-lint: %v\n%s", err, out)
			return
		}
		fmt.Fprintf(os.Stderr, "built golangci-lint in %v\n", time.Since(start).Round(time.Second))
		lintBinary.path = path
	})
	require.NoError(t, lintBinary.err)
	return lintBinary.path
}

// runLint runs golangci-lint in dir and returns stdout, stderr and the exit code.
func runLint(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin := golangciLint(t)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		// A cache of this run's own, so no result computed by another
		// binary or another test run can be replayed.
		"GOLANGCI_LINT_CACHE="+filepath.Join(scratch, "cache"),
		"GOWORK=off", "GOFLAGS=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errOut.String(), 0
}

// issue is the part of golangci-lint's JSON issue that the tests check.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename     string
		Line, Column int
	}
	SuggestedFixes []struct {
		Message   string
		TextEdits []struct {
			Pos, End int
			NewText  []byte
		}
	}
}

// related reports whether the issue is golangci-lint's rendering of a
// diagnostic's related information (the yield point) as an issue of its own,
// which it is only with the related setting.
func (i issue) related() bool {
	return strings.HasPrefix(i.Text, "reentrycheck(related information): ")
}

// jsonIssues runs golangci-lint with JSON output and returns its issues.
func jsonIssues(t *testing.T, dir string, args ...string) ([]issue, int) {
	t.Helper()
	args = append([]string{"run", "--output.json.path=stdout", "--show-stats=false"}, args...)
	stdout, stderr, code := runLint(t, dir, args...)
	var report struct{ Issues []issue }
	require.NoError(t, json.Unmarshal([]byte(stdout), &report), "stdout: %s\nstderr: %s", stdout, stderr)
	for _, is := range report.Issues {
		require.Equal(t, "reentrycheck", is.FromLinter, "only reentrycheck is enabled: %+v", is)
	}
	return report.Issues, code
}

// at names a finding by file and line, the way the tests list expectations.
type at struct {
	File string
	Line int
}

func (a at) String() string { return fmt.Sprintf("%s:%d", a.File, a.Line) }

// lineOf returns the line of module-relative file that contains text,
// which must occur exactly once.
func lineOf(t *testing.T, dir, file, text string) at {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), text), "%q in %s", text, file)
	i := strings.Index(string(data), text)
	return at{file, 1 + strings.Count(string(data[:i]), "\n")}
}

// findingsAt indexes the main (non-related) issues by position.
func findingsAt(t *testing.T, issues []issue) map[at]issue {
	t.Helper()
	m := map[at]issue{}
	for _, is := range issues {
		if is.related() {
			continue
		}
		k := at{filepath.ToSlash(is.Pos.Filename), is.Pos.Line}
		require.NotContains(t, m, k, "two findings on one line")
		m[k] = is
	}
	return m
}

func keys(m map[at]issue) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k.String())
	}
	sort.Strings(ks)
	return ks
}

func ats(as ...at) []string {
	var ks []string
	for _, a := range as {
		ks = append(ks, a.String())
	}
	sort.Strings(ks)
	return ks
}

var sample = filepath.Join(repoRoot, "testdata", "golangci")

// The four findings the sample module holds with its settings. The
// mutation is the position; the message names the state.
type want struct {
	at    at
	state string
	yield at // the related position: the return that propagates the yield, or the callback
}

func sampleFindings(t *testing.T, dir string) (scanAppend, scanCount, plainAppend, flush want) {
	// Each function has its own receiver name, so these lines are unique.
	return want{lineOf(t, dir, "scan/scan.go", "s.out = append(s.out, s.n)"), "s.out",
			lineOf(t, dir, "scan/scan.go", "return rt.Forward[int](r, err)\n\t}\n\ts.n = r.Value()")},
		want{lineOf(t, dir, "scan/scan.go", "s.count++"), "s.count",
			lineOf(t, dir, "scan/scan.go", "return rt.Forward[int](r, err)\n\t}\n\treturn rt.Done(s.count")},
		want{lineOf(t, dir, "plainuse/plainuse.go", "b.items = append(b.items, v)"), "b.items",
			lineOf(t, dir, "plainuse/plainuse.go", "return plainrt.Forward[int](x, err)")},
		want{lineOf(t, dir, "notify/notify.go", "f.flushed = true"), "f.flushed",
			lineOf(t, dir, "notify/notify.go", "return rt.OnDone(func(error) {")}
}

// where is a position as the messages name it: base name and line.
func (w want) where() string { return fmt.Sprintf("%s:%d", filepath.Base(w.yield.File), w.yield.Line) }

// relatedAt lists the positions of the related-information issues.
func relatedAt(issues []issue) []string {
	var related []string
	for _, is := range issues {
		if is.related() {
			related = append(related, at{filepath.ToSlash(is.Pos.Filename), is.Pos.Line}.String())
		}
	}
	sort.Strings(related)
	return related
}

func TestGolangciLintReportsAcrossPackagesWithSettings(t *testing.T) {
	issues, code := jsonIssues(t, sample, "./...")
	scanAppend, scanCount, plainAppend, flush := sampleFindings(t, sample)
	got := findingsAt(t, issues)

	// Exactly these: Fixed.Step is correct, Tolerant.Step carries
	// //nolint:reentrycheck, Replayed.Step //reentrycheck:ignore, and the
	// runtimes themselves mutate nothing before a yield.
	assert.Equal(t, ats(scanAppend.at, scanCount.at, plainAppend.at, flush.at), keys(got))
	assert.Equal(t, 1, code, "golangci-lint exits 1 on findings")
	for _, w := range []want{scanAppend, scanCount, plainAppend, flush} {
		is, ok := got[w.at]
		if !assert.True(t, ok, "no finding at %v", w.at) {
			continue
		}
		assert.Contains(t, is.Text, w.state, "the message names the mutated state")
		assert.Contains(t, is.Text, w.where(), "the message names the related position")
		assert.Greater(t, is.Pos.Column, 0)
	}
	// Related information is folded into the message, not an issue of
	// its own: one issue per finding.
	assert.Empty(t, relatedAt(issues))
	assert.Len(t, issues, 4)
	for _, w := range []want{scanAppend, scanCount, plainAppend} {
		// The analyzer's message already names the yield point; the
		// plugin does not say it twice.
		assert.Equal(t, 1, strings.Count(got[w.at].Text, w.where()), "%s", got[w.at].Text)
		assert.NotContains(t, got[w.at].Text, "(the yield point that re-enters at ")
	}
	// The callback's message names no position: the plugin adds it, with
	// the related information's own words.
	assert.True(t, strings.HasSuffix(got[flush.at].Text, " (the callback at "+flush.where()+")"), "%s", got[flush.at].Text)
	// The fix golangci-lint would apply with --fix travels with the finding.
	if is, ok := got[scanAppend.at]; ok {
		require.NotEmpty(t, is.SuggestedFixes, "the append has a mechanical fix")
		assert.NotEmpty(t, is.SuggestedFixes[0].TextEdits)
	}
}

// withRelated returns a copy of the sample whose configuration sets
// related: true.
func withRelated(t *testing.T) string {
	t.Helper()
	dir := copyModule(t, sample)
	cfg := filepath.Join(dir, ".golangci.yml")
	data, err := os.ReadFile(cfg)
	require.NoError(t, err)
	last := "          done: [example.com/sample/plainrt.Done]\n"
	require.Contains(t, string(data), last)
	data = bytes.Replace(data, []byte(last), []byte(last+"          related: true\n"), 1)
	require.NoError(t, os.WriteFile(cfg, data, 0o644))
	return dir
}

func TestGolangciLintRelatedSettingKeepsRelatedIssues(t *testing.T) {
	dir := withRelated(t)
	issues, code := jsonIssues(t, dir, "./...")
	scanAppend, scanCount, plainAppend, flush := sampleFindings(t, dir)
	got := findingsAt(t, issues)
	assert.Equal(t, ats(scanAppend.at, scanCount.at, plainAppend.at, flush.at), keys(got))
	assert.Equal(t, 1, code)
	// Related information (the yield point, the callback) becomes issues
	// of their own again, one per finding.
	assert.Equal(t, ats(scanAppend.yield, scanCount.yield, plainAppend.yield, flush.yield), relatedAt(issues))
	assert.Len(t, issues, 8)
	for _, is := range issues {
		if is.related() {
			assert.Contains(t, []string{
				"reentrycheck(related information): the yield point that re-enters",
				"reentrycheck(related information): the callback",
			}, is.Text)
		}
	}
	// The messages are the analyzer's own, nothing folded in.
	assert.NotContains(t, got[flush.at].Text, flush.where())
	assert.NotContains(t, got[flush.at].Text, "(the callback")
	assert.Equal(t, 1, strings.Count(got[scanAppend.at].Text, scanAppend.where()))
}

// nolintLines appends //nolint:reentrycheck to the lines of the copy's
// module-relative files that contain the given texts.
func nolintLines(t *testing.T, dir string, lines map[string]string) {
	t.Helper()
	for text, file := range lines {
		src := filepath.Join(dir, file)
		data, err := os.ReadFile(src)
		require.NoError(t, err)
		require.Equal(t, 1, bytes.Count(data, []byte(text+"\n")), "%q in %s", text, file)
		data = bytes.Replace(data, []byte(text+"\n"), []byte(text+" //nolint:reentrycheck // on purpose\n"), 1)
		require.NoError(t, os.WriteFile(src, data, 0o644))
	}
}

func TestGolangciLintLineNolintHidesTheWholeFinding(t *testing.T) {
	lines := map[string]string{"s.out = append(s.out, s.n)": "scan/scan.go", "f.flushed = true": "notify/notify.go"}

	// By default a //nolint on the flagged line hides the finding
	// completely: nothing is left on the line, at its yield point or at
	// its callback. The other finding of the package stays.
	dir := copyModule(t, sample)
	nolintLines(t, dir, lines)
	scanAppend, scanCount, _, flush := sampleFindings(t, dir)
	issues, code := jsonIssues(t, dir, "./scan", "./notify")
	assert.Equal(t, ats(scanCount.at), keys(findingsAt(t, issues)))
	assert.Len(t, issues, 1, "%+v", issues)
	for _, is := range issues {
		for _, hidden := range []at{scanAppend.at, scanAppend.yield, flush.at, flush.yield} {
			assert.False(t, filepath.ToSlash(is.Pos.Filename) == hidden.File && is.Pos.Line == hidden.Line,
				"%v is suppressed: %+v", hidden, is)
		}
	}
	assert.Equal(t, 1, code)

	// With related: true the related issues stay behind the //nolint,
	// which is why the plugin folds them by default.
	dir = withRelated(t)
	nolintLines(t, dir, lines)
	issues, _ = jsonIssues(t, dir, "./scan", "./notify")
	assert.Equal(t, ats(scanCount.at), keys(findingsAt(t, issues)))
	assert.Equal(t, ats(scanAppend.yield, scanCount.yield, flush.yield), relatedAt(issues))
}

func TestGolangciLintWithoutSettingsIgnoresUnannotatedTypes(t *testing.T) {
	issues, code := jsonIssues(t, sample, "-c", "nosettings.golangci.yml", "./...")
	scanAppend, scanCount, _, flush := sampleFindings(t, sample)
	assert.Equal(t, ats(scanAppend.at, scanCount.at, flush.at), keys(findingsAt(t, issues)),
		"plainuse is reported only when the settings declare plainrt's types")
	assert.Equal(t, 1, code)
}

func TestGolangciLintNolintHidesTheDeclaration(t *testing.T) {
	issues, _ := jsonIssues(t, sample, "./scan")
	for _, fn := range []struct{ first, last string }{
		// //nolint:reentrycheck on the declaration, applied by golangci-lint.
		{"func (t *Tolerant) Step()", "return rt.Done(t.seen), nil"},
		// //reentrycheck:ignore REASON, applied by the analyzer itself.
		{"func (p *Replayed) Step()", "return rt.Done(p.tries), nil"},
	} {
		first := lineOf(t, sample, "scan/scan.go", fn.first)
		last := lineOf(t, sample, "scan/scan.go", fn.last)
		for _, is := range issues {
			assert.False(t, is.Pos.Line >= first.Line && is.Pos.Line <= last.Line,
				"%s is suppressed, related information included: %+v", fn.first, is)
		}
	}
	// The same functions without the comments are reported.
	dir := copyModule(t, sample)
	src := filepath.Join(dir, "scan", "scan.go")
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	data = bytes.Replace(data, []byte("//nolint:reentrycheck"), []byte("// no nolint"), 1)
	data = bytes.Replace(data, []byte("//reentrycheck:ignore"), []byte("// no ignore"), 1)
	require.NoError(t, os.WriteFile(src, data, 0o644))
	issues, _ = jsonIssues(t, dir, "./scan")
	got := keys(findingsAt(t, issues))
	assert.Contains(t, got, lineOf(t, dir, "scan/scan.go", "t.seen++").String())
	assert.Contains(t, got, lineOf(t, dir, "scan/scan.go", "p.tries++").String())
}

func TestGolangciLintBadSettingEntryIsAnError(t *testing.T) {
	dir := copyModule(t, sample)
	cfg := filepath.Join(dir, ".golangci.yml")
	data, err := os.ReadFile(cfg)
	require.NoError(t, err)
	data = bytes.Replace(data, []byte("plainrt.Result]"), []byte("plainrt.Resalt]"), 1)
	require.NoError(t, os.WriteFile(cfg, data, 0o644))
	_, stderr, code := runLint(t, dir, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
	assert.NotEqual(t, 0, code)
	assert.NotEqual(t, 1, code, "an error, not findings")
	// golangci-lint logs the analyzer's error with its quotes escaped.
	assert.Contains(t, stderr, "ioresult entry")
	assert.Contains(t, stderr, "example.com/sample/plainrt.Resalt")

	// An unknown key stops golangci-lint before it loads anything.
	data = bytes.Replace(data, []byte("completion:"), []byte("completions:"), 1)
	require.NoError(t, os.WriteFile(cfg, data, 0o644))
	_, stderr, code = runLint(t, dir, "run", "./...")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, stderr, `unknown field "completions"`)
}

func TestGolangciLintFixAppliesSuggestedFixes(t *testing.T) {
	dir := copyModule(t, sample)
	_, stderr, code := runLint(t, dir, "run", "--fix", "--show-stats=false", "./scan")
	require.NotEqual(t, 3, code, "golangci-lint failed: %s", stderr)

	fixed, err := os.ReadFile(filepath.Join(dir, "scan", "scan.go"))
	require.NoError(t, err)
	// In Scan.Step the append now follows the propagation of the yield.
	step := string(fixed)
	step = step[strings.Index(step, "func (s *Scan) Step()"):]
	step = step[:strings.Index(step, "\n}\n")]
	assert.Greater(t, strings.Index(step, "s.out = append(s.out, s.n)"), strings.Index(step, "return rt.Forward[int](r, err)"),
		"after --fix:\n%s", step)

	// The fixed module builds and is silent.
	build := exec.Command("go", "build", "./...")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	issues, code := jsonIssues(t, dir, "./scan")
	assert.Empty(t, keys(findingsAt(t, issues)))
	assert.Equal(t, 0, code)
}

// copyModule copies a sample module into a fresh directory.
func copyModule(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	require.NoError(t, os.CopyFS(dst, os.DirFS(src)))
	return dst
}

func TestGolangciLintExampleConfig(t *testing.T) {
	// The documented example must load and enable the linter. Only
	// reentrycheck runs, so the outcome does not depend on other linters.
	// It is used as its comments say: copied to .golangci.yml.
	example, err := os.ReadFile(filepath.Join(repoRoot, ".golangci.example.yml"))
	require.NoError(t, err)
	dir := copyModule(t, sample)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".golangci.yml"), example, 0o644))
	issues, code := jsonIssues(t, dir, "--enable-only=reentrycheck", "./...")
	scanAppend, scanCount, _, flush := sampleFindings(t, dir)
	assert.Equal(t, ats(scanAppend.at, scanCount.at, flush.at), keys(findingsAt(t, issues)))
	assert.Empty(t, relatedAt(issues), "related information folded, as by default")
	assert.Equal(t, 1, code)
}
