package mutants

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Target is a package whose resumable functions are mutated, with the
// dynamic harness that decides whether a mutant is observable.
type Target struct {
	Name string // short name, for -targets
	Dir  string // the package directory, relative to the repository root
	// Harness, if set, is a test file written into Dir (as HarnessFile)
	// in the copy only: it calls reentrytest.Verify on the package's
	// operations and fails on any finding.
	Harness     string
	HarnessFile string
	// Run selects the harness tests (go test -run).
	Run string
}

//go:embed harness/kvlog.go.txt
var kvlogHarness string

// Targets is every target, in report order.
var Targets = []Target{
	{Name: "kvlog", Dir: "examples/kvlog", Harness: kvlogHarness, HarnessFile: "zz_mutants_harness_test.go", Run: "^TestMutantHarness$"},
	{Name: "corpus", Dir: "bench/mutants/corpus", Run: "^TestReentry"},
}

// TargetByName returns the named target.
func TargetByName(name string) (Target, bool) {
	for _, t := range Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

// Config says what to run.
type Config struct {
	Repo      string // the repository root
	Operators []Operator
	Targets   []Target
	Max       int           // at most this many mutants per operator and target (0: all)
	Timeout   time.Duration // per harness run (default 2m)
	Log       io.Writer     // progress, one line per mutant (nil: none)
}

// Result is the verdict on one mutant.
type Result struct {
	Target, Op, File, Func string
	Line                   int
	Summary                string
	Compiled               bool
	Confirmed              bool   // the dynamic check failed
	Evidence               string // the first line of what it reported
	Flagged                bool   // the analyzer reported a new finding in the mutated function
	Flag                   string // that finding
	Elsewhere              int    // findings outside the mutated function
}

// Report is a whole run.
type Report struct {
	Results []Result
	// Unmutated lists, per target, the analyzer's findings on the
	// unmutated package (non-test files): false alarms.
	Unmutated map[string][]string
	Elapsed   time.Duration
}

// Run performs the mutation test described by cfg.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", args...)
		}
	}
	tmp, err := os.MkdirTemp("", "reentrycheck-mutants-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	root := filepath.Join(tmp, "repo")
	if err := copyTree(cfg.Repo, root); err != nil {
		return nil, fmt.Errorf("copying the repository: %w", err)
	}
	tool := filepath.Join(tmp, "reentrycheck")
	if out, err := goCmd(ctx, root, "build", "-o", tool, "./cmd/reentrycheck"); err != nil {
		return nil, fmt.Errorf("building the analyzer: %v\n%s", err, out)
	}
	rep := &Report{Unmutated: map[string][]string{}}
	for _, t := range cfg.Targets {
		dir := filepath.Join(root, t.Dir)
		if _, err := os.Stat(dir); err != nil {
			logf("target %s: %s not found, skipped", t.Name, t.Dir)
			continue
		}
		if t.Harness != "" {
			if err := os.WriteFile(filepath.Join(dir, t.HarnessFile), []byte(t.Harness), 0o644); err != nil {
				return nil, err
			}
		}
		if v := dynamic(ctx, root, t, cfg.Timeout); !v.compiled || v.failed {
			return nil, fmt.Errorf("target %s: the harness does not pass on the unmutated code: %s", t.Name, v.evidence)
		}
		findings, err := analyze(ctx, root, tool, t.Dir)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", t.Name, err)
		}
		known := map[string]bool{} // findings of the unmutated code, without positions
		for _, fd := range findings {
			rep.Unmutated[t.Name] = append(rep.Unmutated[t.Name], fd.String())
			known[fd.key()] = true
		}
		if rep.Unmutated[t.Name] == nil {
			rep.Unmutated[t.Name] = []string{}
		}
		files, err := sourceFiles(dir)
		if err != nil {
			return nil, err
		}
		for _, op := range cfg.Operators {
			n := 0
			for _, name := range files {
				path := filepath.Join(dir, name)
				orig, err := os.ReadFile(path)
				if err != nil {
					return nil, err
				}
				var others [][]byte
				for _, o := range files {
					if o != name {
						b, err := os.ReadFile(filepath.Join(dir, o))
						if err != nil {
							return nil, err
						}
						others = append(others, b)
					}
				}
				muts, err := Generate(op, name, orig, others...)
				if err != nil {
					return nil, err
				}
				for _, m := range muts {
					if cfg.Max > 0 && n >= cfg.Max {
						break
					}
					n++
					res := Result{Target: t.Name, Op: op.Name, File: filepath.ToSlash(filepath.Join(t.Dir, name)), Func: m.Func, Line: m.Line, Summary: m.Summary}
					if err := os.WriteFile(path, m.Src, 0o644); err != nil {
						return nil, err
					}
					v := dynamic(ctx, root, t, cfg.Timeout)
					res.Compiled, res.Confirmed, res.Evidence = v.compiled, v.compiled && v.failed, v.evidence
					if res.Compiled {
						fds, err := analyze(ctx, root, tool, t.Dir)
						if err != nil {
							os.WriteFile(path, orig, 0o644)
							return nil, err
						}
						lo, hi := funcLines(m.Src, m.Func)
						for _, fd := range fds {
							if known[fd.key()] {
								continue // on the unmutated code too: says nothing about the mutant
							}
							if filepath.Base(fd.file) == name && fd.line >= lo && fd.line <= hi {
								if !res.Flagged {
									res.Flagged, res.Flag = true, fd.String()
								}
							} else {
								res.Elsewhere++
							}
						}
					}
					if err := os.WriteFile(path, orig, 0o644); err != nil {
						return nil, err
					}
					rep.Results = append(rep.Results, res)
					logf("%-7s %-16s %-16s %-10s %s", t.Name, op.Name, m.Func, verdict(res), m.Summary)
					if res.Confirmed {
						logf("%44s dynamic: %s", "", res.Evidence)
					}
				}
			}
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func verdict(r Result) string {
	switch {
	case !r.Compiled:
		return "nobld"
	case !r.Confirmed && r.Flagged:
		return "unobs+flag"
	case !r.Confirmed:
		return "unobs"
	case r.Flagged:
		return "FLAG"
	}
	return "MISS"
}

// sourceFiles lists the non-test Go files of dir, sorted.
func sourceFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

type dynVerdict struct {
	compiled, failed bool
	evidence         string
}

// dynamic runs the target's harness tests in the copy.
func dynamic(ctx context.Context, root string, t Target, timeout time.Duration) dynVerdict {
	ctx, cancel := context.WithTimeout(ctx, timeout+30*time.Second)
	defer cancel()
	out, err := goCmd(ctx, root, "test", "-count=1", "-vet=off", "-timeout", timeout.String(), "-run", t.Run, "./"+t.Dir)
	if err == nil {
		return dynVerdict{compiled: true}
	}
	text := string(out)
	if strings.Contains(text, "[build failed]") || strings.Contains(text, "[setup failed]") {
		return dynVerdict{evidence: firstLine(text, func(string) bool { return true })}
	}
	ev := firstLine(text, func(l string) bool {
		return strings.Contains(l, "reentrytest:") || strings.HasPrefix(l, "panic:") || strings.Contains(l, "test timed out")
	})
	if ev == "" {
		ev = firstLine(text, func(string) bool { return true })
	}
	if strings.Contains(ev, "behaves differently") {
		// CheckWith's summary; the first difference is on the next line.
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			if strings.Contains(l, "behaves differently") && i+1 < len(lines) {
				ev = clip(strings.TrimSpace(lines[i+1]), 160)
				break
			}
		}
	}
	return dynVerdict{compiled: true, failed: true, evidence: ev}
}

func firstLine(text string, pred func(string) bool) string {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && pred(l) {
			return clip(l, 160)
		}
	}
	return ""
}

// finding is one diagnostic of the analyzer.
type finding struct {
	file    string
	line    int
	message string
}

// key identifies a finding across mutants: its file and message, with
// the positions in the message removed (a mutation shifts lines).
func (f finding) key() string {
	return filepath.Base(f.file) + ": " + posnRE.ReplaceAllString(f.message, "")
}

var posnRE = regexp.MustCompile(`[\w./-]+\.go:\d+(:\d+)?`)

func (f finding) String() string {
	return fmt.Sprintf("%s:%d: %s", filepath.Base(f.file), f.line, f.message)
}

// analyze runs the analyzer on the non-test files of dir.
func analyze(ctx context.Context, root, tool, dir string) ([]finding, error) {
	cmd := exec.CommandContext(ctx, tool, "-json", "-test=false", "./"+dir)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("reentrycheck: %v: %s", err, stderr.String())
	}
	// {"pkg": {"analyzer": [{"posn": "file:line:col", "message": "..."}]}}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		return nil, fmt.Errorf("reentrycheck -json: %v", err)
	}
	var fds []finding
	for _, byAnalyzer := range tree {
		for _, raw := range byAnalyzer {
			var diags []struct {
				Posn    string `json:"posn"`
				Message string `json:"message"`
			}
			if json.Unmarshal(raw, &diags) != nil {
				var e struct {
					Error string `json:"error"`
				}
				if json.Unmarshal(raw, &e) == nil && e.Error != "" {
					return nil, errors.New("reentrycheck: " + e.Error)
				}
				continue
			}
			for _, d := range diags {
				file, line := splitPosn(d.Posn)
				fds = append(fds, finding{file: file, line: line, message: d.Message})
			}
		}
	}
	sort.Slice(fds, func(i, j int) bool {
		if fds[i].file != fds[j].file {
			return fds[i].file < fds[j].file
		}
		return fds[i].line < fds[j].line
	})
	return fds, nil
}

// splitPosn splits "file:line:col".
func splitPosn(p string) (string, int) {
	parts := strings.Split(p, ":")
	if len(parts) < 3 {
		return p, 0
	}
	line, _ := strconv.Atoi(parts[len(parts)-2])
	return strings.Join(parts[:len(parts)-2], ":"), line
}

// funcLines returns the line range of the named function in src.
func funcLines(src []byte, name string) (int, int) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, 0)
	if err != nil {
		return 0, 0
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && funcName(fd) == name {
			return fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
		}
	}
	return 0, 0
}

func goCmd(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	return cmd.CombinedOutput()
}

// copyTree copies the repository at src to dst, leaving out version
// control and build output.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() && (rel == ".git" || rel == "bin") {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
