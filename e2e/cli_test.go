package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rt2Flags declare the un-annotated copy of the runtime by flag.
var rt2Flags = []string{"-ioresult=example.com/sample/rt2.Result", "-done=example.com/sample/rt2.Done", "-completion=example.com/sample/rt2.Completion"}

func TestCLITextReportsCrossPackageFindings(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	stdout, stderr, code := reentrycheck(t, mod, "./...")
	assert.Equal(t, 3, code, "exit code with findings; stderr:\n%s", stderr)
	assert.Empty(t, stdout)
	ds := parseDiagnostics(t, mod, stderr)
	// store's findings need rt's directives as facts; store2's types carry
	// no directives and no flags declare them, so it is silent, and so are
	// the fixed twins.
	assertDiagnostics(t, bugs(t, mod, "store"), ds)
	assert.Contains(t, stderr, "(mutation-before-yield)", "text output names the rule")
	// The related yield point is printed indented below each finding.
	for _, b := range bugs(t, mod, "store") {
		assert.Regexp(t, regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(b.At)+`:\d+: .*\n\t(`+strings.Join(quoteAll(b.Yield), "|")+`):\d+: `), stderr)
	}
}

func quoteAll(s []string) []string {
	var q []string
	for _, x := range s {
		q = append(q, regexp.QuoteMeta(x))
	}
	return q
}

func TestCLIExitZeroWhenClean(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	stdout, stderr, code := reentrycheck(t, mod, "./rt", "./store2")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	assert.Empty(t, stderr)
}

func TestCLIDeclarationFlags(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	_, stderr, code := reentrycheck(t, mod, append(rt2Flags, "./store2")...)
	assert.Equal(t, 3, code, stderr)
	assertDiagnostics(t, bugs(t, mod, "store2"), parseDiagnostics(t, mod, stderr))

	// Rule selection: without mutation-before-yield nothing is left to report.
	_, stderr, code = reentrycheck(t, mod, append(rt2Flags, "-rules=default,-mutation-before-yield", "./store2")...)
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, parseDiagnostics(t, mod, stderr))
}

// jsonTree is the standard go/analysis -json shape.
type jsonTree map[string]map[string]json.RawMessage

type jsonDiag struct {
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Category string `json:"category"`
	Fixes    []struct {
		Message string `json:"message"`
	} `json:"suggested_fixes"`
}

func TestCLIJSON(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	stdout, stderr, code := reentrycheck(t, mod, "-json", "./...")
	assert.Equal(t, 0, code, "-json exits 0 with findings; stderr:\n%s", stderr)
	var tree jsonTree
	require.NoError(t, json.Unmarshal([]byte(stdout), &tree), stdout)

	var ds []diagnostic
	fixes := 0 // the JSON output prints the analyzer's fixes, which it builds for it
	for pkg, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			require.Equal(t, "reentrycheck", name)
			var diags []jsonDiag
			require.NoError(t, json.Unmarshal(raw, &diags), "package %s: %s", pkg, raw)
			for _, d := range diags {
				assert.Equal(t, "mutation-before-yield", d.Category)
				assert.True(t, strings.HasPrefix(pkg, "example.com/sample/store"), "finding in %s", pkg)
				m := diagLine.FindStringSubmatch(d.Posn + ": " + d.Message)
				require.NotNil(t, m, "posn %q", d.Posn)
				assert.True(t, filepath.IsAbs(m[1]), "posn is absolute, as go/analysis drivers print it: %s", d.Posn)
				ds = append(ds, parseDiagnostics(t, mod, d.Posn+": "+d.Message)...)
				fixes += len(d.Fixes)
			}
		}
	}
	// The test variant of a package repeats its findings; compare the set.
	assertDiagnostics(t, bugs(t, mod, "store"), dedup(ds))
	assert.Positive(t, fixes, "store's findings have fixes (see -fix)")
}

func dedup(ds []diagnostic) []diagnostic {
	seen := map[string]bool{}
	var out []diagnostic
	for _, d := range ds {
		if !seen[d.At+d.Message] {
			seen[d.At+d.Message] = true
			out = append(out, d)
		}
	}
	return out
}

func TestCLISARIF(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	stdout, stderr, code := reentrycheck(t, mod, "-sarif", "./...")
	assert.Equal(t, 0, code, stderr)
	var log sarifLog
	require.NoError(t, json.Unmarshal([]byte(stdout), &log), stdout)

	assert.Equal(t, "2.1.0", log.Version)
	assert.Contains(t, log.Schema, "sarif-2.1.0")
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	assert.Equal(t, "reentrycheck", run.Tool.Driver.Name)
	assert.NotEmpty(t, run.Tool.Driver.Version)
	require.Len(t, run.Invocations, 1)
	assert.True(t, run.Invocations[0].ExecutionSuccessful)

	// Rule metadata: every rule of the catalogue plus the directive categories.
	ids := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		ids[r.ID] = i
		assert.NotEmpty(t, r.ShortDescription.Text, r.ID)
		assert.NotEmpty(t, r.Help.Text, r.ID)
		assert.Regexp(t, `^https://.*docs/rules\.md#`, r.HelpURI, r.ID)
		assert.Contains(t, []string{"warning", "error", "note"}, r.DefaultConfiguration.Level)
	}
	for _, r := range rules.All() {
		assert.Contains(t, ids, r.Name)
		assert.Equal(t, r.Default || r.Always, run.Tool.Driver.Rules[ids[r.Name]].DefaultConfiguration.Enabled, r.Name)
	}
	assert.Len(t, run.Tool.Driver.Rules, len(rules.All()))

	base := run.OriginalURIBaseIDs["SRCROOT"].URI
	assert.True(t, strings.HasPrefix(base, "file:///") && strings.HasSuffix(base, "/"), base)
	assert.True(t, strings.HasSuffix(strings.TrimSuffix(base, "/"), filepath.ToSlash(mod)), "SRCROOT %s is the working directory %s", base, mod)

	want := bugs(t, mod, "store")
	var got []string
	fixes := 0
	for _, r := range run.Results {
		require.Contains(t, ids, r.RuleID)
		assert.Equal(t, ids[r.RuleID], r.RuleIndex, "ruleIndex points at the rule")
		assert.Equal(t, "mutation-before-yield", r.RuleID)
		assert.Equal(t, "warning", r.Level)
		require.Len(t, r.Locations, 1)
		loc := r.Locations[0].PhysicalLocation
		assert.Equal(t, "SRCROOT", loc.ArtifactLocation.URIBaseID)
		assert.True(t, loc.Region.StartColumn >= 1 && (loc.Region.EndLine == 0 || loc.Region.EndLine >= loc.Region.StartLine), "region %+v", loc.Region)
		at := loc.ArtifactLocation.URI + ":" + itoa(loc.Region.StartLine)
		got = append(got, at)
		for _, w := range want {
			if w.At != at {
				continue
			}
			assert.Regexp(t, w.Message, r.Message.Text)
			require.NotEmpty(t, r.RelatedLocations, "the yield point is a related location")
			rel := r.RelatedLocations[0]
			assert.Contains(t, w.Yield, rel.PhysicalLocation.ArtifactLocation.URI+":"+itoa(rel.PhysicalLocation.Region.StartLine))
			assert.NotEmpty(t, rel.Message.Text)
		}
		for _, f := range r.Fixes {
			fixes++
			assert.NotEmpty(t, f.Description.Text)
			require.NotEmpty(t, f.ArtifactChanges)
			for _, ch := range f.ArtifactChanges {
				assert.Equal(t, loc.ArtifactLocation.URI, ch.ArtifactLocation.URI, "the fix edits the flagged file")
				require.NotEmpty(t, ch.Replacements)
				for _, rep := range ch.Replacements {
					assert.Positive(t, rep.DeletedRegion.StartLine)
				}
			}
		}
	}
	assert.Equal(t, ats(want), sortedCopy(got))
	assert.Positive(t, fixes, "SARIF carries the suggested fixes")
}

// sarifLog is the part of SARIF 2.1.0 the test checks, decoded independently
// of the package that writes it.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					Help struct {
						Text string `json:"text"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Enabled bool   `json:"enabled"`
						Level   string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
		} `json:"invocations"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations        []sarifLocation `json:"locations"`
			RelatedLocations []sarifLocation `json:"relatedLocations"`
			Fixes            []struct {
				Description struct {
					Text string `json:"text"`
				} `json:"description"`
				ArtifactChanges []struct {
					ArtifactLocation sarifArtifact `json:"artifactLocation"`
					Replacements     []struct {
						DeletedRegion sarifRegion `json:"deletedRegion"`
					} `json:"replacements"`
				} `json:"artifactChanges"`
			} `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	} `json:"physicalLocation"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

func TestCLIDiffShowsTheMoveWithoutWriting(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	scan := filepath.Join(mod, "store", "scan.go")
	before, err := os.ReadFile(scan)
	require.NoError(t, err)

	stdout, stderr, code := reentrycheck(t, mod, "-diff", "./store")
	assert.Equal(t, 3, code, "a non-empty diff exits 3; stderr:\n%s", stderr)
	assert.Contains(t, stdout, "--- store/scan.go (old)\n+++ store/scan.go (new)\n")
	assert.Regexp(t, `(?m)^-\ts\.out = append\(s\.out, s\.n\)$`, stdout)
	assert.Regexp(t, `(?m)^\+\ts\.out = append\(s\.out, s\.n\)$`, stdout)
	// The append comes back below the propagation: its + line follows the
	// unchanged closing brace of the if block.
	minus := strings.Index(stdout, "-\ts.out = append")
	plus := strings.Index(stdout, "+\ts.out = append")
	forward := strings.Index(stdout, " \t\treturn rt.Forward[int](r, err)")
	assert.True(t, minus >= 0 && forward > minus && plus > forward, "diff:\n%s", stdout)

	after, err := os.ReadFile(scan)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "-diff must not write")
}

func TestCLIFixAppliesTheMove(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	_, stderr, code := reentrycheck(t, mod, "-fix", "./store")
	assert.Equal(t, 0, code, "every finding of store has a fix; stderr:\n%s", stderr)
	assert.Contains(t, stderr, "applied 2 fixes to 1 file\n")
	fixed, err := os.ReadFile(filepath.Join(mod, "store", "scan.go"))
	require.NoError(t, err)
	step := string(fixed)[strings.Index(string(fixed), "func (s *Scan) Step"):]
	forward := strings.Index(step, "return rt.Forward[int](r, err)\n\t}\n")
	appendAt := strings.Index(step, "\ts.out = append(s.out, s.n)\n")
	assert.True(t, forward >= 0 && appendAt > forward, "the append moved below the propagation:\n%s", step)
	assert.Equal(t, 1, strings.Count(string(fixed), "s.out = append(s.out, s.n)"))

	// The fixed module is clean for the fixed shape, and still compiles.
	_, stderr, _ = reentrycheck(t, mod, "./store")
	for _, d := range parseDiagnostics(t, mod, stderr) {
		assert.NotRegexp(t, `s\.out`, d.Message, "the append is still reported after -fix at %s", d.At)
	}
	_, stderr, code = run(t, mod, baseEnv(), "go", "build", "./...")
	assert.Equal(t, 0, code, stderr)
}

func TestCLIErrors(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	cases := []struct {
		name string
		args []string
		want string // regexp on stderr
	}{
		{"unknown flag", []string{"-bogus", "./..."}, `flag provided but not defined: -bogus`},
		{"no packages", nil, `no packages given`},
		{"malformed entry", []string{"-ioresult=nodot", "./..."}, `-ioresult entry "nodot"`},
		{"entry naming nothing", []string{"-ioresult=example.com/sample/rt2.Nope", "./..."}, `-ioresult entry "example\.com/sample/rt2\.Nope".*Nope`},
		{"unknown rule", []string{"-rules=nonsense", "./..."}, `unknown rule "nonsense"`},
		{"exclusive outputs", []string{"-json", "-sarif", "./..."}, `exclusive`},
		{"no such package", []string{"./nope"}, `nope`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := reentrycheck(t, mod, c.args...)
			assert.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.Regexp(t, c.want, stderr)
		})
	}
}

func TestCLIWarnsAboutEntryOfUnloadedPackage(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "sample")
	_, stderr, code := reentrycheck(t, mod, "-ioresult=example.com/sample/tr.Result", "./rt")
	assert.Equal(t, 0, code, "a warning does not change the exit code; stderr:\n%s", stderr)
	assert.Contains(t, stderr, `warning: -ioresult entry "example.com/sample/tr.Result": its package is not among the analyzed packages`)

	_, stderr, code = reentrycheck(t, mod, "-ioresult=example.com/sample/rt2.Result", "./store2")
	assert.Equal(t, 3, code, stderr)
	assert.NotContains(t, stderr, "warning")
}

func TestCLIPackageThatDoesNotTypeCheck(t *testing.T) {
	needBinary(t)
	mod := sampleModule(t, "broken")
	// The flag names bad's package, so that it is loaded from source; left
	// out (below), it is compiled all the same.
	named := "-done=example.com/broken/bad.Broken"
	for _, args := range [][]string{{named, "./..."}, {"-json", named, "./..."}, {"-sarif", named, "./..."}} {
		stdout, stderr, code := reentrycheck(t, mod, args...)
		assert.Equal(t, 1, code, "%v: stderr:\n%s", args, stderr)
		assert.Regexp(t, `bad\.go:5:\d+: undefined: undefinedName`, stderr, args)
		if args[0] == "-sarif" {
			assert.Contains(t, stdout, `"executionSuccessful": false`)
			assert.Contains(t, stdout, "undefinedName", "the error is a tool notification")
		}
	}
	// Left out of the analysis, the package is still compiled, and its type
	// error is reported as with pruning off.
	_, stderr, code := reentrycheck(t, mod, "./...")
	assert.Equal(t, 1, code, stderr)
	assert.Regexp(t, `bad\.go:5:\d+: undefined: undefinedName`, stderr)
	_, stderr, code = run(t, mod, append(baseEnv(), "REENTRYCHECK_NOPRUNE=1"), binary, "./...")
	assert.Equal(t, 1, code, stderr)
	assert.Regexp(t, `bad\.go:5:\d+: undefined: undefinedName`, stderr)
}

func TestCLIVersionAndHelp(t *testing.T) {
	needBinary(t)
	dir := t.TempDir()
	for _, args := range [][]string{{"version"}, {"-version"}} {
		stdout, _, code := reentrycheck(t, dir, args...)
		assert.Equal(t, 0, code)
		assert.Regexp(t, `^reentrycheck github\.com/reentrycheck/reentrycheck \S+.* \(go1\.\d+`, stdout)
	}
	_, stderr, code := reentrycheck(t, dir, "-help")
	assert.Equal(t, 0, code)
	for _, flag := range []string{"-ioresult", "-done", "-completion", "-idempotent", "-rules", "-json", "-sarif", "-fix", "-diff"} {
		assert.Regexp(t, `(?m)^  `+flag+`\b`, stderr, "help lists %s", flag)
	}
	assert.Contains(t, stderr, "Exit codes")
}

func TestDemo(t *testing.T) {
	needBinary(t)
	stdout, stderr, code := reentrycheck(t, t.TempDir(), "demo")
	assert.Equal(t, 0, code, "demo must find exactly its marked bugs:\n%s\n%s", stdout, stderr)
	assert.Contains(t, stdout, "All 2 bugs found; the fixed twins are silent.")
	assert.Regexp(t, `(?m)^btree/buggy\.go:\d+:\d+: .*s\.buf.* \(mutation-before-yield\)$`, stdout)
	assert.Regexp(t, `(?m)^btree/buggy\.go:\d+:\d+: .*count.* \(mutation-before-yield\)$`, stdout)
	assert.Contains(t, stdout, "+++ btree/buggy.go (new)", "the demo shows the suggested fix")
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestREADMEShowsRealDemoOutput keeps the README's "What a finding looks
// like" screen equal to what the demo prints today. On failure, paste the
// demo's output (from its first finding on) into the README.
func TestREADMEShowsRealDemoOutput(t *testing.T) {
	needBinary(t)
	stdout, _, code := reentrycheck(t, t.TempDir(), "demo")
	require.Equal(t, 0, code)
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	start := strings.Index(string(readme), "```\nbtree/buggy.go:")
	require.GreaterOrEqual(t, start, 0, "README has a code block starting with the demo's first finding")
	block := string(readme)[start+len("```\n"):]
	block = block[:strings.Index(block, "```")]
	first := strings.Index(stdout, "btree/buggy.go:")
	require.GreaterOrEqual(t, first, 0)
	assert.Equal(t, stdout[first:], block, "README.md is out of date: paste `go run ./cmd/reentrycheck demo` output")
}
