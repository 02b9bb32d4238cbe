package yielderr

// injectBlocking is off in this build: the fault injection under it never
// runs, so the function that holds it never returns the would-block.
const injectBlocking = false

// forceBlocking is the same switch turned on.
const forceBlocking = true

// flushInjected would block only under the switch that is off: in this
// build it always finishes, and it is no yield for its callers.
func (e *Endpoint) flushInjected() error {
	if injectBlocking {
		return ErrWouldBlock
	}
	e.rcv.buf = e.rcv.buf[:0]
	return nil
}

// flushForced blocks under the switch that is on.
func (e *Endpoint) flushForced() error {
	if forceBlocking && len(e.rcv.buf) > 8 {
		return ErrWouldBlock
	}
	e.rcv.buf = e.rcv.buf[:0]
	return nil
}

// CloseInjected counts before a call that cannot yield in this build.
func (e *Endpoint) CloseInjected() error {
	e.stats.waits++
	if err := e.flushInjected(); err != nil {
		return err
	}
	e.closed = true
	return nil
}

// CloseForced counts before a call that can.
func (e *Endpoint) CloseForced() error {
	e.stats.waits++ // want `increments e\.stats\.waits before the yield at deadcode\.go:\d+`
	if err := e.flushForced(); err != nil {
		return err
	}
	e.closed = true
	return nil
}
