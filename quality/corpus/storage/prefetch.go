package storage

import (
	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Prefetcher reads pages ahead of a scan, one read in flight per page.
type Prefetcher struct {
	File    rt.File
	loading map[int]*rt.Completion
	Pages   map[int][]byte
}

// NewPrefetcher returns a prefetcher over f.
func NewPrefetcher(f rt.File) *Prefetcher {
	return &Prefetcher{File: f, loading: map[int]*rt.Completion{}, Pages: map[int][]byte{}}
}

// Fetch returns page id.
//
// quality: ok C1 in-flight gate: p.loading[id] = c right before return rt.Wait(c)
func (p *Prefetcher) Fetch(id int) (rt.IOResult[[]byte], error) {
	if pg, ok := p.Pages[id]; ok {
		return rt.Done(pg), nil
	}
	if c, ok := p.loading[id]; ok {
		if !c.Finished() {
			// Re-entrancy: the read is in the gate; re-entry waits on it.
			return rt.Wait[[]byte](c), nil
		}
		delete(p.loading, id)
		if err := c.Err(); err != nil {
			return rt.IOResult[[]byte]{}, err
		}
		p.Pages[id] = c.Buffer()
		return rt.Done(c.Buffer()), nil
	}
	c, err := p.File.ReadAt(rt.NewRead(make([]byte, engine.PageSize), nil), int64(id*engine.PageSize))
	if err != nil {
		return rt.IOResult[[]byte]{}, err
	}
	p.loading[id] = c
	// Re-entrancy: the read is recorded in the gate just above; re-entry
	// takes the branch that waits on it or consumes it.
	return rt.Wait[[]byte](c), nil
}
