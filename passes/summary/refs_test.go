package summary_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const refShapes = `package p

type counted struct{ n int }

func (c *counted) IncRef() { c.n++ }
func (c *counted) DecRef() { c.n-- }

// lonely has an Acquire with no release to pair it with.
type lonely struct{ n int }

func (l *lonely) Acquire() { l.n++ }

type holder interface {
	IncRef()
	DecRef()
}

type E struct {
	c     *counted
	l     *lonely
	h     holder
	n     int
	state int
}

type handle struct{ c *counted }

func (e *E) take() handle { e.c.IncRef(); return handle{e.c} }

func (e *E) takeIface() { e.h.IncRef() }

func (e *E) takeTwice() { e.take(); e.takeIface() }

func (e *E) takeCounted() { e.c.IncRef(); e.n++ }

func (e *E) takeLonely() { e.l.Acquire() }

func (h *handle) Release() {
	h.c.DecRef()
	*h = handle{}
}

// clear only clears its handle: it drops nothing.
func (h *handle) clear() { *h = handle{} }

func (e *E) bind() { e.state = 2 }

// takeOrFail drops what it took on its way to an error exit only.
func (e *E) takeOrFail(bad bool) error {
	e.c.IncRef()
	if bad {
		e.c.DecRef()
		return errBad{}
	}
	return nil
}

type errBad struct{}

func (errBad) Error() string { return "bad" }
`

// A function whose every write takes a reference (a reference method's
// acquisition, through an interface too, or a call of such a function) is
// acquires-only; the same for drops. Other writes, an unpaired name, or no
// reference at all make it neither.
func TestReferenceSummaries(t *testing.T) {
	fs, _ := facts(t, refShapes)
	acq := func(name string) bool { return fs[name] != nil && fs[name].Acquires }
	rel := func(name string) bool { return fs[name] != nil && fs[name].Releases }
	assert.True(t, acq("E.take"))
	assert.True(t, acq("E.takeIface"), "through an interface with both halves")
	assert.True(t, acq("E.takeTwice"), "through functions that only take")
	assert.True(t, acq("E.takeOrFail"), "the drop on the way to the error exit does not count")
	assert.False(t, acq("E.takeCounted"), "also counts")
	assert.False(t, acq("E.takeLonely"), "Acquire without a release on its type")
	assert.True(t, rel("handle.Release"), "drops, then clears its own handle")
	assert.False(t, rel("handle.clear"), "clears its handle, drops nothing")
	assert.False(t, rel("E.bind"))
	assert.False(t, acq("E.bind"))
	assert.False(t, acq("counted.IncRef"), "a reference method's own body is a plain write")
}
