package golangci_test

import (
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/plugin/golangci"
)

// flagValue reads the analyzer's flag as the analysis sees it.
func flagValue(t *testing.T, name string) string {
	t.Helper()
	f := analyzer.Analyzer.Flags.Lookup(name)
	require.NotNil(t, f, "analyzer flag -%s", name)
	return f.Value.String()
}

// build runs the plugin the way golangci-lint does and restores the default
// flags afterwards, since they are process-wide.
func build(t *testing.T, raw any) error {
	t.Helper()
	t.Cleanup(func() {
		p, err := golangci.New(nil)
		require.NoError(t, err)
		_, err = p.BuildAnalyzers()
		require.NoError(t, err)
	})
	p, err := golangci.New(raw)
	if err != nil {
		return err
	}
	assert.Equal(t, register.LoadModeTypesInfo, p.GetLoadMode())
	as, err := p.BuildAnalyzers()
	if err != nil {
		return err
	}
	require.Len(t, as, 1)
	assert.Equal(t, "reentrycheck", as[0].Name)
	return nil
}

// analyzers returns what BuildAnalyzers gives for raw settings.
func analyzers(t *testing.T, raw any) []*analysis.Analyzer {
	t.Helper()
	require.NoError(t, build(t, raw))
	p, err := golangci.New(raw)
	require.NoError(t, err)
	as, err := p.BuildAnalyzers()
	require.NoError(t, err)
	require.Len(t, as, 1)
	return as
}

func TestRelatedSetting(t *testing.T) {
	// By default the analyzer is wrapped (its related information is
	// folded into messages; fold_test.go checks how).
	for _, raw := range []any{nil, map[string]any{"related": false}} {
		a := analyzers(t, raw)[0]
		assert.NotSame(t, analyzer.Analyzer, a, "%v", raw)
		assert.Equal(t, analyzer.Analyzer.Name, a.Name)
		assert.Equal(t, analyzer.Analyzer.Requires, a.Requires)
	}
	// related: true hands over the analyzer itself, related information
	// and all.
	assert.Same(t, analyzer.Analyzer, analyzers(t, map[string]any{"related": true})[0])
	// The setting is the plugin's: it sets no analyzer flag, and the
	// others still apply beside it.
	analyzers(t, map[string]any{"related": true, "ioresult": []any{"example.com/rt.Result"}})
	assert.Nil(t, analyzer.Analyzer.Flags.Lookup("related"))
	assert.Equal(t, "example.com/rt.Result", flagValue(t, "ioresult"))
}

func TestRegisteredUnderItsName(t *testing.T) {
	newPlugin, err := register.GetPlugin("reentrycheck")
	require.NoError(t, err)
	p, err := newPlugin(nil)
	require.NoError(t, err)
	assert.Equal(t, register.LoadModeTypesInfo, p.GetLoadMode())
}

func TestSettingsBecomeFlags(t *testing.T) {
	// The shape golangci-lint hands over: YAML decoded into generic maps.
	raw := map[string]any{
		"ioresult":   []any{"example.com/rt.Result", "example.com/rt.Other"},
		"done":       []any{"example.com/rt.Done", "example.com/rt.Result.Ready"},
		"completion": []any{"example.com/rt.Completion"},
		"idempotent": []any{"example.com/cache.Page.Read"},
		"rules":      []any{"all", "-dropped-result"},
	}
	require.NoError(t, build(t, raw))
	assert.Equal(t, "example.com/rt.Result,example.com/rt.Other", flagValue(t, "ioresult"))
	assert.Equal(t, "example.com/rt.Done,example.com/rt.Result.Ready", flagValue(t, "done"))
	assert.Equal(t, "example.com/rt.Completion", flagValue(t, "completion"))
	assert.Equal(t, "example.com/cache.Page.Read", flagValue(t, "idempotent"))
	assert.Equal(t, "all,-dropped-result", flagValue(t, "rules"))
}

func TestSettingsReplaceEarlierOnes(t *testing.T) {
	require.NoError(t, build(t, map[string]any{"ioresult": []any{"example.com/a.R"}}))
	require.NoError(t, build(t, map[string]any{"ioresult": []any{"example.com/b.R"}}))
	assert.Equal(t, "example.com/b.R", flagValue(t, "ioresult"))
	assert.Equal(t, "default", flagValue(t, "rules"))
}

func TestNoSettingsMeansDefaults(t *testing.T) {
	for _, raw := range []any{nil, map[string]any{}} {
		require.NoError(t, build(t, raw))
		assert.Equal(t, "", flagValue(t, "ioresult"))
		assert.Equal(t, "", flagValue(t, "done"))
		assert.Equal(t, "default", flagValue(t, "rules"))
	}
}

func TestBadSettingsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  any
		want []string // substrings of the error
	}{
		{"unknown key", map[string]any{"ioresults": []any{"example.com/rt.Result"}}, []string{"reentrycheck settings", `unknown field "ioresults"`}},
		{"string instead of list", map[string]any{"done": "example.com/rt.Done"}, []string{"reentrycheck settings", "done"}},
		{"entry without a name", map[string]any{"ioresult": []any{"example.com/rt"}}, []string{"ioresult", `"example.com/rt"`}},
		{"entry with a space", map[string]any{"idempotent": []any{"example.com/rt.Page Read"}}, []string{"idempotent", `"example.com/rt.Page Read"`}},
		{"unknown rule", map[string]any{"rules": []any{"default", "mutation-before-yeld"}}, []string{"rules", `"mutation-before-yeld"`}},
		{"not a map", []any{"ioresult"}, []string{"reentrycheck settings"}},
		{"related not a bool", map[string]any{"related": "yes"}, []string{"reentrycheck settings", "related"}},
		{"unknown key beside related", map[string]any{"related": true, "relatd": true}, []string{"reentrycheck settings", `unknown field "relatd"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := golangci.New(tc.raw)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
