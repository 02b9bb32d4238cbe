// Command bench measures what reentrycheck costs, always as ratios to a
// baseline measured in the same run, in alternating rounds: wall time and
// peak RSS. It reports and asserts nothing: it exits 0 once the
// measurements are done, whatever they show (runs that time out are
// reported as "did not finish"), and 1 only when the setup is broken.
//
//	go run ./bench/cmd/bench [flags] all | xtools pebble forced vet scaling stress finish ...
//
// (make bench, make bench-xtools, ...; see docs/benchmarks.md for what
// each benchmark measures and the targets.)
//
//   - xtools, pebble: the standalone checker on ./... (tests included) of
//     golang.org/x/tools v0.52.0 and github.com/cockroachdb/pebble/v2
//     v2.1.7, against bench/cmd/ssaonly, a checker that only builds SSA.
//   - forced: pebble again, with -ioresult naming a type of
//     pebble/internal/base (-forced-ioresult), so that almost every package
//     is relevant and the standalone driver's pruning leaves out nearly
//     nothing: the engine's own cost on pebble, against ssaonly.
//   - vet: `go vet -vettool=reentrycheck ./...` against `go vet
//     -vettool=nilness ./...` (bench/cmd/nilness, x/tools' nilness pass)
//     over the same two modules, with a warm build cache and fresh vet
//     results (see vetCache).
//   - scaling: a generated resumable method of 1k to 16k statements
//     (bench/probe), bug-dense, a correct state machine and a correct
//     straight body, against ssaonly on the same module, both with
//     -test=false.
//   - stress: x/tools with -ioresult=go/types.Type,go/ast.Node, so that a
//     large share of its functions is resumable, against ssaonly.
//   - finish: gvisor.dev/gvisor/pkg/tcpip/... with
//     -ioresult=gvisor.dev/gvisor/pkg/tcpip.Error, and std (without its
//     tests unless -std-tests), against ssaonly: does every package finish?
//
// The modules are copied from the module cache into a work directory (a
// temporary one is removed at the end unless -keep), their dependencies
// are downloaded through the module proxy, and the build cache is warmed
// before any run, so no round pays for either.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const repoModule = "github.com/reentrycheck/reentrycheck"

// bencher holds the settings and the shared state of one invocation.
type bencher struct {
	rounds   int
	limits   Limits
	sizes    []int
	pkgs     map[string]string // module name → package patterns
	stress   string            // -ioresult entries of the stress run
	forced   string            // -ioresult entries of the forced run
	stdTests bool              // the finish run analyses std's tests too
	repo     string
	work     string
	bin      map[string]string // tool name → binary
	mods     map[string]string // module name → prepared copy
	seq      int
	tables   []string // the result tables so far, printed again at the end
}

// modules are the inputs of the real-code benchmarks.
var modules = map[string]string{
	"xtools": "golang.org/x/tools@v0.52.0",
	"pebble": "github.com/cockroachdb/pebble/v2@v2.1.7",
	"gvisor": "gvisor.dev/gvisor@v0.0.0-20260527191743-a81fd9dd382e",
}

// pkgFlags are the package pattern flags, by module name.
var pkgFlags = map[string]*string{}

var benchmarks = []string{"xtools", "pebble", "forced", "vet", "scaling", "stress", "finish"}

func main() {
	b := &bencher{pkgs: map[string]string{}, bin: map[string]string{}, mods: map[string]string{}}
	flag.IntVar(&b.rounds, "rounds", envInt("ROUNDS", 5), "alternating rounds per comparison (env ROUNDS)")
	timeout := flag.Duration("timeout", envDuration("TIMEOUT", 10*time.Minute), "per-run timeout; a run that hits it did not finish (env TIMEOUT, seconds or a duration)")
	flag.Int64Var(&b.limits.MaxRSSMB, "maxrss", int64(envInt("MAXRSS", 12000)), "kill a run when one of its processes exceeds this RSS in MB, 0 for no cap (env MAXRSS)")
	sizes := flag.String("sizes", envString("SIZES", "1000,2000,4000,8000,16000"), "scaling probe sizes in statements (env SIZES; PROBE_32K=1 adds 32000)")
	for _, p := range []struct{ name, flag, env, def, what string }{
		{"xtools", "xtools-pkgs", "XTOOLS_PKGS", "./...", "package patterns of x/tools"},
		{"pebble", "pebble-pkgs", "PEBBLE_PKGS", "./...", "package patterns of pebble"},
		{"gvisor", "tcpip-pkgs", "TCPIP_PKGS", "./pkg/tcpip/...", "package patterns of gVisor for the finish run"},
		{"std", "std-pkgs", "STD_PKGS", "std", "package patterns of the standard library for the finish run, empty to skip"},
	} {
		v := new(string)
		flag.StringVar(v, p.flag, envString(p.env, p.def), p.what+" (env "+p.env+")")
		pkgFlags[p.name] = v
	}
	flag.BoolVar(&b.stdTests, "std-tests", os.Getenv("STD_TESTS") == "1", "the finish run analyses the standard library's tests too (env STD_TESTS=1)")
	flag.StringVar(&b.stress, "stress-ioresult", "go/types.Type,go/ast.Node", "-ioresult entries of the stress run")
	flag.StringVar(&b.forced, "forced-ioresult", "github.com/cockroachdb/pebble/v2/internal/base.InternalKey", "-ioresult entries of the forced run (pebble)")
	work := flag.String("work", "", "work directory, kept at the end (default: a new temporary directory, removed at the end)")
	keep := flag.Bool("keep", false, "keep the temporary work directory (outputs of every run are in its out/)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: bench [flags] all | %s ...\n", strings.Join(benchmarks, " "))
		flag.PrintDefaults()
	}
	flag.Parse()
	b.limits.Timeout = *timeout
	for name, v := range pkgFlags {
		b.pkgs[name] = *v
	}

	which, err := selected(flag.Args())
	if err == nil {
		b.sizes, err = parseSizes(*sizes, os.Getenv("PROBE_32K") == "1")
	}
	if err == nil && b.rounds < 1 {
		err = fmt.Errorf("-rounds must be at least 1")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		flag.Usage()
		os.Exit(1)
	}
	keepWork := *keep || *work != ""
	if err := b.setup(*work); err != nil {
		fatal(err)
	}
	cleanup = func() {
		if !keepWork {
			removeAll(b.work)
		}
	}
	onSignal()
	for _, name := range which {
		if err := b.run(name); err != nil {
			fatal(fmt.Errorf("%s: %w", name, err))
		}
	}
	b.logf("\n######## summary\n")
	b.header()
	for _, t := range b.tables {
		fmt.Println(t)
	}
	if keepWork {
		b.logf("work directory kept: %s", b.work)
	}
	cleanup()
}

// cleanup removes the temporary work directory; set once it exists.
var cleanup = func() {}

// interrupted is set when a signal starts the exit; see checkpoint.
var interrupted atomic.Bool

// checkpoint stops the main goroutine once an interrupt is being handled,
// so that it writes nothing into the work directory being removed: it is
// called after every child process and every copy.
func checkpoint() {
	if interrupted.Load() {
		select {} // the signal handler exits the process
	}
}

// exiting makes the first of fatal and the signal handler the one that
// exits; the other waits for it.
var exiting sync.Once

func fatal(err error) {
	exiting.Do(func() {
		fmt.Fprintln(os.Stderr, "bench:", err)
		cleanup()
		os.Exit(1)
	})
}

// onSignal makes an interrupt kill the run in progress (it is in its own
// process group, so the terminal's interrupt does not reach it) and clean
// up before exiting.
func onSignal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		exiting.Do(func() {
			interrupted.Store(true)
			if pgid := running.Load(); pgid != 0 {
				killGroup(int(pgid))
			}
			fmt.Fprintln(os.Stderr, "bench:", s)
			cleanup()
			os.Exit(130)
		})
	}()
}

// selected expands the benchmark names given on the command line.
func selected(args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("no benchmark named")
	}
	var out []string
	for _, a := range args {
		if a == "all" {
			out = append(out, benchmarks...)
			continue
		}
		if !contains(benchmarks, a) {
			return nil, fmt.Errorf("unknown benchmark %q", a)
		}
		out = append(out, a)
	}
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// parseSizes parses the comma-separated probe sizes.
func parseSizes(s string, with32k bool) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 5 {
			return nil, fmt.Errorf("bad probe size %q in %q (statements, at least 5)", f, s)
		}
		out = append(out, n)
	}
	if with32k && !containsInt(out, 32000) {
		out = append(out, 32000)
	}
	return out, nil
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func envString(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fatal(fmt.Errorf("$%s=%q is not a number", name, v))
	}
	return def
}

// envDuration reads a duration or a number of seconds.
func envDuration(name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		fatal(fmt.Errorf("$%s=%q is neither seconds nor a duration", name, v))
	}
	return d
}

func (b *bencher) logf(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
}

func loadavg() string {
	s, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(s))[0]
}

// setup finds the repository, makes the work directory and builds the
// tools.
func (b *bencher) setup(work string) error {
	out, err := exec.Command("go", "list", "-m", "-json").Output()
	if err != nil {
		return fmt.Errorf("run from the reentrycheck repository (go list -m: %v)", err)
	}
	var m struct{ Path, Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Path != repoModule {
		return fmt.Errorf("run from the reentrycheck repository, not %q", m.Path)
	}
	b.repo = m.Dir
	if work == "" {
		work, err = os.MkdirTemp("", "reentrycheck-bench.")
		if err != nil {
			return err
		}
	}
	b.work, err = filepath.Abs(work)
	if err != nil {
		return err
	}
	for _, d := range []string{"bin", "out", "src"} {
		if err := os.MkdirAll(filepath.Join(b.work, d), 0o755); err != nil {
			return err
		}
	}
	b.header()
	for name, pkg := range map[string]string{
		"reentrycheck": "./cmd/reentrycheck",
		"ssaonly":      "./bench/cmd/ssaonly",
		"nilness":      "./bench/cmd/nilness",
	} {
		b.bin[name] = filepath.Join(b.work, "bin", name)
		if err := b.goCmd(b.repo, nil, "build", "-o", b.bin[name], pkg); err != nil {
			return err
		}
	}
	return nil
}

// header prints what was measured and where.
func (b *bencher) header() {
	rev, _ := exec.Command("git", "-C", b.repo, "describe", "--always", "--dirty").Output()
	b.logf("reentrycheck at %s, %s, %s/%s, %d cores; load %s",
		strings.TrimSpace(string(rev)), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadavg())
	b.logf("rounds %d, per-run timeout %s, memory cap %s, work %s\n",
		b.rounds, b.limits.Timeout, capString(b.limits.MaxRSSMB), b.work)
}

func capString(mb int64) string {
	if mb <= 0 {
		return "none"
	}
	return fmt.Sprintf("%d MB", mb)
}

// goCmd runs the go command in dir for setup, failing with its output.
func (b *bencher) goCmd(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	checkpoint()
	if err != nil {
		return fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, tail(out, 30))
	}
	return nil
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// removeAll removes dir, module copies (read-only in the cache) included.
func removeAll(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	_ = os.RemoveAll(dir)
}
