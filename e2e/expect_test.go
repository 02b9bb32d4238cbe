package e2e

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// finding is what the analyzer must report in the sample module.
type finding struct {
	At      string   // "store/scan.go:15"
	Message string   // regexp the message must match
	Yield   []string // the line of the related yield point: the return that propagates the IO
}

// bugs returns the two findings of the buggy functions in package dir
// ("store" or "store2"): the append in Scan.Step and the increment in
// Tally.Step, each re-run when Next yields.
func bugs(t *testing.T, module, dir string) []finding {
	t.Helper()
	scan := dir + "/scan.go"
	return []finding{
		{
			At:      lineOf(t, module, scan, "s.out = append(s.out, s.n)", ""),
			Message: `s\.out`,
			Yield:   []string{lineOf(t, module, scan, "Forward[int](r, err)", "func (s *Scan) Step")},
		},
		{
			At:      lineOf(t, module, scan, "t.count++", ""),
			Message: `count`,
			Yield:   []string{lineOf(t, module, scan, "Forward[int](r, err)", "func (t *Tally) Step")},
		},
	}
}

func ats(fs ...[]finding) []string {
	var at []string
	for _, f := range fs {
		for _, x := range f {
			at = append(at, x.At)
		}
	}
	return sortedCopy(at)
}

// assertDiagnostics checks that ds are exactly the wanted findings, with
// matching messages.
func assertDiagnostics(t *testing.T, want []finding, ds []diagnostic) {
	t.Helper()
	assert.Equal(t, ats(want), positions(ds), "finding positions")
	for _, w := range want {
		if d, ok := find(ds, w.At); ok {
			assert.Regexp(t, regexp.MustCompile(w.Message), d.Message, "message at %s", w.At)
		}
	}
}
