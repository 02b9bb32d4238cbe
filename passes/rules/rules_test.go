package rules

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the registry")

// TestCatalogueIsDocsRules keeps docs/rules.md equal to what the registry
// renders: the catalogue is generated, never edited by hand
// (go test ./passes/rules -run Catalogue -update rewrites it).
func TestCatalogueIsDocsRules(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	want := Catalogue()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "docs/rules.md is out of date: run go test ./passes/rules -run Catalogue -update")
}

// TestEveryRuleIsComplete: a name, a summary, a title, a message (the
// directive categories are worded where they are found), documentation and
// a testdata package of its own.
func TestEveryRuleIsComplete(t *testing.T) {
	names := map[string]bool{}
	valid := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	for _, r := range All() {
		assert.Regexp(t, valid, r.Name)
		assert.False(t, names[r.Name], "duplicate rule %s", r.Name)
		names[r.Name] = true
		assert.NotEmpty(t, r.Summary, r.Name)
		assert.NotEmpty(t, r.Title, r.Name)
		assert.NotEmpty(t, r.Class, r.Name)
		if r.Always {
			assert.NotEmpty(t, r.Anchor, "%s: an always-on category links a section of the catalogue", r.Name)
			continue
		}
		assert.NotNil(t, r.Message, r.Name)
		assert.NotEmpty(t, r.Doc(), "%s: no %s.md beside the rule", r.Name, r.Name)
		assert.DirExists(t, filepath.Join("..", "..", "testdata", "src", r.Name), "%s: no testdata/src/%s", r.Name, r.Name)
		assert.Same(t, r, Lookup(r.Name))
	}
	assert.Nil(t, Lookup("no-such-rule"))
	for _, r := range Judged() {
		assert.NotNil(t, r.Judge, r.Name)
	}
}

// TestJudgements pins each judging rule's reading of a pending fact: the
// fact kinds it reports, and each reason that exempts one.
func TestJudgements(t *testing.T) {
	judge := func(p Pending) string {
		for _, r := range Judged() {
			if ok, _ := r.Judge(&p); ok {
				return r.Name
			}
		}
		return ""
	}
	assert.Equal(t, "mutation-before-yield", judge(Pending{Kind: Mutation}))
	assert.Equal(t, "mutation-before-yield", judge(Pending{Kind: MoveOut}))
	assert.Equal(t, "mutation-before-yield", judge(Pending{Kind: DeferredMutation, Masked: true, Continued: true}), "a deferred mutation runs at the return itself")
	for _, p := range []Pending{{Kind: Mutation, Masked: true}, {Kind: Mutation, Continued: true}, {Kind: Mutation, Restored: true}} {
		assert.Empty(t, judge(p), "%+v", p)
	}
	assert.Equal(t, "repeated-call", judge(Pending{Kind: Call}))
	assert.Empty(t, judge(Pending{Kind: Call, Forwarded: true}), "re-polling the forwarded call is not a repetition")
	assert.Empty(t, judge(Pending{Kind: Call, Idempotent: true}), "calling an idempotent function again repeats nothing")
	assert.Empty(t, judge(Pending{Kind: LoopedCall, Forwarded: true, Idempotent: true}))
	assert.Equal(t, "local-progress", judge(Pending{Kind: LoopedCall, Forwarded: true}))
	assert.Empty(t, judge(Pending{Kind: LoopedCall}), "reported at the call's own yield only")
	assert.Equal(t, "held-across-yield", judge(Pending{Kind: Lock}))
	assert.Empty(t, judge(Pending{Kind: Lock, Released: true}))
	assert.Equal(t, "blind-overwrite", judge(Pending{Kind: BlindWrite}))
	assert.Empty(t, judge(Pending{Kind: Transition}), "a transition with no call to abandon")
	assert.Equal(t, "premature-transition", judge(Pending{Kind: Transition, Waits: []Wait{{}}}))
	for _, w := range []Wait{{Reaches: true}, {SubmitStyle: true}, {Redriven: true}} {
		assert.Empty(t, judge(Pending{Kind: Transition, Waits: []Wait{w}}), "%+v", w)
	}
	assert.Empty(t, judge(Pending{Kind: Transition, Restored: true, Waits: []Wait{{}}}))
}

// The engine skips the masked facts of the kinds SteeredAway names: no
// rule may report one, whatever the other fields say.
func TestMaskedIsNeverReported(t *testing.T) {
	for i := 0; i < 256; i++ { // every value, so that a kind added later is covered too
		k := Kind(i)
		if !SteeredAway(k) {
			continue
		}
		for _, fwd := range []bool{false, true} {
			for _, idem := range []bool{false, true} {
				p := Pending{Kind: k, Masked: true, Forwarded: fwd, Idempotent: idem}
				for _, r := range Judged() {
					ok, _ := r.Judge(&p)
					assert.False(t, ok, "%s reports a masked fact %+v", r.Name, p)
				}
			}
		}
	}
	assert.False(t, SteeredAway(DeferredMutation), "a deferred mutation runs at the return: masking does not excuse it")
}

// An inert fact is reported by no rule whatever its yield: every
// combination of what depends on the yield (masked, continued,
// forwarded, memoized, released, restored, a transition's waits).
func TestInertIsNeverReported(t *testing.T) {
	waits := [][]Wait{nil, {{}}, {{Reaches: true}}}
	inert := 0
	for i := 0; i < 256; i++ { // every value, so that a kind added later is covered too
		k := Kind(i)
		for _, idem := range []bool{false, true} {
			if !Inert(k, idem) {
				continue
			}
			inert++
			for bits := 0; bits < 1<<6; bits++ {
				for _, w := range waits {
					p := Pending{Kind: k, Idempotent: idem,
						Masked: bits&1 != 0, Continued: bits&2 != 0, Forwarded: bits&4 != 0,
						Memoized: bits&8 != 0, Released: bits&16 != 0, Restored: bits&32 != 0, Waits: w}
					for _, r := range Judged() {
						ok, _ := r.Judge(&p)
						assert.False(t, ok, "%s reports an inert fact %+v", r.Name, p)
					}
				}
			}
		}
	}
	assert.Equal(t, 2, inert, "idempotent calls, looped or not")
	assert.False(t, Inert(Call, false), "a call of a function that is not idempotent repeats it")
	assert.False(t, Inert(Mutation, true), "only calls are excused by idempotence")
}
