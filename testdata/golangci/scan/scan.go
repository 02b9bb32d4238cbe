// Package scan holds resumable functions built on package rt. reentrycheck
// knows rt.Result is an ioresult only through the facts exported by rt.
package scan

import "example.com/sample/rt"

// Cursor yields once per value, until its completion is done.
type Cursor struct{ c *rt.Completion }

// Next is resumable: it returns the IO variant while the read is pending.
func (c *Cursor) Next() (rt.Result[int], error) { return rt.Wait[int](c.c), nil }

// Scan collects values from a cursor.
type Scan struct {
	cur *Cursor
	n   int
	out []int
}

// Step appends before the yield: when Next yields, the caller calls Step
// again from the top and the same value is appended twice.
func (s *Scan) Step() (rt.Result[int], error) {
	s.out = append(s.out, s.n)
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	s.n = r.Value()
	return rt.Done(len(s.out)), nil
}

// Counter counts the steps it has taken.
type Counter struct {
	cur   *Cursor
	count int
}

// Step counts before the yield, so one step is counted once per re-entry.
func (s *Counter) Step() (rt.Result[int], error) {
	s.count++
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.count + r.Value()), nil
}

// Fixed is Scan done right.
type Fixed struct {
	cur *Cursor
	n   int
	out []int
}

// Step mutates only after the yield check, which re-entry never passes twice.
func (f *Fixed) Step() (rt.Result[int], error) {
	r, err := f.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	f.out = append(f.out, f.n)
	f.n = r.Value()
	return rt.Done(len(f.out)), nil
}

// Tolerant has the bug of Scan on purpose; golangci-lint's //nolint hides it.
type Tolerant struct {
	cur  *Cursor
	seen int
}

// Step is suppressed for golangci-lint as a whole declaration, which also
// hides the related-information issue at the yield when the plugin's related
// setting keeps such issues.
//
//nolint:reentrycheck // duplicates are counted downstream
func (t *Tolerant) Step() (rt.Result[int], error) {
	t.seen++
	r, err := t.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(t.seen), nil
}

// Replayed has the bug of Counter on purpose and says so with the analyzer's
// own directive, which works under every driver, golangci-lint included.
type Replayed struct {
	cur   *Cursor
	tries int
}

// Step counts attempts, re-entries included.
func (p *Replayed) Step() (rt.Result[int], error) {
	//reentrycheck:ignore tries counts every attempt, re-entries included
	p.tries++
	r, err := p.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(p.tries), nil
}
