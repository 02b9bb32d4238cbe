package repeated

import "rt"

// Window is a flow-control window: a writer asks it for room and waits on
// its completion when there is none.
type Window struct {
	room    int
	waiting bool
	opened  *rt.Completion
	granted int
}

// Room arms a waiter only on its way to the IO: a call that returned Done
// wrote nothing, so asking again is free.
func (w *Window) Room() (rt.IOResult[int], error) {
	if w.room == 0 {
		w.waiting = true
		return rt.Wait[int](w.opened), nil
	}
	return rt.Done(w.room), nil
}

// Grant counts what it hands out on its way to Done: asking again counts
// it twice.
func (w *Window) Grant() (rt.IOResult[int], error) {
	if w.room == 0 {
		return rt.Wait[int](w.opened), nil
	}
	w.granted += w.room
	return rt.Done(w.room), nil
}

type Sender struct {
	win  Window
	sent int
	ack  *rt.Cursor
}

// Silent: asking the window again on re-entry repeats nothing.
func (s *Sender) Send() (rt.IOResult[int], error) {
	n, err := s.win.Room()
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	a, err := s.ack.Next()
	if err != nil || a.IsIO() {
		return rt.Forward[int](a, err)
	}
	return rt.Done(n.Value() + a.Value()), nil
}

// Flagged: the grant counted on its way to Done is counted again.
func (s *Sender) SendGranted() (rt.IOResult[int], error) {
	n, err := s.win.Grant() // want `calls s\.win\.Grant, which already returned Done, runs again when the yield at cleandone\.go:\d+ re-enters`
	if err != nil || n.IsIO() {
		return rt.Forward[int](n, err)
	}
	a, err := s.ack.Next()
	if err != nil || a.IsIO() {
		return rt.Forward[int](a, err)
	}
	return rt.Done(n.Value() + a.Value()), nil
}
