package driver

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/reentrycheck/reentrycheck/internal/stdpkg"
	"golang.org/x/tools/go/packages"
)

// graphMode loads the import graph only: no parsing, no type checking. It
// asks for compiled files so that go list runs with the same flags as the
// full load (-compiled, -deps, -test): the graph and the errors go list
// reports are then exactly the ones the full load would see, which is what
// lets a clean graph stand in for it.
const graphMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedDeps | packages.NeedModule

// plan is what the graph load decided.
type plan struct {
	graph []*packages.Package // the roots of the graph load
	// patterns to load from source: nil for none, the user's patterns when
	// every root is kept or when pruning cannot be trusted.
	patterns []string
	// keep holds the IDs of the graph's roots to analyse; nil when the
	// user's patterns are loaded unchanged.
	keep map[string]bool
}

// pruned reports whether some roots are left out.
func (p *plan) pruned() bool { return p.keep != nil }

// planLoad decides which roots of graph can hold findings: those whose
// dependency closure, themselves included, contains a package seed accepts.
// It keeps everything (the user's patterns, unchanged) whenever a root could
// not be reloaded by its import path or the graph carries an error, since a
// package with an error may be one the analysis would have reported on.
func planLoad(graph []*packages.Package, patterns []string, seed func(*packages.Package) bool) *plan {
	all := &plan{graph: graph, patterns: patterns}
	var pkgs []*packages.Package
	clean := true
	packages.Visit(graph, nil, func(p *packages.Package) {
		pkgs = append(pkgs, p)
		clean = clean && len(p.Errors) == 0 && (p.Module == nil || p.Module.Error == nil)
	})
	if !clean {
		return all
	}
	seeds := evalSeeds(pkgs, seed)
	// reaches memoizes "the closure of p contains a seed". go list rejects
	// import cycles (an error, handled above), so the recursion ends.
	reaches := map[*packages.Package]bool{}
	var reach func(p *packages.Package) bool
	reach = func(p *packages.Package) bool {
		if r, ok := reaches[p]; ok {
			return r
		}
		reaches[p] = false // guards against a cycle all the same
		r := seeds[p]
		for _, q := range p.Imports {
			if r {
				break
			}
			r = reach(q)
		}
		reaches[p] = r
		return r
	}
	// A package and its test variants are loaded together by one import
	// path, so a path is kept when any of its variants is relevant.
	base := map[string]string{}
	relevant := map[string]bool{}
	for _, p := range graph {
		b, ok := basePath(p)
		if !ok {
			return all
		}
		base[p.ID] = b
		if reach(p) {
			relevant[b] = true
		}
	}
	if len(relevant) == len(unique(base)) {
		return all
	}
	keep := map[string]bool{}
	var load []string
	var kept []*packages.Package
	for _, p := range graph {
		if b := base[p.ID]; relevant[b] {
			keep[p.ID] = true
			kept = append(kept, p)
			if !slices.Contains(load, b) {
				load = append(load, b)
			}
		}
	}
	// Pruning costs a second load: the left-out roots are compiled from
	// export data, so that their errors are still reported. It pays when
	// it spares parsing and type-checking a good part of the graph; when
	// the kept roots' closure is nearly all of it (every package sees the
	// declaration), one load from source of everything is cheaper.
	if !worthPruning(pkgs, kept) {
		return all
	}
	return &plan{graph: graph, patterns: load, keep: keep}
}

// pruneWorthIt: roots are left out only when at least this fraction
// (1/pruneWorthIt) of the graph's packages outside the standard library
// lies outside the kept roots' closure. The standard library is left out
// of the count: both loads read it, whatever the roots.
const pruneWorthIt = 4

// worthPruning reports whether leaving out the roots not kept spares
// enough. Pruning costs a second load: the left-out roots are compiled
// from export data, so that their errors are still reported. It pays when
// it spares parsing and type-checking a good part of the graph; when the
// kept roots' closure is nearly all of it (every package sees the
// declaration), one load of everything from source is cheaper (pebble
// with its key type declared: 43 of its 599 packages outside, and a
// second load of a second for a saving of a few tenths).
func worthPruning(all, kept []*packages.Package) bool {
	inKept := map[*packages.Package]bool{}
	packages.Visit(kept, nil, func(p *packages.Package) { inKept[p] = true })
	outside, total := 0, 0
	for _, p := range all {
		if isStdPackage(p) {
			continue
		}
		total++
		if !inKept[p] {
			outside++
		}
	}
	return outside*pruneWorthIt >= total
}

// isStdPackage reports whether p belongs to the standard library, by the
// project's one test of that (its path, and where its files live).
func isStdPackage(p *packages.Package) bool {
	file := ""
	if len(p.GoFiles) > 0 {
		file = p.GoFiles[0]
	}
	return stdpkg.IsFile(p.PkgPath, file)
}

// basePath is the import path that loads p: the package under test for a
// test variant ("p [p.test]", "p_test [p.test]") and a test main ("p.test").
// It fails for packages that no import path names (files given on the
// command line, GOPATH-mode local imports).
func basePath(p *packages.Package) (string, bool) {
	path := p.PkgPath
	if i := strings.Index(p.ID, " ["); i >= 0 && strings.HasSuffix(p.ID, ".test]") {
		path = strings.TrimSuffix(p.ID[i+2:len(p.ID)-1], ".test")
	} else if p.Name == "main" && p.ID == p.PkgPath && strings.HasSuffix(p.PkgPath, ".test") {
		path = strings.TrimSuffix(p.PkgPath, ".test")
	}
	if path == "" || path == "command-line-arguments" || strings.HasPrefix(path, "_") {
		return "", false
	}
	return path, true
}

// evalSeeds asks seed about every package, in parallel: it reads files.
func evalSeeds(pkgs []*packages.Package, seed func(*packages.Package) bool) map[*packages.Package]bool {
	res := make([]bool, len(pkgs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(4, 2*runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range work {
				res[i] = seed(pkgs[i])
			}
		})
	}
	for i := range pkgs {
		work <- i
	}
	close(work)
	wg.Wait()
	m := make(map[*packages.Package]bool, len(pkgs))
	for i, p := range pkgs {
		m[p] = res[i]
	}
	return m
}

func unique(m map[string]string) map[string]bool {
	u := map[string]bool{}
	for _, v := range m {
		u[v] = true
	}
	return u
}

// leftOutPaths lists the import paths of the roots that were not loaded
// from source, each once.
func (p *plan) leftOutPaths(loaded map[string]*packages.Package) []string {
	var paths []string
	seen := map[string]bool{}
	for _, r := range p.graph {
		if _, ok := loaded[r.ID]; ok || seen[r.PkgPath] {
			continue
		}
		seen[r.PkgPath] = true
		paths = append(paths, r.PkgPath)
	}
	return paths
}
