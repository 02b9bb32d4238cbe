// Package use is checked with flags that declare package rt2's types.
package use

import "flagged/rt2"

type Job struct {
	st   *rt2.Store
	out  []int
	n    int
	last int
}

func (j *Job) Step() (rt2.Result[int], error) {
	j.out = append(j.out, j.n) // want `appends to j\.out before the yield`
	j.st.Peek()                // idempotent by flag: no dropped-result either? (still dropped)  // want `the result of Peek is discarded`
	r, err := j.st.Fetch()
	if err != nil {
		return rt2.Result[int]{}, err
	}
	if r.Pending() {
		return r, nil
	}
	j.last = r.Get()
	return rt2.Ready(j.last), nil
}

func (j *Job) Submit() (rt2.Result[int], error) {
	o := j.st.Submit() // want `submits I/O`
	return rt2.Pending[int](o), nil
}
