package driver

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Options says what to load and how.
type Options struct {
	Dir      string   // directory the patterns are relative to ("" = current)
	Env      []string // environment of the go command (nil = this process's)
	Patterns []string // package patterns, as for go build
	Tests    bool     // analyze test files too
	Tags     string   // comma-separated build tags, as for go build -tags
	// Seed, when set, lets Analyze leave out root packages that cannot hold
	// a finding. The import graph of the patterns is loaded first, cheaply
	// (names, files and imports; nothing parsed or type-checked), Seed is
	// asked about every package of it, and only the roots whose dependency
	// closure, themselves included, contains a seed are loaded from source
	// and analysed. Seed must be safe for concurrent use. nil analyses every
	// root.
	Seed func(*packages.Package) bool
	// Fixes resolves the suggested fixes of the findings (Finding.Fixes):
	// -fix, -diff and SARIF need them, the text output does not.
	Fixes bool
}

// Finding is one diagnostic of a root package, with positions resolved.
type Finding struct {
	Package  string // package ID, e.g. "example.com/p" or "example.com/p [example.com/p.test]"
	Analyzer string
	Category string
	Message  string
	Pos, End token.Position
	Related  []Related
	Fixes    []Fix // the first is what -fix applies
}

// Related is a secondary location of a finding (for reentrycheck: the yield point).
type Related struct {
	Pos, End token.Position
	Message  string
}

// Fix is a suggested fix with resolved edit positions.
type Fix struct {
	Message string
	Edits   []Edit
	// Generated is set when an edit touches a generated file (one with a
	// "Code generated ... DO NOT EDIT." header); -fix leaves those alone.
	Generated bool
}

// Edit replaces the text between Pos and End (same file) with New.
type Edit struct {
	Pos, End token.Position
	New      string
}

// Result is what one run found.
type Result struct {
	Graph          *checker.Graph
	PackagePaths   map[string]bool // every loaded package, dependencies included
	Findings       []Finding       // deduplicated, sorted by position
	PackageErrors  []string        // load, parse and type errors, as "file:line:col: message"
	AnalysisErrors []string        // errors returned by analyzers, deduplicated
	// Skipped lists the root packages (IDs) that Seed left out: they were
	// neither loaded from source nor analysed.
	Skipped []string
	// SourceLoaded holds the IDs of the packages loaded from source, with
	// syntax and types: what the analysis cost was spent on.
	SourceLoaded map[string]bool
}

// Failed reports whether some package could not be analyzed.
func (r *Result) Failed() bool { return len(r.PackageErrors)+len(r.AnalysisErrors) > 0 }

// ErrNoPackages is returned when the patterns match nothing.
var ErrNoPackages = errors.New("no packages matched")

// Analyze loads the packages and runs the analyzers on them. It returns an
// error only when nothing could be loaded at all; errors in individual
// packages are in the Result.
func Analyze(analyzers []*analysis.Analyzer, opts Options) (*Result, error) {
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	var p *plan
	var full *pendingLoad
	if opts.Seed != nil {
		// The load of everything from source starts at once, beside the
		// graph load: when the plan keeps every root (every package sees
		// a declaration), it is the load the plan asks for, and the graph
		// load cost nothing; when the plan prunes, it is cancelled.
		full = startLoad(opts, packages.LoadAllSyntax|packages.NeedModule, patterns)
		graph, err := load(context.Background(), opts, graphMode, patterns)
		if err != nil {
			full.abandon()
			return nil, err
		}
		p = planLoad(graph, patterns, opts.Seed)
	}
	var pkgs []*packages.Package
	if p != nil && !p.pruned() && p.patterns != nil {
		var err error
		if pkgs, err = full.wait(); err != nil {
			return nil, err
		}
	} else {
		full.abandon()
	}
	if p == nil || p.pruned() && p.patterns != nil {
		loadPatterns := patterns
		if p != nil {
			loadPatterns = p.patterns
		}
		var err error
		if pkgs, err = load(context.Background(), opts, packages.LoadAllSyntax|packages.NeedModule, loadPatterns); err != nil {
			return nil, err
		}
		if p != nil && p.pruned() && !sameRoots(pkgs, p.keep) {
			// The import paths did not load back the roots the graph
			// showed: analyse everything, as without Seed.
			if pkgs, err = load(context.Background(), opts, packages.LoadAllSyntax|packages.NeedModule, patterns); err != nil {
				return nil, err
			}
			p = nil
		}
	}
	res := &Result{PackagePaths: map[string]bool{}, SourceLoaded: map[string]bool{}}
	packages.Visit(pkgs, nil, func(q *packages.Package) { res.SourceLoaded[q.ID] = true })
	if p != nil && p.pruned() {
		// What the user sees is computed on the whole graph, as if every
		// root had been loaded: the packages (for the warnings about flag
		// entries), and the errors in the order a full load gives them.
		packages.Visit(p.graph, nil, func(q *packages.Package) { res.PackagePaths[q.PkgPath] = true })
		byID := map[string]*packages.Package{}
		packages.Visit(pkgs, nil, func(q *packages.Package) { byID[q.ID] = q })
		// A left-out root is still compiled, from export data (what the
		// build cache holds), so that a package that does not type-check
		// is reported as without pruning: CI never takes a broken build
		// for a clean one.
		withErrors := map[string]*packages.Package{}
		for id, q := range byID {
			withErrors[id] = q
		}
		if checked, err := load(context.Background(), opts, typesMode, p.leftOutPaths(byID)); err == nil {
			packages.Visit(checked, nil, func(q *packages.Package) {
				if _, ok := withErrors[q.ID]; !ok {
					withErrors[q.ID] = q
				}
			})
		}
		res.PackageErrors = packageErrors(p.graph, withErrors)
		// A left-out root that a kept one imports was loaded all the same:
		// analysing it as a root too costs only the reporting step, and
		// keeps its entries (an error, say) in the output.
		for _, r := range p.graph {
			if l, ok := byID[r.ID]; ok && !p.keep[r.ID] {
				pkgs = append(pkgs, l)
			} else if !ok {
				res.Skipped = append(res.Skipped, r.ID)
			}
		}
		pkgs = inGraphOrder(pkgs, p.graph)
	} else {
		if len(pkgs) == 0 {
			return nil, fmt.Errorf("%w %s", ErrNoPackages, strings.Join(patterns, " "))
		}
		packages.Visit(pkgs, nil, func(q *packages.Package) { res.PackagePaths[q.PkgPath] = true })
		res.PackageErrors = packageErrors(pkgs, nil)
	}
	graph, err := checker.Analyze(withoutURLs(analyzers), pkgs, nil)
	if err != nil {
		return nil, err
	}
	res.Graph = graph
	res.AnalysisErrors = analysisErrors(graph)
	res.Findings = findings(graph, opts.Fixes)
	return res, nil
}

// withoutURLs copies the analyzers with their URL cleared. The checker
// resolves a URL for every diagnostic of an analyzer that has one (it parses
// the analyzer's URL and the diagnostic's, then joins them), and no output
// of this driver shows it: the text and JSON output have no URL, and SARIF
// links each rule to its documentation instead. On the 2k-statement probe
// (1400 findings) the resolving was a third of the cost of reporting them:
// 8.7 M of 26.5 M instructions.
// Only the analyzers asked for report; those they require keep their URL.
func withoutURLs(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		c := *a // Requires are shared: a pass finds its inputs by their pointers
		c.URL = ""
		out[i] = &c
	}
	return out
}

// typesMode type-checks packages from export data: it compiles them (or
// finds them in the build cache) without parsing them here.
const typesMode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedTypes | packages.NeedModule

// load runs go/packages on patterns in mode.
func load(ctx context.Context, opts Options, mode packages.LoadMode, patterns []string) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode:    mode,
		Dir:     opts.Dir,
		Env:     opts.Env,
		Tests:   opts.Tests,
	}
	if opts.Tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.Tags}
	}
	if len(patterns) == 0 {
		return nil, nil
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	return pkgs, nil
}

// pendingLoad is a load running in the background.
type pendingLoad struct {
	cancel context.CancelFunc
	done   chan struct{}
	pkgs   []*packages.Package
	err    error
}

// startLoad starts load(opts, mode, patterns) in the background.
func startLoad(opts Options, mode packages.LoadMode, patterns []string) *pendingLoad {
	ctx, cancel := context.WithCancel(context.Background())
	l := &pendingLoad{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.pkgs, l.err = load(ctx, opts, mode, patterns)
	}()
	return l
}

// wait returns the load's packages once it has finished.
func (l *pendingLoad) wait() ([]*packages.Package, error) {
	<-l.done
	l.cancel()
	loadsAbandoned(false)
	return l.pkgs, l.err
}

// abandon cancels the load (go list is stopped, no further package is
// type-checked) and waits for it to stop, so that it takes no processor
// from the load that replaces it. It does nothing on a nil load.
func (l *pendingLoad) abandon() {
	if l == nil {
		return
	}
	l.cancel()
	<-l.done
	loadsAbandoned(true)
}

// loadsAbandoned observes what became of each background load (tests).
var loadsAbandoned = func(abandoned bool) {}

// sameRoots reports whether roots are exactly the packages of keep.
func sameRoots(roots []*packages.Package, keep map[string]bool) bool {
	ids := map[string]bool{}
	for _, r := range roots {
		if !keep[r.ID] {
			return false
		}
		ids[r.ID] = true
	}
	return len(ids) == len(keep)
}

// inGraphOrder sorts roots as the same packages are ordered among the
// graph's roots, which is the order of a load of the user's patterns: the
// first of two identical findings (a package and its test variant) is the
// one kept, so the order shows in the output.
func inGraphOrder(roots, graph []*packages.Package) []*packages.Package {
	index := map[string]int{}
	for i, g := range graph {
		index[g.ID] = i
	}
	out := append([]*packages.Package(nil), roots...)
	sort.SliceStable(out, func(i, j int) bool { return index[out[i].ID] < index[out[j].ID] })
	return out
}

// packageErrors lists the errors of every package reachable from roots,
// dependencies included, once each, in the order go/packages.PrintErrors
// would. A package with an entry in loaded (by ID) reports that version's
// errors: roots may be the import graph and loaded what came from source.
func packageErrors(roots []*packages.Package, loaded map[string]*packages.Package) []string {
	var errs []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			errs = append(errs, s)
		}
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		if l, ok := loaded[p.ID]; ok {
			p = l
		}
		for _, e := range p.Errors {
			add(e.Error())
		}
		if p.Module != nil && p.Module.Error != nil {
			add(p.Module.Error.Err)
		}
	})
	return errs
}

// analysisErrors collects the root causes of failed actions: an action that
// failed because a prerequisite failed, or because its package did not type
// check (already in PackageErrors), adds nothing new.
func analysisErrors(g *checker.Graph) []string {
	byMsg := map[string][]string{}
	var order []string
	for act := range g.All() {
		if act.Err == nil || act.Package.IllTyped {
			continue
		}
		derived := false
		for _, dep := range act.Deps {
			derived = derived || dep.Err != nil
		}
		if derived {
			continue
		}
		msg := act.Err.Error()
		if byMsg[msg] == nil {
			order = append(order, msg)
		}
		byMsg[msg] = append(byMsg[msg], act.Package.PkgPath)
	}
	sort.Strings(order)
	var errs []string
	for _, msg := range order {
		pkgs := byMsg[msg]
		if len(pkgs) == 1 {
			errs = append(errs, fmt.Sprintf("%s: %s", pkgs[0], msg))
		} else {
			errs = append(errs, fmt.Sprintf("%s (in %d packages)", msg, len(pkgs)))
		}
	}
	return errs
}

// findings flattens the diagnostics of the root actions, sorted by
// position. The same file is analyzed as part of p and of its test variant,
// so identical diagnostics are kept once. The suggested fixes are resolved
// only when withFixes is set: the text output shows none.
func findings(g *checker.Graph, withFixes bool) []Finding {
	var out []Finding
	for _, act := range g.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		var generated map[string]bool
		if withFixes {
			generated = map[string]bool{}
			for _, file := range act.Package.Syntax {
				if ast.IsGenerated(file) {
					generated[fset.File(file.FileStart).Name()] = true
				}
			}
		}
		for _, d := range act.Diagnostics {
			f := Finding{
				Package:  act.Package.ID,
				Analyzer: act.Analyzer.Name,
				Category: d.Category,
				Message:  d.Message,
				Pos:      fset.Position(d.Pos),
				End:      endPosition(fset, d.Pos, d.End),
			}
			for _, r := range d.Related {
				f.Related = append(f.Related, Related{Pos: fset.Position(r.Pos), End: endPosition(fset, r.Pos, r.End), Message: r.Message})
			}
			for _, sf := range d.SuggestedFixes {
				if !withFixes {
					break
				}
				fix := Fix{Message: sf.Message}
				for _, e := range sf.TextEdits {
					edit := Edit{Pos: fset.Position(e.Pos), End: endPosition(fset, e.Pos, e.End), New: string(e.NewText)}
					fix.Edits = append(fix.Edits, edit)
					fix.Generated = fix.Generated || generated[edit.Pos.Filename]
				}
				f.Fixes = append(f.Fixes, fix)
			}
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		return out[i].Category < out[j].Category
	})
	// Duplicates share a start: each finding is compared with those kept
	// at its start only, not hashed with its message into a set of all.
	kept := out[:0]
	group := 0 // where the kept findings at the current start begin
	for _, f := range out {
		if group < len(kept) && (kept[group].Pos.Filename != f.Pos.Filename || kept[group].Pos.Offset != f.Pos.Offset) {
			group = len(kept)
		}
		if !slices.ContainsFunc(kept[group:], func(k Finding) bool {
			return k.End.Offset == f.End.Offset && k.Category == f.Category && k.Message == f.Message
		}) {
			kept = append(kept, f)
		}
	}
	return kept
}

// endPosition resolves end, which may be unset (a point diagnostic).
func endPosition(fset *token.FileSet, pos, end token.Pos) token.Position {
	if !end.IsValid() {
		end = pos
	}
	return fset.Position(end)
}
