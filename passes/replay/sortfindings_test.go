package replay

import (
	"cmp"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/rules"
	"pgregory.net/rapid"
)

// sortFindings, which sorts small keys and then moves each finding along
// its permutation's cycle, orders findings as a stable sort of the
// findings themselves by position, then rule, does: on random lists with
// repeated positions and rules, the identity of each finding followed
// through CallName.
func TestSortFindingsIsStableSort(t *testing.T) {
	all := rules.All()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		fs := make([]Finding, n)
		for i := range fs {
			fs[i] = Finding{
				Rule:     all[rapid.IntRange(0, len(all)-1).Draw(t, "rule")],
				Pos:      token.Pos(rapid.IntRange(1, 8).Draw(t, "pos")),
				CallName: string(rune('a'+i%26)) + strings.Repeat("'", i/26),
			}
		}
		want := slices.Clone(fs)
		slices.SortStableFunc(want, func(x, y Finding) int {
			if x.Pos != y.Pos {
				return cmp.Compare(x.Pos, y.Pos)
			}
			return strings.Compare(x.Rule.Name, y.Rule.Name)
		})
		sortFindings(fs)
		for i := range fs {
			if fs[i].CallName != want[i].CallName {
				t.Fatalf("at %d: %s, want %s", i, fs[i].CallName, want[i].CallName)
			}
		}
	})
}
