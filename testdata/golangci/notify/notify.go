// Package notify publishes through completion callbacks of package rt.
// reentrycheck knows rt.OnDone returns a completion only through rt's facts.
package notify

import "example.com/sample/rt"

// Flusher flushes a buffer and records that it did.
type Flusher struct{ flushed bool }

// Flush marks the buffer flushed without reading the callback's error, so a
// failed flush is published as a success. The message names no position:
// the callback's line comes from the related information.
func (f *Flusher) Flush() *rt.Completion {
	return rt.OnDone(func(error) {
		f.flushed = true
	})
}
