// Package repeated: a re-pollable call that already returned Done, in the
// replay region of a later yield point, runs again on re-entry.
package repeated

import "rt"

type Join struct {
	left, right *rt.Cursor
	state       int
	l, r        int
}

// Two re-pollable calls in one state: when Next on the right yields,
// re-entry seeks the left cursor again.
func (j *Join) StepBuggy() (rt.IOResult[int], error) {
	a, err := j.left.Next() // want `calls j\.left\.Next, which already returned Done, runs again when the yield at repeated\.go:\d+ re-enters`
	if err != nil || a.IsIO() {
		return rt.Forward[int](a, err)
	}
	b, err := j.right.Next()
	if err != nil || b.IsIO() {
		return rt.Forward[int](b, err)
	}
	return rt.Done(a.Value() + b.Value()), nil
}

// The silent twin: one call per state, the state advanced after each Done.
func (j *Join) Step() (rt.IOResult[int], error) {
	switch j.state {
	case 0:
		a, err := j.left.Next()
		if err != nil || a.IsIO() {
			return rt.Forward[int](a, err)
		}
		j.l, j.state = a.Value(), 1
		fallthrough
	case 1:
		b, err := j.right.Next()
		if err != nil || b.IsIO() {
			return rt.Forward[int](b, err)
		}
		j.r, j.state = b.Value(), 2
	}
	return rt.Done(j.l + j.r), nil
}

// Silent as well: the first call is idempotent (Record re-reads the
// current position), so calling it again repeats nothing.
func (j *Join) PeekThenNext() (rt.IOResult[int], error) {
	a, err := j.left.Record()
	if err != nil || a.IsIO() {
		return rt.Forward[int](a, err)
	}
	b, err := j.right.Next()
	if err != nil || b.IsIO() {
		return rt.Forward[int](b, err)
	}
	return rt.Done(a.Value() + b.Value()), nil
}

// Re-polling the same call is not a repetition: its own propagation is
// never reported.
func (j *Join) Drain() (rt.IOResult[int], error) {
	for {
		a, err := j.left.Next()
		if err != nil || a.IsIO() {
			return rt.Forward[int](a, err)
		}
		if a.Value() < 0 {
			return rt.Done(j.l), nil
		}
		j.l = a.Value()
	}
}
