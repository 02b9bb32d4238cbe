package driver

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/internal/stdpkg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// seedWord marks the packages of these tests' modules that seed relevance.
const seedWord = "SEED"

// wordSeed accepts the packages one of whose Go files contains seedWord.
func wordSeed(p *packages.Package) bool {
	for _, f := range p.GoFiles {
		if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, []byte(seedWord)) {
			return true
		}
	}
	return false
}

// pruneModule: s is a seed; a imports it; t reaches it only from its test;
// b and c reach nothing (c imports b). Every package appends once.
func pruneModule(t *testing.T, extra map[string]string) string {
	files := map[string]string{
		"s/s.go":      "package s // SEED\n\nfunc S(x []int) []int { return append(x, 0) }\n",
		"a/a.go":      "package a\n\nimport \"example.com/m/s\"\n\nfunc A(x []int) []int { return append(s.S(x), 1) }\n",
		"t/t.go":      "package t\n\nfunc T(x []int) []int { return append(x, 2) }\n",
		"t/t_test.go": "package t\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/s\"\n)\n\nfunc TestT(t *testing.T) { _ = append(s.S(nil), 3) }\n",
		"b/b.go":      "package b\n\nfunc B(x []int) []int { return append(x, 4) }\n",
		"c/c.go":      "package c\n\nimport \"example.com/m/b\"\n\nfunc C(x []int) []int { return append(b.B(x), 5) }\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return module(t, files)
}

func analyzeBoth(t *testing.T, dir string, tests bool) (pruned, full *Result) {
	t.Helper()
	opts := Options{Dir: dir, Env: env(), Patterns: []string{"./..."}, Tests: tests}
	full, err := Analyze([]*analysis.Analyzer{appends}, opts)
	require.NoError(t, err)
	opts.Seed = wordSeed
	pruned, err = Analyze([]*analysis.Analyzer{appends}, opts)
	require.NoError(t, err)
	return pruned, full
}

func findingPackages(fs []Finding) []string {
	var ps []string
	for _, f := range fs {
		if !slices.Contains(ps, f.Package) {
			ps = append(ps, f.Package)
		}
	}
	sort.Strings(ps)
	return ps
}

func TestSeedLeavesOutRootsThatReachNoSeed(t *testing.T) {
	pruned, full := analyzeBoth(t, pruneModule(t, nil), true)
	assert.Equal(t, []string{"example.com/m/b", "example.com/m/c"}, pruned.Skipped)
	assert.Empty(t, full.Skipped)
	for _, id := range []string{"example.com/m/b", "example.com/m/c"} {
		assert.False(t, pruned.SourceLoaded[id], "%s is not loaded from source", id)
		assert.True(t, full.SourceLoaded[id])
	}
	// t is kept with its test variant: a package and its variants load by
	// one import path, and one of them reaches the seed.
	for _, id := range []string{"example.com/m/s", "example.com/m/a", "example.com/m/t", "example.com/m/t [example.com/m/t.test]", "example.com/m/t.test"} {
		assert.True(t, pruned.SourceLoaded[id], "%s is loaded from source", id)
	}
	// The analysis of the kept roots is the same; the appends analyzer
	// reports everywhere, so only the left-out roots' findings differ.
	var kept []Finding
	for _, f := range full.Findings {
		if f.Package != "example.com/m/b" && f.Package != "example.com/m/c" {
			kept = append(kept, f)
		}
	}
	assert.Equal(t, kept, pruned.Findings)
	assert.Equal(t, []string{"example.com/m/a", "example.com/m/s", "example.com/m/t", "example.com/m/t [example.com/m/t.test]"}, findingPackages(pruned.Findings))
	assert.Equal(t, full.PackagePaths, pruned.PackagePaths, "every package of the graph is known, for the warnings about flag entries")
	var want []string
	for _, id := range rootIDs(full) {
		if !slices.Contains(pruned.Skipped, id) {
			want = append(want, id)
		}
	}
	assert.Len(t, want, 5)
	assert.Equal(t, want, rootIDs(pruned), "the roots in the order of a load of ./...")
}

func rootIDs(r *Result) []string {
	var ids []string
	for _, act := range r.Graph.Roots {
		if !slices.Contains(ids, act.Package.ID) {
			ids = append(ids, act.Package.ID)
		}
	}
	return ids
}

func TestSeedNothingRelevantLoadsNothingFromSource(t *testing.T) {
	dir := pruneModule(t, nil)
	res, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./b", "./c"}, Seed: wordSeed})
	require.NoError(t, err)
	assert.Empty(t, res.SourceLoaded)
	assert.Equal(t, []string{"example.com/m/b", "example.com/m/c"}, res.Skipped)
	assert.Empty(t, res.Findings)
	assert.False(t, res.Failed())
	assert.True(t, res.PackagePaths["example.com/m/b"])
	var out bytes.Buffer
	require.NoError(t, res.Graph.PrintJSON(&out))
	assert.Equal(t, "{}\n", out.String(), "what -json prints for packages without findings")
}

func TestSeedAllRelevantIsTheUsualLoad(t *testing.T) {
	dir := pruneModule(t, nil)
	res, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./a", "./s"}, Seed: wordSeed})
	require.NoError(t, err)
	assert.Empty(t, res.Skipped)
	assert.Equal(t, []string{"example.com/m/a", "example.com/m/s"}, findingPackages(res.Findings))
}

func TestSeedGraphErrorsTurnPruningOff(t *testing.T) {
	// b imports a package that does not exist: go list reports it, and a
	// package with an error is analysed as without pruning, errors included.
	dir := pruneModule(t, map[string]string{
		"b/b.go": "package b\n\nimport _ \"example.com/m/missing\"\n\nfunc B(x []int) []int { return append(x, 4) }\n",
	})
	pruned, full := analyzeBoth(t, dir, false)
	assert.Empty(t, pruned.Skipped)
	assert.True(t, pruned.SourceLoaded["example.com/m/c"])
	require.NotEmpty(t, full.PackageErrors)
	assert.Equal(t, full.PackageErrors, pruned.PackageErrors)
	assert.Equal(t, full.Findings, pruned.Findings)
}

func TestSeedTypeErrorsInTheUsualOrder(t *testing.T) {
	// go list sees no error here, so pruning stays on. d does not type
	// check and reaches no seed, but a (kept) imports it: d is loaded from
	// source anyway and analysed as the root it is; b, which imports d too,
	// is left out, yet d's error comes where a full load puts it.
	dir := pruneModule(t, map[string]string{
		"a/a.go": "package a\n\nimport (\n\t\"example.com/m/d\"\n\t\"example.com/m/s\"\n)\n\nfunc A(x []int) []int { return append(s.S(x), d.D, undefinedA) }\n",
		"b/b.go": "package b\n\nimport _ \"example.com/m/d\"\n\nfunc B(x []int) []int { return append(x, 4) }\n",
		"d/d.go": "package d\n\nconst D = undefinedD\n",
	})
	pruned, full := analyzeBoth(t, dir, false)
	assert.Equal(t, []string{"example.com/m/b", "example.com/m/c", "example.com/m/t"}, pruned.Skipped)
	assert.Contains(t, rootIDs(pruned), "example.com/m/d")
	require.Len(t, full.PackageErrors, 2)
	assert.Equal(t, full.PackageErrors, pruned.PackageErrors)
	// -json: the same entries for every package but the left-out roots
	// (which appends, unlike reentrycheck, reports on).
	pj, fj := jsonTree(t, pruned), jsonTree(t, full)
	for _, id := range pruned.Skipped {
		delete(fj, id)
	}
	assert.Contains(t, pj, "example.com/m/d")
	assert.Equal(t, fj, pj)
}

func jsonTree(t *testing.T, r *Result) map[string]any {
	var buf bytes.Buffer
	require.NoError(t, r.Graph.PrintJSON(&buf))
	var tree map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &tree))
	return tree
}

func TestBasePath(t *testing.T) {
	for _, c := range []struct {
		id, path, name, want string
		ok                   bool
	}{
		{"example.com/m/p", "example.com/m/p", "p", "example.com/m/p", true},
		{"example.com/m/p [example.com/m/p.test]", "example.com/m/p", "p", "example.com/m/p", true},
		{"example.com/m/p_test [example.com/m/p.test]", "example.com/m/p_test", "p_test", "example.com/m/p", true},
		{"example.com/m/p.test", "example.com/m/p.test", "main", "example.com/m/p", true},
		{"example.com/m/q [example.com/m/p.test]", "example.com/m/q", "q", "example.com/m/p", true},
		{"command-line-arguments", "command-line-arguments", "main", "", false},
		{"_/tmp/x", "_/tmp/x", "x", "", false},
	} {
		got, ok := basePath(&packages.Package{ID: c.id, PkgPath: c.path, Name: c.name})
		assert.Equal(t, c.ok, ok, c.id)
		assert.Equal(t, c.want, got, c.id)
	}
}

// Pruning is worth its second load only when enough of the graph outside
// the standard library lies outside the kept roots' closure.
func TestWorthPruningCountsWhatIsSpared(t *testing.T) {
	mod := &packages.Module{Path: "example.com/m"}
	pkg := func(path string, imports ...*packages.Package) *packages.Package {
		p := &packages.Package{ID: path, PkgPath: path, Imports: map[string]*packages.Package{}}
		if strings.Contains(path, ".") {
			p.Module = mod
			p.GoFiles = []string{filepath.Join("/work", path, "x.go")}
		} else {
			p.GoFiles = []string{filepath.Join(stdpkg.Src, path, "x.go")}
		}
		for _, q := range imports {
			p.Imports[q.PkgPath] = q
		}
		return p
	}
	fmtPkg := pkg("fmt")
	base := pkg("example.com/m/base", fmtPkg)
	var users []*packages.Package
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		users = append(users, pkg("example.com/m/"+name, base))
	}
	lone := pkg("example.com/m/lone", fmtPkg)
	all := append([]*packages.Package{fmtPkg, base, lone}, users...)

	// Seven of the eight packages that use base are kept: one of nine
	// non-std packages is spared, not worth a second load.
	assert.False(t, worthPruning(all, users))
	// Only a and b are kept: six of nine are spared.
	assert.True(t, worthPruning(all, users[:2]))
	// Nothing is kept: everything is spared.
	assert.True(t, worthPruning(all, nil))
	// The standard library does not count: a thousand std packages outside
	// the kept closure change nothing.
	for i := 0; i < 1000; i++ {
		all = append(all, pkg("std"+strconv.Itoa(i)))
	}
	assert.False(t, worthPruning(all, users))
}

// observeLoads records what became of each background load of a test.
func observeLoads(t *testing.T) *[]bool {
	var seen []bool
	old := loadsAbandoned
	loadsAbandoned = func(abandoned bool) { seen = append(seen, abandoned) }
	t.Cleanup(func() { loadsAbandoned = old })
	return &seen
}

// The load of everything runs beside the graph load: a plan that keeps
// every root takes it as its load, one that prunes (or loads nothing)
// cancels it, and the results are those of the sequential loads.
func TestBackgroundLoadUsedOnlyWhenEverythingIsKept(t *testing.T) {
	dir := pruneModule(t, nil)
	seen := observeLoads(t)

	res, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./a", "./s"}, Seed: wordSeed})
	require.NoError(t, err)
	assert.Equal(t, []bool{false}, *seen, "everything kept: the background load is the load")
	assert.Equal(t, []string{"example.com/m/a", "example.com/m/s"}, findingPackages(res.Findings))
	assert.True(t, res.SourceLoaded["example.com/m/s"])

	*seen = nil
	res, err = Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./b", "./c"}, Seed: wordSeed})
	require.NoError(t, err)
	assert.Equal(t, []bool{true}, *seen, "nothing relevant: the background load is cancelled")
	assert.Empty(t, res.SourceLoaded)

	*seen = nil
	pruned, full := analyzeBoth(t, dir, true)
	assert.Equal(t, []bool{true}, *seen, "pruned: cancelled; without a seed there is no background load")
	assert.Equal(t, []string{"example.com/m/b", "example.com/m/c"}, pruned.Skipped)
	assert.Empty(t, full.Skipped)
}
