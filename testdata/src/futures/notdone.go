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

// Ctx is what an executor hands each poll.
type Ctx struct {
	waker func()
	polls int
}

// Sleepers keeps the waker of each sleeping timer.
type Sleepers struct {
	wakers map[int]func()
	due    map[int]bool
}

// Sleep is silent: the waker is the caller's input to this poll, read
// through a parameter nothing is written through; registered again under
// the same key, it replaces the one before.
func (s *Sleepers) Sleep(id int, cx *Ctx) Poll[int] {
	if !s.due[id] {
		s.wakers[id] = cx.waker
		return Pending[int]()
	}
	return Ready(id)
}

// SleepCounted also counts its polls in the context: what it reads from
// the context is no longer only the caller's input.
func (s *Sleepers) SleepCounted(id int, cx *Ctx) Poll[int] {
	cx.polls++ // want `increments cx\.polls before the yield`
	if !s.due[id] {
		s.wakers[id] = cx.waker // want `inserts into s\.wakers before the yield`
		return Pending[int]()
	}
	return Ready(id)
}

// Window collects the values of operations in order.
type Window struct {
	ops []*waiter
	sum int
}

// Poll is silent: the head leaves the window only once it is done and
// counted.
func (w *Window) Poll() Poll[int] {
	for len(w.ops) > 0 {
		head := w.ops[0]
		if !head.done {
			return Pending[int]()
		}
		w.sum += head.value
		w.ops = w.ops[1:]
	}
	return Ready(w.sum)
}

// PollPopFirst pops the head before it is known to be done: when it is
// not, the re-poll waits on the next one and the head is never counted.
func (w *Window) PollPopFirst() Poll[int] {
	for len(w.ops) > 0 {
		head := w.ops[0]
		w.ops = w.ops[1:] // want `before the yield`
		if !head.done {
			return Pending[int]()
		}
		w.sum += head.value
	}
	return Ready(w.sum)
}

// All awaits a slice of timers.
type All struct {
	ts   []*Timer
	done []bool
	sum  int
}

// Poll is silent: each timer is polled until its Ready, which its
// element's done flag records; a pending one is re-polled.
func (a *All) Poll() Poll[int] {
	waiting := false
	for i := range a.ts {
		if a.done[i] {
			continue
		}
		p := a.ts[i].Poll()
		if !p.IsReady() {
			waiting = true
			continue
		}
		a.sum += p.Value()
		a.done[i] = true
	}
	if waiting {
		return Pending[int]()
	}
	return Ready(a.sum)
}

// PollInOrder waits for the timers in order, its position a local: when
// one is pending, re-entry polls again the ones before it, which were
// ready.
func (a *All) PollInOrder() Poll[int] {
	for i := range a.ts {
		p := a.ts[i].Poll() // want `a\.ts\[\]\.Poll runs in a loop whose progress is held in locals`
		if !p.IsReady() {
			return Pending[int]()
		}
	}
	return Ready(len(a.ts))
}
