package golangci

import (
	"fmt"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/passes/config"
)

// Name is the linter's name: the key under linters.settings.custom and the
// word in linters.enable and //nolint comments.
const Name = "reentrycheck"

func init() {
	register.Plugin(Name, New)
}

// Settings mirrors the command-line flags. Keys are lower case because
// golangci-lint lower-cases every key of its configuration.
type Settings struct {
	IOResult   []string `json:"ioresult"`
	Done       []string `json:"done"`
	Completion []string `json:"completion"`
	Idempotent []string `json:"idempotent"`
	YieldErr   []string `json:"yielderr"`
	YieldValue []string `json:"yieldvalue"`
	// Rules are -rules words, one per element ("default", "all", a rule
	// name, or "-name"). Empty means "default".
	Rules []string `json:"rules"`
	// Related keeps each diagnostic's related information (the yield
	// point), which golangci-lint reports as issues of their own. By
	// default (false) it is folded into the diagnostic's message instead.
	// It is the plugin's own setting; the analyzer has no such flag.
	Related bool `json:"related"`
}

// rules is the -rules value of the settings.
func (s Settings) rules() string {
	if len(s.Rules) == 0 {
		return "default"
	}
	return strings.Join(s.Rules, ",")
}

// flagValues returns the settings as analyzer flag name → value.
func (s Settings) flagValues() [][2]string {
	return [][2]string{
		{"ioresult", strings.Join(s.IOResult, ",")},
		{"done", strings.Join(s.Done, ",")},
		{"completion", strings.Join(s.Completion, ",")},
		{"idempotent", strings.Join(s.Idempotent, ",")},
		{"yielderr", strings.Join(s.YieldErr, ",")},
		{"yieldvalue", strings.Join(s.YieldValue, ",")},
		{"rules", s.rules()},
	}
}

// validate checks the settings the way the analyzer will parse them, so that
// a typo stops golangci-lint at start-up rather than inside every package.
// Whether an entry names an existing declaration can only be known while
// analysing the packages that can see it; the analyzer reports that.
func (s Settings) validate() error {
	f := config.Flags{Rules: s.rules()}
	for _, x := range []struct {
		list    *config.List
		entries []string
	}{{&f.IOResult, s.IOResult}, {&f.Done, s.Done}, {&f.Completion, s.Completion}, {&f.Idempotent, s.Idempotent},
		{&f.YieldErr, s.YieldErr}, {&f.YieldValue, s.YieldValue}} {
		if err := x.list.Set(strings.Join(x.entries, ",")); err != nil {
			return err
		}
	}
	_, err := config.Parse(&f)
	return err
}

// Plugin is the register.LinterPlugin for reentrycheck.
type Plugin struct {
	settings Settings
}

// New decodes and validates the settings. It is the constructor golangci-lint
// calls with the raw linters.settings.custom.reentrycheck.settings value.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("%s settings: %w", Name, err)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%s settings: %w", Name, err)
	}
	return &Plugin{settings: s}, nil
}

// BuildAnalyzers configures the public analyzer from the settings and returns
// it, wrapped to fold related information into messages unless the related
// setting is true. The analyzer's flags are process-wide, as under every other
// driver: the settings replace whatever they held before rather than add to
// it.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	fs := &analyzer.Analyzer.Flags
	for _, kv := range p.settings.flagValues() {
		f := fs.Lookup(kv[0])
		if f == nil {
			return nil, fmt.Errorf("%s: analyzer has no -%s flag", Name, kv[0])
		}
		if l, ok := f.Value.(*config.List); ok {
			l.Entries = nil // List.Set appends; start from empty
		}
		if err := fs.Set(kv[0], kv[1]); err != nil {
			return nil, fmt.Errorf("%s settings: %s: %w", Name, kv[0], err)
		}
	}
	if p.settings.Related {
		return []*analysis.Analyzer{analyzer.Analyzer}, nil
	}
	return []*analysis.Analyzer{folded(analyzer.Analyzer)}, nil
}

// GetLoadMode asks for type information: the analyzer needs SSA and facts.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
