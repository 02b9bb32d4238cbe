package yielderrtype

// ErrClosedForSend: the connection is gone; the writer stops.
type ErrClosedForSend struct{}

func (*ErrClosedForSend) Error() string     { return "closed for send" }
func (*ErrClosedForSend) IgnoreStats() bool { return false }

// Conn is a stream's send side, checked before and after a copy that
// releases its locks.
type Conn struct {
	hardError Error
	failed    bool
	sndBuf    int
	sndUsed   int
	checks    int
	queued    [][]byte
}

// takeHardError hands out the pending error once.
func (c *Conn) takeHardError() Error {
	err := c.hardError
	c.hardError = nil
	return err
}

// writable consumes the pending error, but only on its way to an error
// exit: a check that said the stream is writable changed nothing.
func (c *Conn) writable() (int, Error) {
	if c.failed {
		if err := c.takeHardError(); err != nil {
			return 0, err
		}
		return 0, &ErrClosedForSend{}
	}
	avail := c.sndBuf - c.sndUsed
	if avail <= 0 {
		return 0, &ErrWouldBlock{}
	}
	return avail, nil
}

// writableCounted counts every check that succeeds.
func (c *Conn) writableCounted() (int, Error) {
	avail := c.sndBuf - c.sndUsed
	if avail <= 0 {
		return 0, &ErrWouldBlock{}
	}
	c.checks++
	return avail, nil
}

// Write checks, copies, and checks again (the copy may have raced with a
// close): re-entry after the second check's would-block checks again from
// the top, which the first check's Done makes free.
func (c *Conn) Write(p []byte) (int, Error) {
	avail, err := c.writable()
	if err != nil {
		return 0, err
	}
	b := append([]byte(nil), p[:min(avail, len(p))]...)
	if _, err := c.writable(); err != nil {
		return 0, err
	}
	c.queued = append(c.queued, b)
	return len(b), nil
}

// WriteCounted: the first check counted on its way to Done is counted
// again when the second one's would-block re-enters.
func (c *Conn) WriteCounted(p []byte) (int, Error) {
	avail, err := c.writableCounted() // want `calls c\.writableCounted, which already returned Done, runs again when the yield at writable\.go:\d+ re-enters`
	if err != nil {
		return 0, err
	}
	b := append([]byte(nil), p[:min(avail, len(p))]...)
	if _, err := c.writableCounted(); err != nil {
		return 0, err
	}
	c.queued = append(c.queued, b)
	return len(b), nil
}
