// Package drivers: in the error spelling, callers decide whether a
// would-block asks to be called again. A function whose every caller is
// visible and none of them calls again, tells the yield from other errors,
// keeps the error, or hands it up to a driven caller, is not resumable.
package drivers

import (
	"errors"
	"fmt"
)

//reentrycheck:yielderr
var ErrWouldBlock = errors.New("would block")

var errFull = errors.New("full")

type link struct {
	ring    []byte
	dropped int
	last    error
}

// send would-block when the ring is full.
func (l *link) send(b []byte) error { // want `send: none`
	if len(l.ring) > 8 {
		return ErrWouldBlock
	}
	l.ring = append(l.ring, b...)
	return nil
}

// Deliver drops the frame on any error, the would-block included: nobody
// calls send again with the same frame.
func (l *link) Deliver(frames [][]byte) int { // want `Deliver: none`
	n := 0
	for _, f := range frames {
		if err := l.send(f); err != nil {
			l.dropped++
			continue
		}
		n++
	}
	return n
}

// flush is called only by DeliverAll, which stops at the first error.
func (l *link) flush(b []byte) error { // want `flush: none`
	if len(l.ring) > 8 {
		return ErrWouldBlock
	}
	return nil
}

func (l *link) DeliverAll(frames [][]byte) { // want `DeliverAll: none`
	for _, f := range frames {
		if err := l.flush(f); err != nil {
			return
		}
	}
}

// chained forwards to relay, whose only caller drops: neither is driven.
func (l *link) chained() error { // want `chained: none`
	return l.send(nil)
}

func (l *link) relay() error { // want `relay: none`
	if err := l.chained(); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	return nil
}

func (l *link) Pump() bool { // want `Pump: none`
	return l.relay() == nil
}

// retried is called again by its caller on any error: it is driven.
func (l *link) retried() error { // want `retried: error`
	return ErrWouldBlock
}

func (l *link) Spin() { // want `Spin: none`
	for l.retried() != nil {
	}
}

// told is driven: its caller tells the would-block from other errors.
func (l *link) told() error { // want `told: error`
	return ErrWouldBlock
}

func (l *link) Wait() bool { // want `Wait: none`
	return errors.Is(l.told(), ErrWouldBlock)
}

// kept is driven: the error is stored where later code may read it.
func (l *link) kept() error { // want `kept: error`
	return ErrWouldBlock
}

func (l *link) Keep() { // want `Keep: none`
	l.last = l.kept()
}

// forwarded is driven: it reaches an exported function's yield, whose
// callers are unknown.
func (l *link) forwarded() error { // want `forwarded: error`
	return ErrWouldBlock
}

func (l *link) Write() error { // want `Write: error`
	if err := l.forwarded(); err != nil {
		return err
	}
	return nil
}

// Exported functions keep their bodies' answer.
func (l *link) Send() error { // want `Send: error`
	return ErrWouldBlock
}

// A method value of valued is taken: its callers are not all known.
func (l *link) valued() error { // want `valued: error`
	return ErrWouldBlock
}

func (l *link) Hook() func() error { // want `Hook: none`
	return l.valued
}

func (l *link) CallValued() { // want `CallValued: none`
	_ = l.valued()
}

// An unexported method called through an interface of the package: the
// interface's invoke sites are its callers.
type dispatcher interface {
	dispatch() (bool, error)
}

type reader struct{ frames int }

func (r *reader) dispatch() (bool, error) { // want `dispatch: none`
	if r.frames == 0 {
		return false, ErrWouldBlock
	}
	r.frames--
	return true, nil
}

// loop stops and reports at the first error: the would-block is a drop.
func loop(d dispatcher, closed func(error)) { // want `loop: none`
	for {
		cont, err := d.dispatch()
		if err != nil || !cont {
			closed(err)
			return
		}
	}
}

// The same through an interface whose caller waits and calls again.
type poller interface {
	poll() error
}

type source struct{ ready bool }

func (s *source) poll() error { // want `poll: error`
	if !s.ready {
		return ErrWouldBlock
	}
	return nil
}

func drive(p poller, wait func()) { // want `drive: none`
	for {
		err := p.poll()
		if err == ErrWouldBlock {
			wait()
			continue
		}
		return
	}
}

// recursive has no caller but itself: it stays resumable.
func recursive(n int) error { // want `recursive: error`
	if n == 0 {
		return ErrWouldBlock
	}
	return recursive(n - 1)
}

var _ = errFull
