package replay_test

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
)

const loopMachines = `
// LoopPremature advances the state at the end of each iteration: the next
// iteration's call, which may yield, runs with that transition pending,
// and re-entry dispatches past it. The transition reaches the call only
// through the loop's back edge.
func (s *S) LoopPremature() (Result, error) {
	switch s.state {
	case 0:
		for i := 0; i < 2; i++ {
			r, err := s.cur.Insert(i)
			if err != nil || r.IsIO() {
				return Forward(r, err) // L1
			}
			s.state = 1
		}
	case 1:
		return Done(1), nil
	}
	return Done(0), nil
}

// LoopAfter makes the transition after the loop: no call runs with it (the
// loop's progress, held in i, is another rule's finding).
func (s *S) LoopAfter() (Result, error) {
	switch s.state {
	case 0:
		for i := 0; i < 2; i++ {
			r, err := s.cur.Insert(i)
			if err != nil || r.IsIO() {
				return Forward(r, err)
			}
		}
		s.state = 1
		fallthrough
	case 1:
		return Done(1), nil
	}
	return Done(0), nil
}
`

// The transitions pending at a re-pollable call are those of the
// fixpoint, back edges included: recorded during the fixpoint's own
// transfers, a call's record must not be the one of its block's first,
// partial visit.
func TestTransitionPendingThroughBackEdge(t *testing.T) {
	assert.Equal(t, []finding{{rules.PrematureTransition.Name, "s.state before s.cur.Insert", line(t, loopMachines, "L1")}},
		analyze(t, loopMachines, "S.LoopPremature", nil))
	for _, f := range analyze(t, loopMachines, "S.LoopAfter", nil) {
		assert.NotEqual(t, rules.PrematureTransition.Name, f.Rule, "%v", f)
	}
}
