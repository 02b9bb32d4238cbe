//go:build linux

// Command icount measures the scaling probe by instructions executed
// instead of wall time: the reentrycheck command and the SSA-only baseline
// on the same generated module, each under valgrind's cachegrind, which
// counts the instructions a process executes.
//
//	go run ./bench/cmd/icount                               # sizes 1k to 8k, all three shapes
//	go run ./bench/cmd/icount -sizes 1000,2000 -shapes bugdense
//	go run ./bench/cmd/icount -reentrycheck /path/to/old/reentrycheck   # another build
//	make bench-icount SIZES=1000,2000,4000,8000
//
// Why: the machine the benchmarks run on is shared, and its load moves
// wall time by 2x between rounds, so small differences (a few hundredths
// of a second at 1k statements) cannot be told from noise. The count of
// instructions does not depend on the load. Three settings make it
// repeatable to about 0.5% between runs at 1k statements:
//
//   - GOMAXPROCS=1, so that no idle processor spins looking for work;
//   - GODEBUG=gcstoptheworld=1: each collection runs at one point of the
//     program, not concurrently with it, so its work does not depend on
//     how the scheduler interleaved marking with the program (with the
//     concurrent collector the count moved by 15%);
//   - GODEBUG=asyncpreemptoff=1: no preemption signals.
//
// What remains is the program's own nondeterminism: the order of map
// iteration is random in Go, so what is allocated when, and so where the
// collections fall, may differ between runs. Mostly it does not (three
// runs agree to 0.1-0.5%), but on the 8k probe one build counted 10.95 G
// instructions in one run and 11.08-11.09 G in two others: 1.2%, a tenth
// of the instructions beyond ssaonly, enough to move a growth per doubling
// by a fifth. So each side runs -runs times (3 by default) and the table
// gives the median, with the spread of reentrycheck's runs
// ((max - min) / median) beside it.
//
// The collections are still counted: what the analyzer allocates costs
// its share. But a collection marks the whole live heap, so the count
// moves in steps where one more collection falls in a run: on the bug-dense
// probe one collection is about a tenth of the instructions beyond
// ssaonly, and whether it falls in depends on a few MB of allocation. A
// growth per doubling computed across such a step says more about the
// collector's schedule than about the analysis. -gogc=off runs both sides
// with the collector off (GOGC=off): the count is then the work of the
// programs alone, allocation included, which is what grows with the size. Only the analyzer's own process is counted (valgrind does not
// follow the `go list` it runs, which is the same for both sides). The
// count is of instructions, not time: it does not see cache misses, and a
// run under valgrind takes about 30 times as long as without.
//
// Peak RSS comes from a separate run of each side without valgrind (the
// process's own maximum resident set, from wait4).
//
// The output is a markdown table in the layout of the scaling probe's, with
// instructions in place of seconds: the ratio, the instructions beyond the
// baseline, and their growth per doubling, all of medians. Not part of
// `make test`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/reentrycheck/reentrycheck/bench/probe"
)

func main() {
	sizes := flag.String("sizes", envString("SIZES", "1000,2000,4000,8000"), "probe sizes in statements (env SIZES)")
	shapes := flag.String("shapes", "bugdense,correct,straight", "probe shapes")
	rc := flag.String("reentrycheck", "", "the reentrycheck binary to measure (default: built from this checkout)")
	base := flag.String("ssaonly", "", "the baseline binary (default: built from this checkout)")
	work := flag.String("work", "", "work directory (default: a new temporary directory, removed at the end)")
	runs := flag.Int("runs", envInt("RUNS", 3), "runs of each side per size; the median is reported (env RUNS)")
	flag.StringVar(&gogc, "gogc", "", "GOGC for the counted runs of both sides (off: no collection, the work of the programs alone)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("icount: ")

	if _, err := exec.LookPath("valgrind"); err != nil {
		log.Fatal("valgrind not found (apt-get install valgrind)")
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		log.Fatal(err)
	}
	if *runs < 1 {
		log.Fatalf("-runs %d: want at least 1", *runs)
	}
	dir := *work
	if dir == "" {
		if dir, err = os.MkdirTemp("", "reentrycheck-icount."); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	if *rc == "" {
		*rc = build(dir, "reentrycheck", "./cmd/reentrycheck")
	}
	if *base == "" {
		*base = build(dir, "ssaonly", "./bench/cmd/ssaonly")
	}

	for _, shape := range strings.Split(*shapes, ",") {
		var ms []measurement
		for _, n := range ns {
			mod := filepath.Join(dir, fmt.Sprintf("probe-%s-%d", shape, n))
			if _, err := probe.Write(mod, probe.Shape(shape), n); err != nil {
				log.Fatal(err)
			}
			m := measurement{n: n}
			var counts [2][]int64 // ssaonly's, reentrycheck's
			for range *runs {
				for i, bin := range []string{*base, *rc} {
					c, err := instructions(bin, mod)
					if err != nil {
						log.Fatal(err)
					}
					counts[i] = append(counts[i], c)
				}
			}
			m.baseIns, m.subjIns = median(counts[0]), median(counts[1])
			m.spread = spread(counts[1])
			if m.baseRSS, err = maxRSS(*base, mod); err != nil {
				log.Fatal(err)
			}
			if m.subjRSS, err = maxRSS(*rc, mod); err != nil {
				log.Fatal(err)
			}
			log.Printf("%s %d: ssaonly %v, reentrycheck %v instructions", shape, n, counts[0], counts[1])
			ms = append(ms, m)
		}
		fmt.Print(table(shape, ms))
	}
}

// build compiles a command of this repository into dir.
func build(dir, name, pkg string) string {
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("go build %s: %v", pkg, err)
	}
	return out
}

// analyzerArgs are the arguments both commands get: the probe module has no
// tests.
var analyzerArgs = []string{"-test=false", "./..."}

// gogc, if set, is the GOGC of the counted runs (-gogc).
var gogc string

// instructions runs bin over the module in dir under cachegrind and returns
// the instructions it executed.
func instructions(bin, dir string) (int64, error) {
	args := append([]string{"--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", bin}, analyzerArgs...)
	cmd := exec.Command("valgrind", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1,gcstoptheworld=1")
	if gogc != "" {
		cmd.Env = append(cmd.Env, "GOGC="+gogc)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	n, perr := parseIRefs(stderr.String())
	if perr != nil {
		// reentrycheck exits 3 when it reports findings: only a missing
		// count is a failure.
		return 0, fmt.Errorf("%s in %s: %v (%v)", filepath.Base(bin), dir, perr, err)
	}
	return n, nil
}

var irefs = regexp.MustCompile(`I\s+refs:\s+([\d,]+)`)

// parseIRefs reads the instruction count from cachegrind's summary.
func parseIRefs(out string) (int64, error) {
	m := irefs.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no instruction count in the valgrind output")
	}
	return strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
}

// maxRSS runs bin over the module in dir and returns its peak resident set
// in KB.
func maxRSS(bin, dir string) (int64, error) {
	cmd := exec.Command(bin, analyzerArgs...)
	cmd.Dir = dir
	err := cmd.Run()
	if cmd.ProcessState == nil {
		return 0, err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, fmt.Errorf("no resource usage for %s", bin)
	}
	return ru.Maxrss, nil
}

// measurement is one size of one shape.
type measurement struct {
	n                int
	baseIns, subjIns int64   // medians
	spread           float64 // of reentrycheck's counts: (max - min) / median
	baseRSS, subjRSS int64   // KB
}

// median returns the median of counts (the lower middle one of an even
// number).
func median(counts []int64) int64 {
	s := slices.Clone(counts)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// spread returns (max - min) / median of counts.
func spread(counts []int64) float64 {
	m := median(counts)
	if m == 0 {
		return 0
	}
	return float64(slices.Max(counts)-slices.Min(counts)) / float64(m)
}

// table formats the measurements of one shape, in increasing size.
func table(shape string, ms []measurement) string {
	var b strings.Builder
	b.WriteString("| shape | statements | ssaonly instructions | reentrycheck instructions | spread | ratio | instructions beyond ssaonly | growth per doubling | ssaonly max RSS | reentrycheck max RSS | RSS ratio |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	beyond := map[int]int64{}
	for _, m := range ms {
		d := m.subjIns - m.baseIns
		beyond[m.n] = d
		growth := "—"
		if prev, ok := beyond[m.n/2]; ok && m.n%2 == 0 && prev > 0 && d > 0 {
			growth = fmt.Sprintf("%.2fx", float64(d)/float64(prev))
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %.1f%% | **%.2fx** | %s | %s | %d MB | %d MB | %.2fx |\n",
			shape, m.n, millions(m.baseIns), millions(m.subjIns), 100*m.spread, float64(m.subjIns)/float64(m.baseIns),
			millions(d), growth, m.baseRSS/1024, m.subjRSS/1024, float64(m.subjRSS)/float64(m.baseRSS))
	}
	return b.String()
}

// millions spells an instruction count in millions.
func millions(n int64) string { return fmt.Sprintf("%.0f M", float64(n)/1e6) }

func parseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad size %q in %q", f, s)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
