package c1

import "rt"

// inflight remembers the completion of each running job by id.
type inflight struct {
	byID map[int]*rt.Completion
}

// admit returns the completion of job id, submitting it with start only
// when none is recorded: a get-or-submit gate. Called again with the same
// id it hands back the recorded completion and submits nothing.
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

// leaky looks like admit but never records what it submitted: every call
// submits again.
func (g *inflight) leaky(id int, f *rt.File) (*rt.Completion, error) {
	if c, ok := g.byID[id]; ok {
		return c, nil
	}
	return f.ReadAt(nil, int64(id))
}

type Jobs struct {
	f    *rt.File
	gate inflight
	next int
	done map[int]bool
}

// Re-entry asks the gate for the same id and gets the in-flight
// completion back: the submission is not repeated. Silent.
func (j *Jobs) Start(id int) (rt.IOResult[bool], error) {
	c, err := j.gate.admit(id, func() (*rt.Completion, error) {
		return j.f.ReadAt(nil, int64(id))
	})
	if err != nil {
		return rt.IOResult[bool]{}, err
	}
	if !c.Finished() {
		return rt.Wait[bool](c), nil
	}
	delete(j.gate.byID, id)
	j.done[id] = true
	return rt.Done(true), nil
}

// The gate does not record its submission: re-entry submits again.
func (j *Jobs) StartLeakyBuggy(id int) (rt.IOResult[bool], error) {
	c, err := j.gate.leaky(id, j.f) // want `submits I/O \(j\.gate\.leaky returns a completion\) before the yield`
	if err != nil {
		return rt.IOResult[bool]{}, err
	}
	if !c.Finished() {
		return rt.Wait[bool](c), nil
	}
	return rt.Done(true), nil
}

// The key is read from state the operation advances before the yield:
// re-entry asks the gate for the next id and submits another job.
func (j *Jobs) StartNextBuggy() (rt.IOResult[bool], error) {
	c, err := j.gate.admit(j.next, func() (*rt.Completion, error) { // want `submits I/O \(j\.gate\.admit returns a completion\) before the yield`
		return j.f.ReadAt(nil, 0)
	})
	if err != nil {
		return rt.IOResult[bool]{}, err
	}
	j.next++ // want `increments j\.next before the yield`
	if !c.Finished() {
		return rt.Wait[bool](c), nil
	}
	return rt.Done(true), nil
}
