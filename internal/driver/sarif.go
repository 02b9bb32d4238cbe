package driver

import (
	"bytes"
	"go/token"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/reentrycheck/reentrycheck/internal/sarif"
)

// RuleInfo is the metadata of one diagnostic category, for SARIF.
type RuleInfo struct {
	ID      string
	Summary string
	Default bool // reported unless deselected
	HelpURI string
}

// SARIFOptions describes the tool and where relative paths start.
type SARIFOptions struct {
	ToolName       string
	ToolVersion    string
	InformationURI string
	Rules          []RuleInfo
	BaseDir        string // absolute; artifact URIs under it are relative to SRCROOT
}

// SARIF converts a run to a SARIF 2.1.0 log. Findings whose category is not
// among opts.Rules get a rule entry of their own, so every result has one.
func SARIF(res *Result, opts SARIFOptions) *sarif.Log {
	c := &sarifConverter{base: opts.BaseDir, lines: map[string][][]byte{}}
	driver := sarif.Driver{
		Name:           opts.ToolName,
		Version:        opts.ToolVersion,
		InformationURI: opts.InformationURI,
		Rules:          []sarif.ReportingDescriptor{},
	}
	index := map[string]int{}
	addRule := func(r RuleInfo) {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, ruleDescriptor(r))
	}
	for _, r := range opts.Rules {
		addRule(r)
	}
	run := sarif.Run{Results: []sarif.Result{}}
	for _, f := range res.Findings {
		id := f.Category
		if id == "" {
			id = f.Analyzer
		}
		if _, ok := index[id]; !ok {
			addRule(RuleInfo{ID: id, Summary: "diagnostics of category " + id, Default: true})
		}
		r := sarif.Result{
			RuleID:    id,
			RuleIndex: index[id],
			Level:     "warning",
			Message:   sarif.Message{Text: f.Message},
			Locations: []sarif.Location{{PhysicalLocation: c.physical(f.Pos, f.End)}},
		}
		for i, rel := range f.Related {
			id := i + 1
			r.RelatedLocations = append(r.RelatedLocations, sarif.Location{
				ID:               &id,
				PhysicalLocation: c.physical(rel.Pos, rel.End),
				Message:          &sarif.Message{Text: rel.Message},
			})
		}
		for _, fix := range f.Fixes {
			r.Fixes = append(r.Fixes, c.fix(fix))
		}
		run.Results = append(run.Results, r)
	}
	run.Tool = sarif.Tool{Driver: driver}
	inv := sarif.Invocation{ExecutionSuccessful: !res.Failed()}
	for _, e := range append(append([]string(nil), res.PackageErrors...), res.AnalysisErrors...) {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarif.Notification{Level: "error", Message: sarif.Message{Text: e}})
	}
	run.Invocations = []sarif.Invocation{inv}
	if opts.BaseDir != "" {
		run.OriginalURIBaseIDs = map[string]sarif.ArtifactLocation{sarif.SrcRoot: {URI: fileURI(opts.BaseDir) + "/"}}
	}
	return &sarif.Log{Schema: sarif.Schema, Version: sarif.Version, Runs: []sarif.Run{run}}
}

func ruleDescriptor(r RuleInfo) sarif.ReportingDescriptor {
	full := r.Summary + "."
	if !r.Default {
		full += " Off by default; enable it with -rules=default," + r.ID + "."
	}
	help := full
	markdown := full
	if r.HelpURI != "" {
		help += " See " + r.HelpURI
		markdown += " See [the rule catalogue](" + r.HelpURI + ")."
	}
	return sarif.ReportingDescriptor{
		ID:                   r.ID,
		Name:                 pascalCase(r.ID),
		ShortDescription:     &sarif.Message{Text: r.Summary},
		FullDescription:      &sarif.Message{Text: full},
		Help:                 &sarif.Message{Text: help, Markdown: markdown},
		HelpURI:              r.HelpURI,
		DefaultConfiguration: &sarif.Configuration{Enabled: r.Default, Level: "warning"},
		Properties:           &sarif.Properties{Tags: []string{"correctness", "reentrancy"}, Precision: "high"},
	}
}

// pascalCase turns "mutation-before-yield" into "MutationBeforeYield", the
// conventional spelling of a SARIF rule name.
func pascalCase(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

type sarifConverter struct {
	base  string
	lines map[string][][]byte // file contents split into lines, for UTF-16 columns
}

// physical locates a finding or a related location. A point (End equal to
// Pos, as many analyzers report) leaves the end out, which SARIF reads as
// "to the end of the line": viewers then highlight the statement instead of
// an empty range.
func (c *sarifConverter) physical(pos, end token.Position) sarif.PhysicalLocation {
	region := c.region(pos, end)
	if end.Offset <= pos.Offset {
		region.EndLine, region.EndColumn = 0, 0
	}
	return sarif.PhysicalLocation{ArtifactLocation: c.artifact(pos.Filename), Region: region}
}

func (c *sarifConverter) fix(f Fix) sarif.Fix {
	sf := sarif.Fix{Description: sarif.Message{Text: f.Message}}
	byFile := map[string]int{}
	for _, e := range f.Edits {
		i, ok := byFile[e.Pos.Filename]
		if !ok {
			i = len(sf.ArtifactChanges)
			byFile[e.Pos.Filename] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarif.ArtifactChange{ArtifactLocation: c.artifact(e.Pos.Filename)})
		}
		rep := sarif.Replacement{DeletedRegion: c.region(e.Pos, e.End)}
		if e.New != "" {
			rep.InsertedContent = &sarif.ArtifactContent{Text: e.New}
		}
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, rep)
	}
	return sf
}

func (c *sarifConverter) artifact(name string) sarif.ArtifactLocation {
	if rel := RelPath(name, c.base); rel != name || !filepath.IsAbs(name) {
		return sarif.ArtifactLocation{URI: pathURI(filepath.ToSlash(rel)), URIBaseID: sarif.SrcRoot}
	}
	return sarif.ArtifactLocation{URI: fileURI(name)}
}

func (c *sarifConverter) region(pos, end token.Position) sarif.Region {
	return sarif.Region{
		StartLine:   pos.Line,
		StartColumn: c.column(pos),
		EndLine:     end.Line,
		EndColumn:   c.column(end),
	}
}

// column converts a byte column to UTF-16 units, reading the file once.
func (c *sarifConverter) column(p token.Position) int {
	lines, ok := c.lines[p.Filename]
	if !ok {
		if content, err := os.ReadFile(p.Filename); err == nil {
			lines = bytes.SplitAfter(content, []byte("\n"))
		}
		c.lines[p.Filename] = lines
	}
	if p.Line < 1 || p.Line > len(lines) {
		return p.Column
	}
	return sarif.UTF16Column(lines[p.Line-1], p.Column)
}

func fileURI(abs string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

func pathURI(rel string) string {
	return (&url.URL{Path: rel}).String()
}
