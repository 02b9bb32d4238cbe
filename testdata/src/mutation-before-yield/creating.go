package c1

import (
	"rt"
	"sync"
)

// traces is a memo of stack traces by key, kept in package state.
var (
	tracesMu sync.Mutex
	traces   = map[string][]string{}
)

// recordTrace is a get-or-create: it builds and inserts a trace only when
// the key has none yet, so a second call with the same key writes nothing.
func recordTrace(key string) []string {
	tracesMu.Lock()
	defer tracesMu.Unlock()
	v, ok := traces[key]
	if !ok {
		v = append([]string(nil), key)
		traces[key] = v
	}
	return v
}

// recordTraceAlways appends to the trace whether or not it exists.
func recordTraceAlways(key string) []string {
	tracesMu.Lock()
	defer tracesMu.Unlock()
	v := append(traces[key], key)
	traces[key] = v
	return v
}

// recordTraceSometimes creates the entry but inserts it only when asked:
// without the insert, the next call creates it again.
func recordTraceSometimes(key string, keep bool) []string {
	tracesMu.Lock()
	defer tracesMu.Unlock()
	v, ok := traces[key]
	if !ok {
		v = append(traces["all"], key)
		traces["all"] = v
		if keep {
			traces[key] = v
		}
	}
	return v
}

type neighbor struct {
	addr  string
	ready bool
}

// Table caches neighbors, with an eviction order.
type Table struct {
	mu      sync.Mutex
	entries map[string]*neighbor
	order   []string
	seen    map[string]bool
	evicted int
	cur     *rt.Cursor
}

// entry is a get-or-create with eviction: the eviction and the insert
// happen only when addr is missing, and the insert always follows.
func (t *Table) entry(addr string) *neighbor {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n, ok := t.entries[addr]; ok {
		return n
	}
	if len(t.order) >= 8 {
		delete(t.entries, t.order[0])
		t.order = t.order[1:]
		t.evicted++
	}
	n := &neighbor{addr: addr}
	t.entries[addr] = n
	t.order = append(t.order, addr)
	return n
}

// entryMiscounted counts every lookup, hit or miss: the count is repeated.
func (t *Table) entryMiscounted(addr string) *neighbor {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.evicted++
	if n, ok := t.entries[addr]; ok {
		return n
	}
	n := &neighbor{addr: addr}
	t.entries[addr] = n
	return n
}

// entryOtherKey inserts under another key than the one it looked up: the
// lookup misses again next time.
func (t *Table) entryOtherKey(addr, alias string) *neighbor {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n, ok := t.entries[addr]; ok {
		return n
	}
	n := &neighbor{addr: addr}
	t.entries[alias] = n
	t.order = append(t.order, addr)
	return n
}

// markSeen is a set insert under a test of the same key, on a map of
// booleans.
func (t *Table) markSeen(addr string) {
	if !t.seen[addr] {
		t.seen[addr] = true
		t.order = append(t.order, addr)
	}
}

// Silent: re-entry looks the neighbor up again and finds it.
func (t *Table) Resolve(addr string) (rt.IOResult[string], error) {
	n := t.entry(addr)
	recordTrace(addr)
	t.markSeen(addr)
	if !n.ready {
		r, err := t.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[string](r, err)
		}
	}
	return rt.Done(n.addr), nil
}

// Flagged: the miscounted lookup counts again on every re-entry.
func (t *Table) ResolveMiscounted(addr string) (rt.IOResult[string], error) {
	n := t.entryMiscounted(addr) // want `calls t\.entryMiscounted, which mutates t .*before the yield`
	if !n.ready {
		r, err := t.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[string](r, err)
		}
	}
	return rt.Done(n.addr), nil
}

// Flagged: under another key the lookup never hits, so every re-entry
// appends again.
func (t *Table) ResolveAliased(addr, alias string) (rt.IOResult[string], error) {
	n := t.entryOtherKey(addr, alias) // want `calls t\.entryOtherKey, which mutates t .*before the yield`
	if !n.ready {
		r, err := t.cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[string](r, err)
		}
	}
	return rt.Done(n.addr), nil
}

// Flagged: appending to a trace is repeated by every re-entry.
func (t *Table) ResolveTraced(addr string) (rt.IOResult[string], error) {
	recordTraceAlways(addr) // want `calls c1\.recordTraceAlways, which mutates package state before the yield`
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[string](r, err)
	}
	return rt.Done(addr), nil
}

// Flagged: the creating branch does not always insert its key.
func (t *Table) ResolveKept(addr string, keep bool) (rt.IOResult[string], error) {
	recordTraceSometimes(addr, keep) // want `calls c1\.recordTraceSometimes, which mutates package state before the yield`
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[string](r, err)
	}
	return rt.Done(addr), nil
}

// Pool hands out buffers, allocated lazily.
type Pool struct {
	free    [][]byte
	allocs  int
	pending bool
	flushes int
	cur     *rt.Cursor
}

// ensure is a lazy initialization: its branch runs while free is nil and
// always leaves it non-nil.
func (p *Pool) ensure() {
	if p.free == nil {
		p.free = make([][]byte, 0, 8)
		p.allocs++
	}
}

// flushPending consumes a flag: the branch runs once too, but what it
// took is lost to a re-entry.
func (p *Pool) flushPending() {
	if p.pending {
		p.pending = false
		p.flushes++
	}
}

// Silent: re-entry finds the pool made.
func (p *Pool) Get() (rt.IOResult[[]byte], error) {
	p.ensure()
	r, err := p.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[[]byte](r, err)
	}
	return rt.Done(make([]byte, r.Value())), nil
}

// Flagged: the flush taken before the yield is not taken again.
func (p *Pool) GetFlushed() (rt.IOResult[[]byte], error) {
	p.flushPending() // want `calls p\.flushPending, which mutates p .*before the yield`
	r, err := p.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[[]byte](r, err)
	}
	return rt.Done(make([]byte, r.Value())), nil
}
