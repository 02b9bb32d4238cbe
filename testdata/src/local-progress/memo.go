package localprogress

import "rt"

// Pages is a page cache: a page read once is a hit from then on, with no
// effect, so calling ReadPage again for it is free.
type Pages struct {
	f       *rt.File
	cache   map[int][]byte
	loading map[int]*rt.Completion
}

func (p *Pages) ReadPage(id int) (rt.IOResult[[]byte], error) {
	if pg, ok := p.cache[id]; ok {
		return rt.Done(pg), nil
	}
	c, ok := p.loading[id]
	if !ok {
		var err error
		if c, err = p.f.ReadAt(nil, int64(id)); err != nil {
			return rt.IOResult[[]byte]{}, err
		}
		p.loading[id] = c
	}
	if !c.Finished() {
		return rt.Wait[[]byte](c), nil
	}
	delete(p.loading, id)
	p.cache[id] = nil
	return rt.Done[[]byte](nil), nil
}

// Uncached looks like the cache but forgets to record the page: every
// call reads it again.
func (p *Pages) Uncached(id int) (rt.IOResult[[]byte], error) {
	if pg, ok := p.cache[id]; ok {
		return rt.Done(pg), nil
	}
	c, err := p.f.ReadAt(nil, int64(id)) // want `submits I/O`
	if err != nil {
		return rt.IOResult[[]byte]{}, err
	}
	if !c.Finished() {
		return rt.Wait[[]byte](c), nil
	}
	return rt.Done[[]byte](nil), nil
}

type Gather struct {
	pages *Pages
	n     int
	keys  [][]byte
	count int
}

// The list is reset on entry and rebuilt from the cache: the restart only
// repeats cache hits.
func (g *Gather) Rebuild() (rt.IOResult[int], error) {
	g.keys = g.keys[:0]
	for id := 0; id < g.n; id++ {
		r, err := g.pages.ReadPage(id)
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		g.keys = append(g.keys, r.Value())
	}
	return rt.Done(len(g.keys)), nil
}

// The restart repeats the count of the pages already read: restarting the
// loop is the bug, even over a cache.
func (g *Gather) CountBuggy() (rt.IOResult[int], error) {
	for id := 0; id < g.n; id++ {
		r, err := g.pages.ReadPage(id) // want `g\.pages\.ReadPage runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		g.count++ // want `increments g\.count before the yield`
	}
	return rt.Done(g.count), nil
}

// Without the record, every restarted iteration reads its page again.
func (g *Gather) UncachedBuggy() (rt.IOResult[int], error) {
	g.keys = g.keys[:0]
	for id := 0; id < g.n; id++ {
		r, err := g.pages.Uncached(id) // want `g\.pages\.Uncached runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		g.keys = append(g.keys, r.Value())
	}
	return rt.Done(len(g.keys)), nil
}

// Job writes once and keeps a done flag: stepping it again after its Done
// returns Done at once.
type Job struct {
	f   *rt.File
	c   *rt.Completion
	ran bool
}

func (j *Job) Step() (rt.IOResult[bool], error) {
	if j.ran {
		return rt.Done(true), nil
	}
	if j.c == nil {
		c, err := j.f.ReadAt(nil, 0)
		if err != nil {
			return rt.IOResult[bool]{}, err
		}
		j.c = c
	}
	if !j.c.Finished() {
		return rt.Wait[bool](j.c), nil
	}
	j.ran, j.c = true, nil
	return rt.Done(true), nil
}

type Jobs struct {
	list []*Job
	runs int
}

// Each element memoizes its own step: the restart skips the jobs that ran.
func (q *Jobs) RunAll() (rt.IOResult[int], error) {
	for _, j := range q.list {
		r, err := j.Step()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(len(q.list)), nil
}

// The restart counts the jobs that ran again.
func (q *Jobs) CountBuggy() (rt.IOResult[int], error) {
	for _, j := range q.list {
		r, err := j.Step() // want `q\.list\[\]\.Step runs in a loop whose progress is held in locals`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		q.runs++ // want `increments q\.runs before the yield`
	}
	return rt.Done(q.runs), nil
}
