package replay_test

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/rules"
	"github.com/stretchr/testify/assert"
)

// Joins in the result spelling: each side's result tested in its own
// branch, the yield after both.
const joins = `
type J struct {
	a, b         *Cursor
	aDone, bDone bool
	x, y         int
	c            *Completion
}

// Join re-polls only a side still pending: a Done side is skipped by its
// flag, and the not-done edge of a side's test clears its call.
func (j *J) Join() (Result, error) {
	if !j.aDone {
		if r, _ := j.a.Next(); !r.IsIO() {
			j.x, j.aDone = r.Value(), true
		}
	}
	if !j.bDone {
		if r, _ := j.b.Next(); !r.IsIO() {
			j.y, j.bDone = r.Value(), true
		}
	}
	if !j.aDone || !j.bDone {
		return Wait(j.c), nil
	}
	return Done(j.x + j.y), nil
}

// Unflagged keeps a's value but not that a is done.
func (j *J) Unflagged() (Result, error) {
	if r, _ := j.a.Next(); !r.IsIO() {
		j.x = r.Value()
	}
	if !j.bDone {
		if r, _ := j.b.Next(); !r.IsIO() {
			j.y, j.bDone = r.Value(), true
		}
	}
	if !j.bDone {
		return Wait(j.c), nil // U1
	}
	return Done(j.x + j.y), nil
}

// Drain consumes a cursor in a loop that keeps nothing in locals: the
// iteration that yields is the one re-entry runs again; the earlier
// iterations' records are consumed and kept in j.x.
func (j *J) Drain() (Result, error) {
	for !j.aDone {
		r, _ := j.a.Next()
		if r.IsIO() {
			return Wait(j.c), nil
		}
		j.x = r.Value()
		j.aDone = j.x > 8
	}
	return Done(j.x), nil
}

// InOrder polls a then b from the top each time: a Done a is polled again
// while b is pending.
func (j *J) InOrder() (Result, error) {
	for _, c := range []*Cursor{j.a, j.b} {
		if r, _ := c.Next(); r.IsIO() {
			return Wait(j.c), nil
		}
	}
	return Done(0), nil
}
`

func TestNotDoneEdges(t *testing.T) {
	assert.Empty(t, analyze(t, joins, "J.Join", nil))
	got := analyze(t, joins, "J.Unflagged", nil)
	var rs []string
	for _, f := range got {
		rs = append(rs, f.Rule)
		assert.Equal(t, line(t, joins, "U1"), f.Yield)
	}
	assert.Contains(t, rs, rules.RepeatedCall.Name, "a's Done is repeated when b is pending")
	rs = nil
	for _, f := range analyze(t, joins, "J.InOrder", nil) {
		rs = append(rs, f.Rule)
	}
	assert.Equal(t, []string{rules.LocalProgress.Name}, rs, "a loop whose position is a local repeats its earlier iterations")
	assert.Empty(t, analyze(t, joins, "J.Drain", nil), "re-entry re-runs the iteration that yielded")
}
