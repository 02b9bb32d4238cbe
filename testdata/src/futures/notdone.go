package futures

// A re-pollable call whose result is tested and found not done did not
// return Done along that edge: polling it again is what its Pending asks
// for. A join that tests each side in its own branch and yields while
// either is pending, and a race that yields when neither is ready, re-poll
// only what is pending.

// Pair joins two timers with a done flag per side.
type Pair struct {
	a, b         *Timer
	aDone, bDone bool
	x, y         int
}

// Poll is silent: a finished side is skipped by its flag, a pending one
// re-polled, and the join yields while either is pending.
func (j *Pair) Poll() Poll[int] {
	if !j.aDone {
		if p := j.a.Poll(); p.IsReady() {
			j.x, j.aDone = p.Value(), true
		}
	}
	if !j.bDone {
		if q := j.b.Poll(); q.IsReady() {
			j.y, j.bDone = q.Value(), true
		}
	}
	if !j.aDone || !j.bDone {
		return Pending[int]()
	}
	return Ready(j.x + j.y)
}

// PollUnflagged keeps a's value but not that a is done: when b is
// pending, re-entry polls a again after its Ready.
func (j *Pair) PollUnflagged() Poll[int] {
	if p := j.a.Poll(); p.IsReady() { // want `calls j\.a\.Poll, which already returned Done, runs again`
		j.x = p.Value()
	}
	if !j.bDone {
		if q := j.b.Poll(); q.IsReady() {
			j.y, j.bDone = q.Value(), true
		}
	}
	if !j.bDone {
		return Pending[int]()
	}
	return Ready(j.x + j.y)
}

// PollSwallowed reports Ready when a is pending: the not-done edge leads
// to no yield.
func (j *Pair) PollSwallowed() Poll[int] {
	if p := j.a.Poll(); p.IsReady() { // want `the IO of j\.a\.Poll is never propagated`
		j.x = p.Value()
	}
	return Ready(j.x)
}

// Race keeps whichever timer is ready first.
type Race struct {
	a, b *Timer
	won  int
}

// Poll is silent: each branch that returns takes a ready result; when
// neither is ready both are re-polled.
func (r *Race) Poll() Poll[int] {
	if p := r.a.Poll(); p.IsReady() {
		return p
	}
	if q := r.b.Poll(); q.IsReady() {
		return q
	}
	return Pending[int]()
}

// PollKeepFirst records a's Ready and goes on to b: when b is pending,
// re-entry polls a again.
func (r *Race) PollKeepFirst() Poll[int] {
	if p := r.a.Poll(); p.IsReady() { // want `calls r\.a\.Poll, which already returned Done, runs again`
		r.won = p.Value()
	}
	if q := r.b.Poll(); q.IsReady() {
		return q
	}
	return Pending[int]()
}

// waiter is an in-flight operation that wakes its waiter when done.
type waiter struct {
	done  bool
	wake  func()
	value int
}

func (w *waiter) register(wake func()) { w.wake = wake }

// Table keeps in-flight operations by key.
type Table struct {
	inflight map[int]*waiter
}

// Wait is silent: registering the waker writes the operation the map
// points to, not the map's entry, which still holds it for the re-poll.
func (t *Table) Wait(k int, wake func()) Poll[int] {
	w := t.inflight[k]
	if !w.done {
		w.register(wake)
		return Pending[int]()
	}
	delete(t.inflight, k)
	return Ready(w.value)
}

// WaitTaken takes the operation out of its entry before it is done: the
// re-poll finds the entry empty.
func (t *Table) WaitTaken(k int, wake func()) Poll[int] {
	w := t.inflight[k]
	t.inflight[k] = nil // want `before the yield`
	if !w.done {
		w.register(wake)
		return Pending[int]()
	}
	return Ready(w.value)
}
