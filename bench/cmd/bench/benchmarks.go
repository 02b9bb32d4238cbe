package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/reentrycheck/reentrycheck/bench/probe"
)

func (b *bencher) run(name string) error {
	switch name {
	case "xtools", "pebble":
		return b.standalone(name)
	case "vet":
		return b.vet()
	case "scaling":
		return b.scaling()
	case "stress":
		return b.stressRun()
	case "forced":
		return b.forcedRun()
	case "finish":
		return b.finish()
	}
	return fmt.Errorf("unknown benchmark %q", name)
}

// patterns are the package patterns for module name.
func (b *bencher) patterns(name string) []string { return strings.Fields(b.pkgs[name]) }

// module returns a writable copy of module name (from the module cache),
// its dependencies downloaded and the build cache warmed for its patterns.
func (b *bencher) module(name string) (string, error) {
	if dir, ok := b.mods[name]; ok {
		return dir, nil
	}
	modver := modules[name]
	start := time.Now()
	out, err := exec.Command("go", "mod", "download", "-json", modver).Output()
	var m struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &m); err != nil || jerr != nil || m.Dir == "" {
		return "", fmt.Errorf("%s is not in the module cache and cannot be downloaded (go mod download: %v %s)", modver, err, m.Error)
	}
	dir := filepath.Join(b.work, "src", name)
	removeAll(dir) // left by an earlier run in the same -work directory
	err = os.CopyFS(dir, os.DirFS(m.Dir))
	checkpoint()
	if err != nil {
		return "", fmt.Errorf("copying %s: %w", modver, err)
	}
	// Downloads what the patterns need and compiles their export data and
	// cgo files, so that no measured run pays for either.
	if err := b.goCmd(dir, nil, append([]string{"list", "-export", "-deps", "-test"}, b.patterns(name)...)...); err != nil {
		return "", err
	}
	b.logf("prepared %s in %s (%.0fs)", modver, dir, time.Since(start).Seconds())
	b.mods[name] = dir
	return dir, nil
}

func (b *bencher) side(tool string, args ...string) Side {
	return Side{Name: tool, Args: append([]string{b.bin[tool]}, args...)}
}

// pairTable renders outcomes as one markdown table.
func (b *bencher) pairTable(title, base string, outs []Outcome) string {
	var t strings.Builder
	fmt.Fprintf(&t, "### %s\n\n", title)
	fmt.Fprintf(&t, "| run | rounds | %s time | reentrycheck time | time ratio | %s max RSS | reentrycheck max RSS | RSS ratio | findings | internal errors | per-round time ratios |\n", base, base)
	t.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, o := range outs {
		s := b.summarize(o)
		fmt.Fprintf(&t, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			o.Pair.Title, max(len(o.Base), len(o.Subj)), s.BaseTime, s.SubjTime, s.TimeRatio,
			s.BaseRSS, s.SubjRSS, s.RSSRatio, s.Findings, s.Internal, s.Rounds)
	}
	return t.String()
}

// table records and prints a result table.
func (b *bencher) table(t string) {
	b.tables = append(b.tables, t)
	b.logf("\n%s", t)
}

// againstSSAOnly compares reentrycheck, with flags, to ssaonly over the
// patterns of module name (std: the standard library, from the repository,
// without its tests unless -std-tests).
func (b *bencher) againstSSAOnly(name string, flags ...string) (Outcome, error) {
	dir, title := b.repo, "the standard library:"
	if name != "std" {
		var err error
		if dir, err = b.module(name); err != nil {
			return Outcome{}, err
		}
		title = modules[name]
	}
	pkgs := b.patterns(name)
	if name == "std" && !b.stdTests {
		// With its tests, ssaonly std needs about 7 GB and 2 minutes
		// (without: 1.4 GB, 18 s).
		pkgs = append([]string{"-test=false"}, pkgs...)
	}
	title += " " + strings.Join(pkgs, " ")
	if len(flags) > 0 {
		title += ", " + strings.Join(flags, " ")
	}
	return b.compare(Pair{
		Title: title,
		Dir:   dir,
		Base:  b.side("ssaonly", pkgs...),
		Subj:  b.side("reentrycheck", append(flags, pkgs...)...),
	})
}

// standalone: reentrycheck ./... against ssaonly ./..., tests included.
func (b *bencher) standalone(name string) error {
	o, err := b.againstSSAOnly(name)
	if err != nil {
		return err
	}
	b.table(b.pairTable("standalone: "+name+" (target: at most 1.10x ssaonly in time and in max RSS)", "ssaonly", []Outcome{o}))
	return nil
}

// vetCache prepares go vet runs of module name with a warm build cache but
// fresh vet results.
//
// go vet caches each package's vet step in the build cache, keyed by the
// tool's identity (its -V=full output, which for a local build includes the
// binary's content hash), its flags and the package's inputs, and it caches
// the facts (vetx files) of dependencies the same way. A second run with
// the same binary therefore replays the first one's results and measures
// nothing. So: a seed cache, GOCACHE=$work/gocache-NAME, is warmed once by
// `go list -export -deps -test PATTERNS`, which compiles the export data
// and cgo files of every package go vet will need; no vet tool ever runs
// against the seed, so it holds no vet result of any tool. Every measured
// go vet run then gets its own copy of the seed (made before the clock
// starts, deleted after) as GOCACHE: the compiler work is all cached, the
// vet work (every package and every dependency, std included, since both
// tools declare facts) is all done again, the same for both tools and in
// every round.
func (b *bencher) vetCache(name, dir string) (func() ([]string, func(), error), error) {
	seed := filepath.Join(b.work, "gocache-"+name)
	start := time.Now()
	args := append([]string{"list", "-export", "-deps", "-test"}, b.patterns(name)...)
	if err := b.goCmd(dir, []string{"GOCACHE=" + seed}, args...); err != nil {
		return nil, err
	}
	b.logf("warmed the seed build cache %s (%.0fs, %d MB)", seed, time.Since(start).Seconds(), duMB(seed))
	n := 0
	return func() ([]string, func(), error) {
		n++
		run := fmt.Sprintf("%s.run%d", seed, n)
		removeAll(run)
		err := os.CopyFS(run, os.DirFS(seed))
		checkpoint()
		if err != nil {
			return nil, nil, fmt.Errorf("copying the seed build cache: %w", err)
		}
		return []string{"GOCACHE=" + run}, func() { removeAll(run) }, nil
	}, nil
}

// duMB is the size of the files under dir in MB.
func duMB(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n >> 20
}

// vet: go vet -vettool=reentrycheck against go vet -vettool=nilness.
func (b *bencher) vet() error {
	var outs []Outcome
	for _, name := range []string{"xtools", "pebble"} {
		dir, err := b.module(name)
		if err != nil {
			return err
		}
		fresh, err := b.vetCache(name, dir)
		if err != nil {
			return err
		}
		vet := func(tool string) Side {
			args := append([]string{"go", "vet", "-vettool=" + b.bin[tool]}, b.patterns(name)...)
			return Side{Name: tool, Args: args, Fresh: fresh}
		}
		o, err := b.compare(Pair{
			Title: fmt.Sprintf("go vet %s %s", modules[name], b.pkgs[name]),
			Dir:   dir,
			Base:  vet("nilness"),
			Subj:  vet("reentrycheck"),
		})
		if err != nil {
			return err
		}
		outs = append(outs, o)
	}
	b.table(b.pairTable("go vet, warm build cache, fresh vet results (target: at most 1.05x nilness)", "nilness", outs))
	return nil
}

// stressRun: x/tools with broad ioresult types, against ssaonly.
func (b *bencher) stressRun() error {
	o, err := b.againstSSAOnly("xtools", "-ioresult="+b.stress)
	if err != nil {
		return err
	}
	b.table(b.pairTable("stress: broad ioresult types (target: at most 1.5x ssaonly, no internal error)", "ssaonly", []Outcome{o}))
	return nil
}

// forcedRun: pebble with an -ioresult entry that almost every package sees.
// The standalone driver analyses only the packages that can see a directive
// or a flagged declaration; pebble declares nothing, so its plain run
// measures little more than the import graph. This run makes nearly every
// package relevant, to show what the analysis itself costs.
func (b *bencher) forcedRun() error {
	o, err := b.againstSSAOnly("pebble", "-ioresult="+b.forced)
	if err != nil {
		return err
	}
	b.table(b.pairTable("forced: pebble, every package importing the -ioresult type relevant (reported against the 1.10x standalone target)", "ssaonly", []Outcome{o}))
	return nil
}

// finish: gVisor's tcpip and std, against ssaonly.
func (b *bencher) finish() error {
	o, err := b.againstSSAOnly("gvisor", "-ioresult=gvisor.dev/gvisor/pkg/tcpip.Error")
	if err != nil {
		return err
	}
	outs := []Outcome{o}
	if len(b.patterns("std")) > 0 {
		o, err := b.againstSSAOnly("std")
		if err != nil {
			return err
		}
		outs = append(outs, o)
	}
	b.table(b.pairTable("finish: every package finishes (per-run timeout; time and RSS against ssaonly)", "ssaonly", outs))
	return nil
}

// scaling: the generated probe at each size and shape, against ssaonly.
func (b *bencher) scaling() error {
	var t strings.Builder
	t.WriteString("### scaling probe (target: at most 1.25x ssaonly at every size up to 16k statements; time beyond ssaonly at most 2.2x per doubling)\n\n")
	t.WriteString("| shape | statements | ssaonly time | reentrycheck time | time ratio | time beyond ssaonly | growth per doubling | ssaonly max RSS | reentrycheck max RSS | RSS ratio | findings (expected) |\n")
	t.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, shape := range probe.Shapes {
		beyond := map[int]float64{}
		for _, n := range b.sizes {
			dir := filepath.Join(b.work, "src", fmt.Sprintf("probe-%s-%d", shape, n))
			info, err := probe.Write(dir, shape, n)
			checkpoint()
			if err != nil {
				return err
			}
			o, err := b.compare(Pair{
				Title: fmt.Sprintf("probe %s %d statements", shape, n),
				Dir:   dir,
				Base:  b.side("ssaonly", "-test=false", "./..."),
				Subj:  b.side("reentrycheck", "-test=false", "./..."),
			})
			if err != nil {
				return err
			}
			s := b.summarize(o)
			growth := "—"
			if s.BeyondOK {
				beyond[n] = s.Beyond
				if prev, ok := beyond[n/2]; ok && n%2 == 0 && prev > 0 && s.Beyond > 0 {
					growth = fmt.Sprintf("%.2fx", s.Beyond/prev)
				}
			}
			beyondCell := "—"
			if s.BeyondOK {
				beyondCell = fmt.Sprintf("%.2f s", s.Beyond)
			}
			fmt.Fprintf(&t, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s (%d) |\n",
				shape, n, s.BaseTime, s.SubjTime, s.TimeRatio, beyondCell, growth,
				s.BaseRSS, s.SubjRSS, s.RSSRatio, s.Findings, info.Expected)
			if _, bad := stopped(o.Subj); bad {
				fmt.Fprintf(&t, "| %s | larger sizes | not run: %d statements did not finish | | | | | | | | |\n", shape, n)
				break
			}
		}
	}
	b.table(t.String())
	return nil
}
