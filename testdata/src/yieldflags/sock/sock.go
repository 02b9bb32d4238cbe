// Package sock is a library its users cannot annotate: its would-block
// error and its status constant are declared by flags.
package sock

import "errors"

// EAGAIN is the library's would-block.
var EAGAIN = errors.New("resource temporarily unavailable")

// Count is not an error: naming it as -yielderr is an error.
var Count int

// State is a poll status.
type State int

const (
	Ready State = iota
	Pending
)

// Conn is a non-blocking connection.
type Conn struct{ queued []byte }

// Recv returns EAGAIN when nothing is queued.
func (c *Conn) Recv() ([]byte, error) {
	if len(c.queued) == 0 {
		return nil, EAGAIN
	}
	b := c.queued
	c.queued = nil
	return b, nil
}

// Poll reports Pending until data is queued.
func (c *Conn) Poll() State {
	if len(c.queued) == 0 {
		return Pending
	}
	return Ready
}
