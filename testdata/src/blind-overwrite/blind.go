// Package blind: blind overwrites of persistent state before a yield point
// are idempotent as writes; blind-overwrite reports them on request.
package blind

import "rt"

type Reader struct {
	cur     *rt.Cursor
	lastKey int
	hint    string
}

func (r *Reader) Step(key int) (rt.IOResult[int], error) {
	r.lastKey = key // want `overwrites r\.lastKey before the yield at blind\.go:\d+ \(a blind overwrite`
	n, err := r.cur.Next()
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	return rt.Done(n.Value()), nil
}

// The silent twin: the overwrite comes after the propagation check.
func (r *Reader) StepAfter(key int) (rt.IOResult[int], error) {
	n, err := r.cur.Next()
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	r.lastKey = key
	r.hint = "done"
	return rt.Done(n.Value()), nil
}
