package sched

import (
	"sync"
	"sync/atomic"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// inflight is a gate that remembers the completion of each running job.
type inflight struct {
	byID map[int]*rt.Completion
}

// admit returns the completion of job id, submitting it with start if it
// is not running yet.
func (g *inflight) admit(id int, start func() (*rt.Completion, error)) (*rt.Completion, error) {
	if c, ok := g.byID[id]; ok {
		return c, nil
	}
	c, err := start()
	if err != nil {
		return nil, err
	}
	g.byID[id] = c
	return c, nil
}

// Jobs runs jobs through an in-flight gate.
type Jobs struct {
	Out  rt.File
	gate inflight
	Done map[int]bool
}

// NewJobs returns a job table writing to out.
func NewJobs(out rt.File) *Jobs {
	return &Jobs{Out: out, gate: inflight{byID: map[int]*rt.Completion{}}, Done: map[int]bool{}}
}

// Start runs job id.
//
// quality: ok C1 in-flight gate in a helper object
func (j *Jobs) Start(id int) (rt.IOResult[bool], error) {
	if j.Done[id] {
		return rt.Done(true), nil
	}
	c, err := j.gate.admit(id, func() (*rt.Completion, error) {
		return j.Out.WriteAt([]byte{byte(id)}, int64(id), rt.NewWrite(nil))
	})
	if err != nil {
		return rt.IOResult[bool]{}, err
	}
	if !c.Finished() {
		// Re-entrancy: the gate keeps the job's completion by id; re-entry
		// gets the same completion back and submits nothing.
		return rt.Wait[bool](c), nil
	}
	delete(j.gate.byID, id)
	j.Done[id] = true
	return rt.Done(true), c.Err()
}

// Slots is a task table held by value.
type Slots struct {
	Tasks []Task
	cur   int
}

// Run runs every task in the table.
//
// quality: bug C5 the task is copied out of the table, stepped, and stored back only on Done
func (s *Slots) Run() (rt.IOResult[int], error) {
	for s.cur < len(s.Tasks) {
		t := s.Tasks[s.cur]
		r, err := t.Step()
		if err != nil || r.IsIO() {
			// Bug: t's in-flight write is dropped; re-entry writes again.
			return rt.Forward[int](r, err)
		}
		s.Tasks[s.cur] = t
		s.cur++
	}
	return rt.Done(s.cur), nil
}

// DeferSlots writes the copy back in a deferred closure.
type DeferSlots struct {
	Tasks []Task
	cur   int
}

// Run runs every task in the table.
//
// quality: ok C5 the copy is written back by a deferred closure
func (s *DeferSlots) Run() (rt.IOResult[int], error) {
	for s.cur < len(s.Tasks) {
		i := s.cur
		t := s.Tasks[i]
		r, err := func() (rt.IOResult[bool], error) {
			defer func() { s.Tasks[i] = t }()
			return t.Step()
		}()
		if err != nil || r.IsIO() {
			// Re-entrancy: the deferred closure stored the stepped copy
			// back, with its write in flight.
			return rt.Forward[int](r, err)
		}
		s.cur++
	}
	return rt.Done(s.cur), nil
}

type phase uint8

const (
	phaseFirst phase = iota
	phaseSecond
	phaseDone
)

// Pair runs two tasks, one after the other.
type Pair struct {
	A, B  *Task
	phase phase
}

// Run runs both tasks.
//
// quality: bug C2 both task steps in one phase: the first runs again when the second yields
func (p *Pair) Run() (rt.IOResult[int], error) {
	if p.phase == phaseDone {
		return rt.Done(2), nil
	}
	a, err := p.A.Step()
	if err != nil || a.IsIO() {
		// Re-entrancy: A waits on its write.
		return rt.Forward[int](a, err)
	}
	p.A.Ran = false // A is periodic: re-arm it once it ran
	b, err := p.B.Step()
	if err != nil || b.IsIO() {
		// Bug: re-entry steps A again, and A, re-armed, writes again.
		return rt.Forward[int](b, err)
	}
	p.phase = phaseDone
	return rt.Done(2), nil
}

// PhasedPair gives each task a phase.
type PhasedPair struct {
	A, B  *Task
	phase phase
}

// Run runs both tasks.
//
// quality: ok C2 the state is written and control continues into the dispatch, whose next arm makes the second call
func (p *PhasedPair) Run() (rt.IOResult[int], error) {
	for {
		switch p.phase {
		case phaseFirst:
			a, err := p.A.Step()
			if err != nil || a.IsIO() {
				// Re-entrancy: phaseFirst; re-entry re-polls A.
				return rt.Forward[int](a, err)
			}
			p.A.Ran = false
			p.phase = phaseSecond
			continue
		case phaseSecond:
			b, err := p.B.Step()
			if err != nil || b.IsIO() {
				// Re-entrancy: phaseSecond; re-entry re-polls B only.
				return rt.Forward[int](b, err)
			}
			p.phase = phaseDone
		}
		return rt.Done(2), nil
	}
}

// Launcher advances its phase, then starts its task.
type Launcher struct {
	T     *Task
	phase phase
	Count int
}

// Run launches the task.
//
// quality: bug C3 the phase advances before the task's step returned Done
func (l *Launcher) Run() (rt.IOResult[int], error) {
	switch l.phase {
	case phaseFirst:
		l.phase = phaseSecond
		r, err := l.T.Step()
		if err != nil || r.IsIO() {
			// Bug: re-entry lands in phaseSecond, with the step unfinished.
			return rt.Forward[int](r, err)
		}
		fallthrough
	case phaseSecond:
		if l.T.Ran {
			l.Count++
		}
		l.phase = phaseDone
	}
	return rt.Done(l.Count), nil
}

// OrderedLauncher advances after Done.
type OrderedLauncher struct {
	T     *Task
	phase phase
	Count int
}

// Run launches the task.
//
// quality: ok C3 the phase advances after the task's Done
func (l *OrderedLauncher) Run() (rt.IOResult[int], error) {
	switch l.phase {
	case phaseFirst:
		r, err := l.T.Step()
		if err != nil || r.IsIO() {
			// Re-entrancy: phaseFirst; re-entry re-polls the step.
			return rt.Forward[int](r, err)
		}
		l.phase = phaseSecond
		fallthrough
	case phaseSecond:
		if l.T.Ran {
			l.Count++
		}
		l.phase = phaseDone
	}
	return rt.Done(l.Count), nil
}

// Sched runs tasks under the scheduler lock.
type Sched struct {
	mu   sync.Mutex
	T    *Task
	Runs int
}

// Mutex exposes the scheduler lock to tests.
func (s *Sched) Mutex() *sync.Mutex { return &s.mu }

// Run runs the task under the lock.
//
// quality: bug C10 the scheduler lock is held while the task yields
func (s *Sched) Run() (rt.IOResult[int], error) {
	s.mu.Lock()
	r, err := s.T.Step()
	if err != nil || r.IsIO() {
		// Bug: returns with s.mu held.
		return rt.Forward[int](r, err)
	}
	s.Runs++
	s.mu.Unlock()
	return rt.Done(s.Runs), nil
}

// HelperSched releases the lock through a helper on every path.
type HelperSched struct {
	mu   sync.Mutex
	T    *Task
	Runs int
}

// Mutex exposes the scheduler lock to tests.
func (s *HelperSched) Mutex() *sync.Mutex { return &s.mu }

func (s *HelperSched) release() { s.mu.Unlock() }

// Run runs the task under the lock.
//
// quality: ok C10 the lock is released by a helper method before the yield
func (s *HelperSched) Run() (rt.IOResult[int], error) {
	s.mu.Lock()
	r, err := s.T.Step()
	if err != nil || r.IsIO() {
		s.release()
		// Re-entrancy: the lock was released just above.
		return rt.Forward[int](r, err)
	}
	s.Runs++
	s.release()
	return rt.Done(s.Runs), nil
}

// Timer syncs a file and records the outcome.
type Timer struct {
	Out     rt.File
	Synced  bool
	LastErr error
	c       *rt.Completion
}

// Run syncs.
//
// quality: bug C12 the callback reads its error but publishes success anyway
func (t *Timer) Run() (rt.IOResult[bool], error) {
	if t.c == nil {
		c, err := t.Out.Sync(rt.NewSync(func(_ int, err error) {
			t.LastErr = err
			t.Synced = true // Bug: set on failure too.
		}))
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		t.c = c
	}
	if !t.c.Finished() {
		// Re-entrancy: the sync is kept in t.c.
		return rt.Wait[bool](t.c), nil
	}
	return rt.Done(t.Synced), t.c.Err()
}

// FanIn counts landed and failed writes of a batch.
type FanIn struct {
	Out    rt.File
	Landed atomic.Int32
	Failed atomic.Int32
	group  *rt.Completion
}

// Run writes the batch.
//
// quality: ok C12 a fan-in counter that moves on failure too, having read the error
func (f *FanIn) Run() (rt.IOResult[int32], error) {
	if f.group == nil {
		g := rt.NewGroup(nil)
		for i := range 3 {
			c, err := f.Out.WriteAt([]byte{'x'}, int64(i), rt.NewWrite(func(_ int, err error) {
				if err != nil {
					f.Failed.Add(1)
				}
				f.Landed.Add(1)
			}))
			if err == nil {
				err = g.Add(c)
			}
			if err != nil {
				g.Cancel()
				return rt.IOResult[int32]{}, err
			}
		}
		f.group = g.Build()
	}
	if !f.group.Finished() {
		// Re-entrancy: the group is memoized in f.group.
		return rt.Wait[int32](f.group), nil
	}
	return rt.Done(f.Landed.Load() - f.Failed.Load()), f.group.Err()
}

// Kick starts a task and does not wait for it.
type Kick struct {
	T      *Task
	Kicked bool
}

// Run kicks the task.
//
// quality: bug C9 the task's step is called as a statement: its IO is dropped
func (k *Kick) Run() (rt.IOResult[bool], error) {
	k.T.Step() // Bug: IO and error dropped.
	k.Kicked = true
	return rt.Done(true), nil
}

// Await starts a task and waits for it.
type Await struct {
	T      *Task
	Kicked bool
}

// Run runs the task.
//
// quality: ok C9 the task's IO is propagated
func (k *Await) Run() (rt.IOResult[bool], error) {
	r, err := k.T.Step()
	if err != nil || r.IsIO() {
		// Re-entrancy: the task waits on its write.
		return rt.Forward[bool](r, err)
	}
	k.Kicked = true
	return rt.Done(true), nil
}
