package driver

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// appends reports every append call, with a related location at its
// function and a fix that renames the appended slice. It stands in for
// reentrycheck so that the driver is tested on its own.
var appends = &analysis.Analyzer{
	Name:     "appends",
	Doc:      "reports append calls",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		var fn *ast.FuncDecl
		ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil), (*ast.CallExpr)(nil)}, func(n ast.Node) {
			switch n := n.(type) {
			case *ast.FuncDecl:
				fn = n
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "append" {
					arg := n.Args[0]
					pass.Report(analysis.Diagnostic{
						Pos: n.Pos(), End: n.End(), Category: "appending", Message: "append to " + identName(arg),
						Related: []analysis.RelatedInformation{{Pos: fn.Name.Pos(), Message: "in this function"}},
						SuggestedFixes: []analysis.SuggestedFix{{Message: "rename", TextEdits: []analysis.TextEdit{
							{Pos: arg.Pos(), End: arg.End(), NewText: []byte("renamed")}}}},
					})
				}
			}
		})
		return nil, nil
	},
}

func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}

// broken fails on every package; dependent fails only because it does.
var (
	broken    = &analysis.Analyzer{Name: "broken", Doc: "fails", Run: func(*analysis.Pass) (any, error) { return nil, errors.New("bad setting") }, ResultType: reflect.TypeFor[int]()}
	dependent = &analysis.Analyzer{Name: "dependent", Doc: "needs broken", Requires: []*analysis.Analyzer{broken}, Run: func(*analysis.Pass) (any, error) { return nil, nil }}
)

// module writes a module with files (name → content) and returns its directory.
func module(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.22\n"
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

func env() []string { return append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOPROXY=off") }

const pSrc = "package p\n\nfunc F(s []int) []int {\n\treturn append(s, 1) // é\n}\n"

func TestAnalyzeDeduplicatesTestVariants(t *testing.T) {
	dir := module(t, map[string]string{
		"p/p.go":      pSrc,
		"p/p_test.go": "package p\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F(nil) }\n",
	})
	res, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}, Tests: true, Fixes: true})
	require.NoError(t, err)
	assert.False(t, res.Failed(), "%v %v", res.PackageErrors, res.AnalysisErrors)
	require.Len(t, res.Findings, 1, "p and p [p.test] report the same append once")
	f := res.Findings[0]
	assert.Equal(t, "appending", f.Category)
	assert.Equal(t, "append to s", f.Message)
	assert.Equal(t, 4, f.Pos.Line)
	assert.Equal(t, 9, f.Pos.Column)
	require.Len(t, f.Related, 1)
	assert.Equal(t, 3, f.Related[0].Pos.Line)
	require.Len(t, f.Fixes, 1)
	assert.Equal(t, "renamed", f.Fixes[0].Edits[0].New)

	// Without Fixes the same findings come without their fixes resolved
	// (the text output shows none).
	plain, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}, Tests: true})
	require.NoError(t, err)
	require.Len(t, plain.Findings, 1)
	assert.Empty(t, plain.Findings[0].Fixes)
	assert.Equal(t, f.Message, plain.Findings[0].Message)

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, res.Findings, dir))
	assert.Equal(t, filepath.FromSlash("p/p.go")+":4:9: append to s (appending)\n\t"+filepath.FromSlash("p/p.go")+":3:6: in this function\n", text.String())

	merged, generated, err := MergeFixes(res.Findings)
	require.NoError(t, err)
	assert.Zero(t, generated)
	var diff bytes.Buffer
	require.NoError(t, WriteDiff(&diff, merged, dir))
	assert.Contains(t, diff.String(), "-\treturn append(s, 1) // é\n+\treturn append(renamed, 1) // é\n")
	require.NoError(t, WriteFiles(merged))
	got, err := os.ReadFile(filepath.Join(dir, "p", "p.go"))
	require.NoError(t, err)
	assert.Equal(t, strings.Replace(pSrc, "append(s,", "append(renamed,", 1), string(got))
}

// The checker resolves no analyzer URL: the analyzers run as copies without
// one, which still find their inputs (inspect's result) and keep their name.
func TestAnalyzeResolvesNoURL(t *testing.T) {
	dir := module(t, map[string]string{"p/p.go": pSrc})
	linked := *appends
	linked.URL = "https://example.com/appends"
	res, err := Analyze([]*analysis.Analyzer{&linked}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}})
	require.NoError(t, err)
	require.Len(t, res.Findings, 1)
	assert.Equal(t, "appends", res.Findings[0].Analyzer)
	assert.Equal(t, "https://example.com/appends", linked.URL, "the caller's analyzer is left as it was")
	require.Len(t, res.Graph.Roots, 1)
	root := res.Graph.Roots[0]
	assert.NotSame(t, &linked, root.Analyzer)
	assert.Same(t, inspect.Analyzer, root.Analyzer.Requires[0])
	require.Len(t, root.Diagnostics, 1)
	assert.Equal(t, "#appending", root.Diagnostics[0].URL, "resolved against no analyzer URL")
}

func TestMergeFixesLeavesGeneratedFilesAlone(t *testing.T) {
	dir := module(t, map[string]string{
		"p/p.go":   pSrc,
		"p/gen.go": "// Code generated by hand. DO NOT EDIT.\n\npackage p\n\nfunc G(s []int) []int { return append(s, 2) }\n",
	})
	res, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}, Fixes: true})
	require.NoError(t, err)
	require.Len(t, res.Findings, 2, "generated files are still analyzed")
	merged, generated, err := MergeFixes(res.Findings)
	require.NoError(t, err)
	assert.Equal(t, 1, generated)
	require.Len(t, merged.Files, 1)
	assert.Equal(t, filepath.Join(dir, "p", "p.go"), merged.Files[0].Name)
}

func TestAnalyzeReportsRootCausesOnce(t *testing.T) {
	dir := module(t, map[string]string{
		"a/a.go": "package a\n",
		"b/b.go": "package b\n",
		"c/c.go": "package c\n\nfunc F() int { return undefined }\n",
	})
	res, err := Analyze([]*analysis.Analyzer{dependent}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}})
	require.NoError(t, err)
	assert.True(t, res.Failed())
	assert.Equal(t, []string{"bad setting (in 2 packages)"}, res.AnalysisErrors, "the prerequisite's error, not 'failed prerequisites', and not for the ill-typed package")
	require.Len(t, res.PackageErrors, 1)
	assert.Regexp(t, `c\.go:3:\d+: undefined: undefined`, res.PackageErrors[0])
}

func TestAnalyzeNoPackages(t *testing.T) {
	dir := module(t, map[string]string{})
	_, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}})
	assert.Error(t, err)
}

func TestSARIFConversion(t *testing.T) {
	dir := module(t, map[string]string{"p/p.go": pSrc})
	res, err := Analyze([]*analysis.Analyzer{appends}, Options{Dir: dir, Env: env(), Patterns: []string{"./..."}, Fixes: true})
	require.NoError(t, err)
	log := SARIF(res, SARIFOptions{ToolName: "appends", ToolVersion: "v1", BaseDir: dir,
		Rules: []RuleInfo{{ID: "other", Summary: "another rule", Default: false, HelpURI: "https://example.com/rules#other"}}})
	var buf bytes.Buffer
	require.NoError(t, log.Write(&buf))
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID, Name             string
						DefaultConfiguration struct{ Enabled bool }
						Help                 struct{ Text, Markdown string }
					}
				}
			}
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				Fixes []struct {
					ArtifactChanges []struct {
						Replacements []struct {
							DeletedRegion   struct{ StartLine, StartColumn, EndColumn int }
							InsertedContent struct{ Text string }
						}
					}
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc), buf.String())
	run := doc.Runs[0]
	rules := run.Tool.Driver.Rules
	require.Len(t, rules, 2, "the declared rule plus one for the undeclared category")
	assert.Equal(t, "other", rules[0].ID)
	assert.Equal(t, "Other", rules[0].Name)
	assert.False(t, rules[0].DefaultConfiguration.Enabled)
	assert.Contains(t, rules[0].Help.Text, "-rules=default,other")
	assert.Contains(t, rules[0].Help.Markdown, "(https://example.com/rules#other)")
	assert.Equal(t, "appending", rules[1].ID)

	require.Len(t, run.Results, 1)
	r := run.Results[0]
	assert.Equal(t, "appending", r.RuleID)
	assert.Equal(t, 1, r.RuleIndex)
	loc := r.Locations[0].PhysicalLocation
	assert.Equal(t, "p/p.go", loc.ArtifactLocation.URI)
	assert.Equal(t, "SRCROOT", loc.ArtifactLocation.URIBaseID)
	assert.Equal(t, 4, loc.Region.StartLine)
	assert.Equal(t, 9, loc.Region.StartColumn)
	assert.Equal(t, 21, loc.Region.EndColumn, "end column is exclusive, in UTF-16 units")
	// A point diagnostic has no end: SARIF extends it to the end of the line.
	point := SARIF(&Result{Findings: []Finding{{Category: "appending", Pos: res.Findings[0].Pos, End: res.Findings[0].Pos}}}, SARIFOptions{BaseDir: dir})
	assert.Zero(t, point.Runs[0].Results[0].Locations[0].PhysicalLocation.Region.EndColumn)
	assert.Zero(t, point.Runs[0].Results[0].Locations[0].PhysicalLocation.Region.EndLine)
	assert.Equal(t, 9, point.Runs[0].Results[0].Locations[0].PhysicalLocation.Region.StartColumn)

	rep := r.Fixes[0].ArtifactChanges[0].Replacements[0]
	assert.Equal(t, 4, rep.DeletedRegion.StartLine)
	assert.Equal(t, 16, rep.DeletedRegion.StartColumn)
	assert.Equal(t, 17, rep.DeletedRegion.EndColumn)
	assert.Equal(t, "renamed", rep.InsertedContent.Text)
	assert.Equal(t, "file://"+filepath.ToSlash(dir)+"/", run.OriginalURIBaseIDs["SRCROOT"].URI)
}

func TestRelPath(t *testing.T) {
	base := filepath.FromSlash("/w/m")
	assert.Equal(t, filepath.FromSlash("a/b.go"), RelPath(filepath.FromSlash("/w/m/a/b.go"), base))
	assert.Equal(t, filepath.FromSlash("/w/other/b.go"), RelPath(filepath.FromSlash("/w/other/b.go"), base))
	assert.Equal(t, filepath.FromSlash("/w/m/a/b.go"), RelPath(filepath.FromSlash("/w/m/a/b.go"), ""))
}
