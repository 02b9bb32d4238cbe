// Package sched is the corpus's scheduler code: run queues, cooperative
// yields with injection hooks, in-flight gates, task tables and timers.
package sched

import (
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// schedPoint is the scheduler's injection enum.
type schedPoint int

const (
	pointBeforeStep schedPoint = iota
	pointAfterTick
	numSchedPoints
)

// Point returns the injection point.
func (p schedPoint) Point() sim.Point {
	return sim.Point{Subsystem: "sched", Ordinal: int(p), Count: int(numSchedPoints)}
}

// Task writes its payload once to its output file.
type Task struct {
	Out  rt.File
	Off  int64
	Data []byte
	Ran  bool
	c    *rt.Completion
}

// Step runs the task.
//
// quality: ok C1 once-guard on the completion; Ran is set after it landed
func (t *Task) Step() (rt.IOResult[bool], error) {
	if t.Ran {
		return rt.Done(true), nil
	}
	if t.c == nil {
		c, err := t.Out.WriteAt(t.Data, t.Off, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		t.c = c
	}
	if !t.c.Finished() {
		// Re-entrancy: the write is kept in t.c; re-entry waits on it.
		return rt.Wait[bool](t.c), nil
	}
	if err := t.c.Err(); err != nil {
		return rt.IOResult[bool]{}, err
	}
	t.Ran, t.c = true, nil
	return rt.Done(true), nil
}

// RunQueue runs its tasks in order.
type RunQueue struct {
	Tasks []*Task
	pos   int
	Runs  int
}

// Tick runs every queued task.
//
// quality: ok C4 consume cursor over the queue
func (q *RunQueue) Tick() (rt.IOResult[int], error) {
	for q.pos < len(q.Tasks) {
		r, err := q.Tasks[q.pos].Step()
		if err != nil || r.IsIO() {
			// Re-entrancy: q.pos names the task that is waiting.
			return rt.Forward[int](r, err)
		}
		q.Runs++
		q.pos++
	}
	return rt.Done(q.Runs), nil
}

// PopQueue runs its tasks by popping them off the front.
type PopQueue struct {
	Tasks []*Task
	Runs  int
}

// Tick runs every queued task.
//
// quality: ok C4 the queue itself is the progress: a task leaves it once it ran
func (q *PopQueue) Tick() (rt.IOResult[int], error) {
	for len(q.Tasks) > 0 {
		r, err := q.Tasks[0].Step()
		if err != nil || r.IsIO() {
			// Re-entrancy: the waiting task is still at the front.
			return rt.Forward[int](r, err)
		}
		q.Tasks = q.Tasks[1:]
		q.Runs++
	}
	return rt.Done(q.Runs), nil
}

// CountingQueue runs its tasks with a range loop.
type CountingQueue struct {
	Tasks []*Task
	Runs  int
}

// Tick runs every queued task.
//
// quality: bug C4 the queue position is a range index: re-entry restarts the loop and counts the tasks that ran again
func (q *CountingQueue) Tick() (rt.IOResult[int], error) {
	for _, t := range q.Tasks {
		r, err := t.Step()
		if err != nil || r.IsIO() {
			// Bug: the position is lost; the tasks already run return
			// Done again on re-entry and are counted again.
			return rt.Forward[int](r, err)
		}
		q.Runs++
	}
	return rt.Done(q.Runs), nil
}

// Batcher takes the pending tasks and runs them as one batch.
type Batcher struct {
	Pending []*Task
	Ran     int
}

// Run runs the pending batch.
//
// quality: bug C1 move-out: the batch is taken out of the field before the yield, and re-entry finds it empty
func (b *Batcher) Run() (rt.IOResult[int], error) {
	batch := b.Pending
	b.Pending = nil
	for _, t := range batch {
		r, err := t.Step()
		if err != nil || r.IsIO() {
			// Bug: b.Pending is empty on re-entry; the rest of the batch
			// is lost.
			return rt.Forward[int](r, err)
		}
	}
	b.Ran += len(batch)
	return rt.Done(b.Ran), nil
}

// RestoringBatcher puts the batch back on the IO path.
type RestoringBatcher struct {
	Pending []*Task
	Ran     int
}

// Run runs the pending batch.
//
// quality: ok C1 move-out with the batch restored before the yield
func (b *RestoringBatcher) Run() (rt.IOResult[int], error) {
	batch := b.Pending
	b.Pending = nil
	for _, t := range batch {
		r, err := t.Step()
		if err != nil || r.IsIO() {
			// Re-entrancy: the batch is put back; re-entry takes it again
			// and the tasks that ran return Done at once.
			b.Pending = batch
			return rt.Forward[int](r, err)
		}
	}
	b.Ran += len(batch)
	return rt.Done(b.Ran), nil
}

// Ticker advances a logical clock, yielding cooperatively between ticks.
type Ticker struct {
	Inj    sim.Injector
	Target int
	Now    int
}

// Run advances the clock to Target.
//
// quality: ok C1 explicit yield in a loop after the persistent progress advanced
func (t *Ticker) Run() (rt.IOResult[int], error) {
	for t.Now < t.Target {
		t.Now++
		if t.Inj.ShouldYield(pointAfterTick.Point()) {
			// Re-entrancy: the tick is committed in t.Now; re-entry
			// continues with the next one.
			return rt.Yield[int](), nil
		}
	}
	return rt.Done(t.Now), nil
}

// Stats counts its activations and then runs its task, with an injection
// hook in front of the task.
type Stats struct {
	Inj  sim.Injector
	Task *Task
	Runs int
}

// Run counts and runs.
//
// quality: bug C1 an injection hook placed after a counter increment
func (s *Stats) Run() (rt.IOResult[int], error) {
	s.Runs++
	if s.Inj.ShouldYield(pointBeforeStep.Point()) {
		// Bug: the hook's yield replays the increment above.
		return rt.Yield[int](), nil
	}
	r, err := s.Task.Step()
	if err != nil || r.IsIO() {
		// Bug: and so does the task's own yield.
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.Runs), nil
}

// Hooked runs its task behind an injection hook, counting after Done.
type Hooked struct {
	Inj  sim.Injector
	Task *Task
	Runs int
}

// Run runs and counts.
//
// quality: ok C1 the hook precedes every mutation; the count follows the task's Done
func (s *Hooked) Run() (rt.IOResult[int], error) {
	if s.Inj.ShouldYield(pointBeforeStep.Point()) {
		// Re-entrancy: nothing was mutated yet.
		return rt.Yield[int](), nil
	}
	r, err := s.Task.Step()
	if err != nil || r.IsIO() {
		// Re-entrancy: nothing was mutated; the task waits on its write.
		return rt.Forward[int](r, err)
	}
	s.Runs++
	return rt.Done(s.Runs), nil
}
