package replay_test

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
)

const carried = `
func (s *S) Carried() (Result, error) {
	v := 0
	if s.state == 0 {
		v = s.n + 1
		s.state = 1
	}
	r, err := s.cur.Insert(v) // R1
	if err != nil || r.IsIO() {
		return Forward(r, err) // Y1
	}
	s.row = v
	return Done(v), nil
}

func (s *S) TwoPaths(early bool) (Result, error) {
	v := 0
	if s.state == 0 {
		v = s.n + 1
		if early {
			return Wait(s.c), nil // Y0: the state has not moved: re-entry recomputes v
		}
		s.state = 1
	}
	r, err := s.cur.Insert(v) // R2
	if err != nil || r.IsIO() {
		return Forward(r, err) // Y2
	}
	return Done(v), nil
}

func (s *S) BackToZero() (Result, error) {
	v := 0
	if s.state == 0 {
		v = s.n + 1
		s.state = 1
	}
	s.row = v
	s.state = 0
	return Wait(s.c), nil
}
`

// The read of a local that re-entry reaches past the arm that computed it
// is reported at the read, with the yield whose state excludes the arm.
func TestCarriedLocal(t *testing.T) {
	got := analyze(t, carried, "S.Carried", nil)
	var lp []finding
	for _, f := range got {
		if f.Rule == rules.LocalProgress.Name {
			lp = append(lp, f)
		}
	}
	assert.Equal(t, []finding{{rules.LocalProgress.Name, "", line(t, carried, "Y1")}}, lp)

	got = analyze(t, carried, "S.TwoPaths", nil)
	lp = nil
	for _, f := range got {
		if f.Rule == rules.LocalProgress.Name {
			lp = append(lp, f)
		}
	}
	assert.Equal(t, []finding{{rules.LocalProgress.Name, "", line(t, carried, "Y2")}}, lp,
		"only the yield after the transition loses v")

	for _, f := range analyze(t, carried, "S.BackToZero", nil) {
		assert.NotEqual(t, rules.LocalProgress.Name, f.Rule, "the state is written back to the arm: re-entry recomputes v")
	}
}
