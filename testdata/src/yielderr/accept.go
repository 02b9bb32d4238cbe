package yielderr

// conn is an established connection waiting to be accepted.
type conn struct{ id int }

// backlog is a listener's queue of established connections.
type backlog struct{ items []any }

func (b *backlog) front() any {
	if len(b.items) == 0 {
		return nil
	}
	return b.items[0]
}

// remove takes the front connection out of the queue.
func (b *backlog) remove() any {
	x := b.items[0]
	b.items = b.items[1:]
	return x
}

// lookup finds a connection by some other means; what it returns may be
// nil.
func (b *backlog) lookup() *conn { return nil }

type Listener struct {
	queue    backlog
	accepted int
	fallback int
}

// Accept removes a connection only on the path where one is queued, and
// would-blocks only on the path where none was: the local it records the
// connection in tells the two apart.
func (l *Listener) Accept() (*conn, error) {
	var c *conn
	if x := l.queue.front(); x != nil {
		c = l.queue.remove().(*conn)
	}
	if c == nil {
		return nil, ErrWouldBlock
	}
	return c, nil
}

// AcceptCounted counts on the path that would-blocks.
func (l *Listener) AcceptCounted() (*conn, error) {
	var c *conn
	if x := l.queue.front(); x != nil {
		c = l.queue.remove().(*conn)
	} else {
		l.fallback++ // want `increments l\.fallback before the yield at accept\.go:\d+`
	}
	if c == nil {
		return nil, ErrWouldBlock
	}
	return c, nil
}

// AcceptLookup records what a call returned, which may be nil: the removal
// may be followed by the would-block.
func (l *Listener) AcceptLookup() (*conn, error) {
	var c *conn
	if x := l.queue.front(); x != nil {
		l.queue.remove() // want `calls l\.queue\.remove, which mutates l\.queue .*before the yield at accept\.go:\d+`
		c = l.queue.lookup()
	}
	if c == nil {
		return nil, ErrWouldBlock
	}
	return c, nil
}

// AcceptFlagged records success in a boolean.
func (l *Listener) AcceptFlagged() (*conn, error) {
	got := false
	var c *conn
	if x := l.queue.front(); x != nil {
		c = l.queue.remove().(*conn)
		got = true
	}
	if !got {
		return nil, ErrWouldBlock
	}
	l.accepted++
	return c, nil
}

// AcceptFlaggedWrong sets the flag on the wrong path.
func (l *Listener) AcceptFlaggedWrong() (*conn, error) {
	got := true
	var c *conn
	if x := l.queue.front(); x != nil {
		c = l.queue.remove().(*conn) // want `calls l\.queue\.remove, which mutates l\.queue .*before the yield at accept\.go:\d+`
		got = false
	}
	if !got {
		return nil, ErrWouldBlock
	}
	return c, nil
}
