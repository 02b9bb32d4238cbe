package c1

import (
	"errors"
	"rt"
	"sync"
	"sync/atomic"
)

// Transitions guarded by the state they change: a branch entered while a
// state is one of its constants, every success of which moves the state
// to another. The state is read through a getter over an atomic, and moved
// by a setter given the constant, two calls down.

type bindState uint32

const (
	bindInitial bindState = iota
	bindBound
)

var (
	errBound  = errors.New("already bound")
	errNoPort = errors.New("no port")
)

// binding is an endpoint's network half: its state, read and set
// atomically, and what binding records.
type binding struct {
	state atomic.Uint32
	port  int
	binds int
}

func (b *binding) State() bindState { return bindState(b.state.Load()) }

func (b *binding) setState(s bindState) { b.state.Store(uint32(s)) }

// bindAndThen refuses unless the state is initial, and moves it to bound
// on its one success.
func (b *binding) bindAndThen(port int) error {
	if b.State() != bindInitial {
		return errBound
	}
	if port == 0 {
		return errNoPort
	}
	b.port = port
	b.binds++
	b.setState(bindBound)
	return nil
}

// bindSometimes moves the state only for some ports: a success can leave
// it initial, and the next call binds again.
func (b *binding) bindSometimes(port int) error {
	if b.State() != bindInitial {
		return errBound
	}
	b.binds++
	if port > 1024 {
		b.setState(bindBound)
	}
	return nil
}

// forget writes the binding (its port) with a value it computes: it may
// move the state anywhere.
func (b *binding) forget(scale int) {
	b.port *= scale
	*b = binding{port: b.port}
}

// Socket binds its network half on the first write.
type Socket struct {
	mu    sync.Mutex
	net   binding
	ident int
	cur   *rt.Cursor
}

// bindLocked binds once and records the port: its writes all lie under
// the state's guard and after the transition that commits them.
func (s *Socket) bindLocked(port int) error {
	if s.net.State() != bindInitial {
		return errBound
	}
	if err := s.net.bindAndThen(port); err != nil {
		return err
	}
	s.ident = port
	return nil
}

// prepare binds on first use, under the socket's lock.
func (s *Socket) prepare(port int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.net.State() == bindInitial {
		return s.bindLocked(port)
	}
	return nil
}

// Silent: re-entry finds the socket bound and binds nothing.
func (s *Socket) Write(port int) (rt.IOResult[int], error) {
	if err := s.prepare(port); err != nil {
		return rt.IOResult[int]{}, err
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// prepareCounted counts the bind and binds: both under the guard, and the
// bind moves the state on its success.
func (s *Socket) prepareCounted(port int) error {
	if s.net.State() == bindInitial {
		s.ident++
		return s.net.bindAndThen(port)
	}
	return nil
}

// Silent: re-entry finds the socket bound and counts nothing.
func (s *Socket) WriteCounted(port int) (rt.IOResult[int], error) {
	if err := s.prepareCounted(port); err != nil {
		return rt.IOResult[int]{}, err
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// prepareRebound counts and binds, then moves the state back: the guard
// is re-armed and the next call counts again.
func (s *Socket) prepareRebound(port int) error {
	if s.net.State() == bindInitial {
		s.ident++
		if err := s.net.bindAndThen(port); err != nil {
			return err
		}
		s.net.setState(bindInitial)
	}
	return nil
}

// Flagged: the re-armed bind is repeated by re-entry.
func (s *Socket) WriteRebound(port int) (rt.IOResult[int], error) {
	if err := s.prepareRebound(port); err != nil { // want `calls s\.prepareRebound, which mutates s .*before the yield`
		return rt.IOResult[int]{}, err
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// prepareSometimes binds through a callee that does not always move the
// state.
func (s *Socket) prepareSometimes(port int) error {
	if s.net.State() == bindInitial {
		return s.net.bindSometimes(port)
	}
	return nil
}

// Flagged: a success of bindSometimes can leave the state initial.
func (s *Socket) WriteSometimes(port int) (rt.IOResult[int], error) {
	if err := s.prepareSometimes(port); err != nil { // want `calls s\.prepareSometimes, which mutates s .*before the yield`
		return rt.IOResult[int]{}, err
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// prepareForgetful binds, then rewrites the binding through a callee
// whose writes of it are not known.
func (s *Socket) prepareForgetful(port int) error {
	if s.net.State() == bindInitial {
		if err := s.bindLocked(port); err != nil {
			return err
		}
		s.net.forget(2)
	}
	return nil
}

// Flagged: after forget the state may be initial again.
func (s *Socket) WriteForgetful(port int) (rt.IOResult[int], error) {
	if err := s.prepareForgetful(port); err != nil { // want `calls s\.prepareForgetful, which mutates s .*before the yield`
		return rt.IOResult[int]{}, err
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// prepareDeferred counts and binds, and moves the state back when it
// returns.
func (s *Socket) prepareDeferred(port int) error {
	if s.net.State() == bindInitial {
		defer s.net.setState(bindInitial)
		s.ident++
		return s.net.bindAndThen(port)
	}
	return nil
}

// Flagged: the deferred store re-arms the guard after the bind.
func (s *Socket) WriteDeferred(port int) (rt.IOResult[int], error) {
	if err := s.prepareDeferred(port); err != nil { // want `calls s\.prepareDeferred, which mutates s .*before the yield`
		return rt.IOResult[int]{}, err
	}
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Session opens lazily, with its phase as a plain field.
type Session struct {
	phase  int
	opened int
	cur    *rt.Cursor
}

const (
	phaseNew = iota
	phaseOpen
)

// open counts the opening and moves the phase in the same branch.
func (s *Session) open() {
	if s.phase == phaseNew {
		s.opened++
		s.phase = phaseOpen
	}
}

// reopen moves the phase to the value it tested: the branch runs again.
func (s *Session) reopen() {
	if s.phase == phaseNew {
		s.opened++
		s.phase = phaseNew
	}
}

// Silent: re-entry finds the session open.
func (s *Session) Read() (rt.IOResult[int], error) {
	s.open()
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

// Flagged: reopen counts again on every re-entry.
func (s *Session) ReadReopened() (rt.IOResult[int], error) {
	s.reopen() // want `calls s\.reopen, which mutates s .*before the yield`
	r, err := s.cur.Next()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
