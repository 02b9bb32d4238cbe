// Package futures: a poll-based future runtime, the way Rust's futures and
// Go ports of them spell "call me again": Poll returns Ready(v) or
// Pending(), and a future that awaits another re-polls it until it is
// ready (the ready! idiom). The idiom re-polls the inner future: it is
// neither a dropped result nor a repeated call.
package futures

// Poll is the result of polling a future.
//
//reentrycheck:ioresult
type Poll[T any] struct {
	v     T
	ready bool
}

// Ready is a finished poll.
//
//reentrycheck:done
func Ready[T any](v T) Poll[T] { return Poll[T]{v: v, ready: true} }

// Pending means "not yet: poll me again".
func Pending[T any]() Poll[T] { return Poll[T]{} }

func (p Poll[T]) IsReady() bool  { return p.ready }
func (p *Poll[T]) Pending() bool { return !p.ready }
func (p Poll[T]) Value() T       { return p.v }
func (p Poll[T]) Map(f func(T) T) Poll[T] {
	if !p.ready {
		return p
	}
	return Ready(f(p.v))
}

// Timer is a leaf future: pending on its first poll, ready after.
type Timer struct{ armed bool }

func (t *Timer) Poll() Poll[int] {
	if !t.armed {
		t.armed = true
		return Pending[int]()
	}
	return Ready(0)
}

// Join awaits two futures in turn, keeping what the first gave.
type Join struct {
	a, b   *Timer
	state  int
	first  int
	events []int
}

func (j *Join) Poll() Poll[int] {
	switch j.state {
	case 0:
		p := j.a.Poll()
		if !p.IsReady() {
			return Pending[int]() // the ready! idiom: a is re-polled on re-entry
		}
		j.first, j.state = p.Value(), 1
		fallthrough
	case 1:
		q := j.b.Poll()
		if q.Pending() {
			return Pending[int]()
		}
		j.events = append(j.events, j.first+q.Value())
		j.state = 2
	}
	return Ready(len(j.events))
}

// The flagged twin: both futures in one state, and the event logged in
// between, so every Pending of b logs the event again and polls a again
// after it was ready.
func (j *Join) PollBuggy() Poll[int] {
	p := j.a.Poll() // want `calls j\.a\.Poll, which already returned Done, runs again`
	if !p.IsReady() {
		return Pending[int]()
	}
	j.events = append(j.events, p.Value()) // want `appends to j\.events before the yield`
	q := j.b.Poll()
	if !q.IsReady() {
		return Pending[int]()
	}
	return Ready(q.Value())
}

// A poll looked at but never propagated: when a is pending the function
// reports Ready as if it were not.
func (j *Join) PollDropped() Poll[int] {
	p := j.a.Poll() // want `the IO of j\.a\.Poll is never propagated`
	if p.IsReady() {
		j.first = p.Value()
	}
	return Ready(j.first)
}
