// Package fresh: objects allocated during the current call are not
// persistent, however they are reached.
package fresh

import "rt"

type Ctx struct {
	items []int
	n     int
	m     map[string]int
}

type Handler struct{ cur *rt.Cursor }

func (h *Handler) Serve() (rt.IOResult[int], error) {
	ctx := &Ctx{m: map[string]int{}}
	ctx.items = append(ctx.items, 1)
	ctx.n++
	ctx.m["k"] = ctx.n
	local := []int{}
	local = append(local, 2)
	var acc Ctx
	acc.n += 3
	r, err := h.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(ctx.n + len(local) + acc.n), nil
}

// A fresh object passed to a mutating helper is still fresh.
func (h *Handler) Helper() (rt.IOResult[int], error) {
	ctx := new(Ctx)
	fill(ctx)
	r, err := h.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(ctx.n), nil
}

func fill(c *Ctx) { c.n++ }

// A pointer parameter is persistent.
func Param(c *Ctx, cur *rt.Cursor) (rt.IOResult[int], error) {
	c.n++ // want `increments c\.n before the yield`
	fill(c) // want `calls fresh\.fill, which mutates c`
	r, err := cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(c.n), nil
}

var total int

// Package variables are persistent.
func Global(cur *rt.Cursor) (rt.IOResult[int], error) {
	total++ // want `increments total before the yield`
	r, err := cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(total), nil
}

// Captured variables are persistent for the closure.
func Closure(cur *rt.Cursor) func() (rt.IOResult[int], error) {
	count := 0
	return func() (rt.IOResult[int], error) {
		count++ // want `increments count before the yield`
		r, err := cur.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		return rt.Done(count), nil
	}
}
