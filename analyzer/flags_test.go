package analyzer

import (
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/config"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"
)

// setFlags sets analyzer flags for one test and restores them after.
func setFlags(t *testing.T, kv map[string]string) {
	t.Helper()
	saved := *config.Global
	*config.Global = config.Flags{Rules: "default"}
	t.Cleanup(func() { *config.Global = saved })
	for k, v := range kv {
		require.NoError(t, Analyzer.Flags.Set(k, v))
	}
}

// The declaration flags stand in for directives on types the user cannot
// annotate.
func TestDeclarationFlags(t *testing.T) {
	setFlags(t, map[string]string{
		"ioresult":   "flagged/rt2.Result",
		"done":       "flagged/rt2.Ready",
		"completion": "flagged/rt2.Op",
		"idempotent": "flagged/rt2.Store.Peek",
	})
	analysistest.Run(t, testdata(t), Analyzer, "flagged/use")
}

// -yielderr and -yieldvalue declare the yields of a library that cannot be
// annotated; facts carry them into the packages that use it.
func TestYieldFlags(t *testing.T) {
	setFlags(t, map[string]string{
		"yielderr":   "yieldflags/sock.EAGAIN",
		"yieldvalue": "yieldflags/sock.Pending",
	})
	analysistest.Run(t, testdata(t), Analyzer, "yieldflags/use")
}

// Without the flags the same package is not resumable code at all.
func TestWithoutFlagsNothingIsResumable(t *testing.T) {
	setFlags(t, nil)
	res := analysistest.Run(&quietT{T: t}, testdata(t), Analyzer, "flagged/use")
	for _, r := range res {
		require.Empty(t, r.Diagnostics)
	}
}

// quietT swallows the unmatched-want errors of a deliberately flagless run.
type quietT struct{ *testing.T }

func (q *quietT) Errorf(string, ...any) {}

func TestBadFlagEntries(t *testing.T) {
	for _, tc := range []struct {
		flag, value, want string
	}{
		{"ioresult", "noDot", `-ioresult entry "noDot": want importpath.Name`},
		{"ioresult", "flagged/rt2.Nope", `-ioresult entry "flagged/rt2.Nope": package flagged/rt2 has no declaration Nope`},
		{"ioresult", "flagged/rt2.Ready", `-ioresult entry "flagged/rt2.Ready": Ready is not a type`},
		{"done", "flagged/rt2.Result", `-done entry "flagged/rt2.Result": Result is not a function`},
		{"idempotent", "flagged/rt2.Store.Missing", `type Store has no method Missing`},
		{"rules", "mutation-before-yield,bogus", `-rules: unknown rule "bogus"`},
		{"yielderr", "yieldflags/sock.Count", `-yielderr entry "yieldflags/sock.Count": Count is not an error`},
		{"yielderr", "yieldflags/sock.Missing", `package yieldflags/sock has no declaration Missing`},
		{"yieldvalue", "yieldflags/sock.EAGAIN", `-yieldvalue entry "yieldflags/sock.EAGAIN": EAGAIN is not a constant`},
		{"yieldvalue", "yieldflags/sock.Conn.Poll", `-yieldvalue entry "yieldflags/sock.Conn.Poll": want importpath.Name`},
	} {
		t.Run(tc.flag+"="+tc.value, func(t *testing.T) {
			setFlags(t, map[string]string{tc.flag: tc.value})
			rec := &errT{T: t}
			pkg := "flagged/use"
			if strings.HasPrefix(tc.flag, "yield") {
				pkg = "yieldflags/use" // it imports the package the entries name
			}
			analysistest.Run(rec, testdata(t), Analyzer, pkg)
			require.NotEmpty(t, rec.errs, "a bad entry must fail the analysis")
			require.Contains(t, strings.Join(rec.errs, "\n"), tc.want)
		})
	}
}

// errT records errors instead of failing.
type errT struct {
	*testing.T
	errs []string
}

func (e *errT) Errorf(format string, args ...any) {
	e.errs = append(e.errs, sprintf(format, args...))
}
