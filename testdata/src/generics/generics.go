// Package generics: generic resumable functions and methods of generic types.
package generics

import "rt"

type Queue[T any] struct {
	items []T
	cur   *rt.Cursor
	n     int
}

func (q *Queue[T]) Push(v T) (rt.IOResult[int], error) {
	q.items = append(q.items, v) // want `appends to q\.items before the yield`
	r, err := q.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(len(q.items)), nil
}

func (q *Queue[T]) PushFixed(v T) (rt.IOResult[int], error) {
	r, err := q.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	q.items = append(q.items, v)
	return rt.Done(len(q.items)), nil
}

// Drain is a generic function with a generic result.
func Drain[T any](q *Queue[T]) (rt.IOResult[T], error) {
	q.n++ // want `increments q\.n before the yield`
	r, err := q.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[T](r, err)
	}
	var zero T
	return rt.Done(zero), nil
}

// Calling a generic mutating helper counts through its summary.
func add[T any](q *Queue[T], v T) { q.items = append(q.items, v) }

func (q *Queue[T]) ViaHelper(v T) (rt.IOResult[int], error) {
	add(q, v) // want `calls generics\.add, which mutates q`
	r, err := q.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(0), nil
}
