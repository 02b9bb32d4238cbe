// Package netproto is the corpus's network-protocol code: a connection
// that reads requests from an input stream and writes responses to an
// output stream, with handshakes, pipelining, sessions and acks.
package netproto

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Chunk is how much chunkReader reads at a time.
const Chunk = 8

// chunkReader reads an input stream chunk by chunk.
type chunkReader struct {
	In  rt.File
	Off int64
	c   *rt.Completion
}

// Fill returns the next chunk (empty at the end of the stream).
//
// quality: ok C1 the read is kept in the reader; the offset moves after it landed
func (r *chunkReader) Fill() (rt.IOResult[[]byte], error) {
	if r.c == nil {
		c, err := r.In.ReadAt(rt.NewRead(make([]byte, Chunk), nil), r.Off)
		if err != nil {
			return rt.IOResult[[]byte]{}, err
		}
		r.c = c
	}
	if !r.c.Finished() {
		// Re-entrancy: the read is kept in r.c; re-entry waits on it.
		return rt.Wait[[]byte](r.c), nil
	}
	c := r.c
	r.c = nil
	if err := c.Err(); err != nil {
		return rt.IOResult[[]byte]{}, err
	}
	r.Off += int64(c.N())
	return rt.Done(c.Buffer()[:c.N()]), nil
}

// Echo answers every byte of its input with a one-byte response.
type Echo struct {
	In  []byte
	Out *engine.Appender
	pos int
}

// Run answers the whole input.
//
// quality: ok C4 consume cursor: for e.pos < len(e.In) { ...; e.pos++ }
func (e *Echo) Run() (rt.IOResult[int], error) {
	for e.pos < len(e.In) {
		r, err := e.Out.Append([]byte{e.In[e.pos] + 1})
		if err != nil || r.IsIO() {
			// Re-entrancy: e.pos still names the byte being answered; the
			// appender waits on its write.
			return rt.Forward[int](r, err)
		}
		e.pos++
	}
	return rt.Done(e.pos), nil
}

// QuickEcho keeps its position in a local.
type QuickEcho struct {
	In  []byte
	Out *engine.Appender
}

// Run answers the whole input.
//
// quality: bug C4 the input position is a range index: re-entry answers the first bytes again
func (e *QuickEcho) Run() (rt.IOResult[int], error) {
	for _, b := range e.In {
		r, err := e.Out.Append([]byte{b + 1})
		if err != nil || r.IsIO() {
			// Bug: re-entry starts the range again.
			return rt.Forward[int](r, err)
		}
	}
	return rt.Done(len(e.In)), nil
}

// Greeting formats a greeting into a builder and sends it.
type Greeting struct {
	Names []string
	Out   *engine.Appender
	sb    strings.Builder
}

// Run sends the greeting.
//
// quality: ok C1 strings.Builder Reset, then writes, on every entry
func (g *Greeting) Run() (rt.IOResult[int64], error) {
	g.sb.Reset()
	g.sb.WriteString("HELLO")
	for _, n := range g.Names {
		g.sb.WriteByte(' ')
		g.sb.WriteString(n)
	}
	r, err := g.Out.Append([]byte(g.sb.String()))
	if err != nil || r.IsIO() {
		// Re-entrancy: the builder is reset and rebuilt identically on
		// re-entry; the appender waits on the write it submitted.
		return rt.Forward[int64](r, err)
	}
	return rt.Done(g.Out.Tail), nil
}

// Banner is Greeting without the reset.
type Banner struct {
	Names []string
	Out   *engine.Appender
	sb    strings.Builder
}

// Run sends the banner.
//
// quality: bug C1 the builder is written on every entry without a reset
func (g *Banner) Run() (rt.IOResult[int64], error) {
	g.sb.WriteString("BANNER")
	for _, n := range g.Names {
		g.sb.WriteByte(' ')
		g.sb.WriteString(n)
	}
	r, err := g.Out.Append([]byte(g.sb.String()))
	if err != nil || r.IsIO() {
		// Bug: re-entry appends the banner to the builder again.
		return rt.Forward[int64](r, err)
	}
	return rt.Done(g.Out.Tail), nil
}

// Batch concatenates queued messages into one frame and sends it.
type Batch struct {
	Msgs [][]byte
	Out  *engine.Appender
	buf  []byte
}

// Run sends the batch.
//
// quality: ok C1 buf = buf[:0] then appends: the frame is rebuilt identically on re-entry
func (b *Batch) Run() (rt.IOResult[int64], error) {
	b.buf = b.buf[:0]
	for _, m := range b.Msgs {
		b.buf = append(b.buf, byte(len(m)))
		b.buf = append(b.buf, m...)
	}
	r, err := b.Out.Append(b.buf)
	if err != nil || r.IsIO() {
		// Re-entrancy: buf was truncated above and is rebuilt the same.
		return rt.Forward[int64](r, err)
	}
	return rt.Done(b.Out.Tail), nil
}

// Pipeline sends requests back to back and counts the acks in order.
type Pipeline struct {
	Out   rt.File
	Reqs  [][]byte
	sent  bool
	cs    []*rt.Completion
	next  int
	Acked int
}

// Run sends everything and waits for the acks one by one.
//
// quality: ok C1 per-operation completions kept in state and awaited one by one
func (p *Pipeline) Run() (rt.IOResult[int], error) {
	if !p.sent {
		var off int64
		for _, q := range p.Reqs {
			c, err := p.Out.WriteAt(q, off, rt.NewWrite(nil))
			if err != nil {
				rt.AbortAll(p.cs)
				return rt.IOResult[int]{}, err
			}
			p.cs = append(p.cs, c)
			off += int64(len(q))
		}
		p.sent = true
	}
	for p.next < len(p.cs) {
		c := p.cs[p.next]
		if !c.Finished() {
			// Re-entrancy: the requests were sent once (p.sent); re-entry
			// waits on the same ack.
			return rt.Wait[int](c), nil
		}
		if err := c.Err(); err != nil {
			return rt.IOResult[int]{}, err
		}
		p.Acked++
		p.next++
	}
	return rt.Done(p.Acked), nil
}

// Resender sends requests and keeps their completions, without a
// once-flag.
type Resender struct {
	Out   rt.File
	Reqs  [][]byte
	cs    []*rt.Completion
	Acked int
}

// Run sends everything and waits for the acks.
//
// quality: bug C1 the requests are submitted and their completions recorded on every entry
func (p *Resender) Run() (rt.IOResult[int], error) {
	var off int64
	for _, q := range p.Reqs {
		c, err := p.Out.WriteAt(q, off, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		p.cs = append(p.cs, c)
		off += int64(len(q))
	}
	for _, c := range p.cs {
		if !c.Finished() {
			// Bug: re-entry sends every request again and records it.
			return rt.Wait[int](c), nil
		}
	}
	p.Acked = len(p.cs)
	return rt.Done(p.Acked), nil
}

// Acker sends an ack and counts acks that landed.
type Acker struct {
	Out   rt.File
	Acks  atomic.Int64
	c     *rt.Completion
	Frame []byte
}

// Run sends the ack.
//
// quality: ok C12 the write callback counts the ack only on success
func (a *Acker) Run() (rt.IOResult[int64], error) {
	if a.c == nil {
		c, err := a.Out.WriteAt(a.Frame, 0, rt.NewWrite(func(_ int, err error) {
			if err != nil {
				return
			}
			a.Acks.Add(1)
		}))
		if err != nil {
			return rt.IOResult[int64]{}, err
		}
		a.c = c
	}
	if !a.c.Finished() {
		// Re-entrancy: the write is kept in a.c; re-entry waits on it.
		return rt.Wait[int64](a.c), nil
	}
	return rt.Done(a.Acks.Load()), a.c.Err()
}

// HastyAcker counts acks whatever the write's outcome.
type HastyAcker struct {
	Out   rt.File
	Acks  atomic.Int64
	c     *rt.Completion
	Frame []byte
}

// Run sends the ack.
//
// quality: bug C12 the write callback's error parameter is blank
func (a *HastyAcker) Run() (rt.IOResult[int64], error) {
	if a.c == nil {
		c, err := a.Out.WriteAt(a.Frame, 0, rt.NewWrite(func(n int, _ error) {
			if n >= 0 {
				a.Acks.Add(1) // Bug: counted on failure too.
			}
		}))
		if err != nil {
			return rt.IOResult[int64]{}, err
		}
		a.c = c
	}
	if !a.c.Finished() {
		// Re-entrancy: the write is kept in a.c; re-entry waits on it.
		return rt.Wait[int64](a.c), nil
	}
	return rt.Done(a.Acks.Load()), a.c.Err()
}

// Broadcast writes a frame to several peers and marks the round flushed.
type Broadcast struct {
	Peers   []rt.File
	Frame   []byte
	group   *rt.Completion
	Flushed bool
}

// Run broadcasts.
//
// quality: bug C12 the group callback marks the round flushed without reading its error
func (b *Broadcast) Run() (rt.IOResult[bool], error) {
	if b.group == nil {
		g := rt.NewGroup(func(error) {
			b.Flushed = true // Bug: a failed peer write still flushes the round.
		})
		for _, p := range b.Peers {
			c, err := p.WriteAt(b.Frame, 0, rt.NewWrite(nil))
			if err == nil {
				err = g.Add(c)
			}
			if err != nil {
				g.Cancel()
				return rt.IOResult[bool]{}, err
			}
		}
		b.group = g.Build()
	}
	if !b.group.Finished() {
		// Re-entrancy: the group is memoized in b.group.
		return rt.Wait[bool](b.group), nil
	}
	return rt.Done(b.Flushed), b.group.Err()
}

// Conn serialises writers on one connection.
type Conn struct {
	mu  sync.RWMutex
	Out *engine.Appender
}

// Mutex exposes the connection lock to tests.
func (c *Conn) Mutex() *sync.RWMutex { return &c.mu }

// Send writes a frame on the connection.
//
// quality: bug C10 the connection's write lock is held while the append yields
func (c *Conn) Send(frame []byte) (rt.IOResult[int64], error) {
	c.mu.Lock()
	r, err := c.Out.Append(frame)
	if err != nil || r.IsIO() {
		// Bug: returns holding c.mu.
		return rt.Forward[int64](r, err)
	}
	c.mu.Unlock()
	return rt.Done(r.Value()), nil
}

// Peek reads the connection's tail under the read lock.
//
// quality: bug C10 the read lock is held at the yield
func (c *Conn) Peek(frame []byte) (rt.IOResult[int64], error) {
	c.mu.RLock()
	r, err := c.Out.Append(frame)
	if err != nil || r.IsIO() {
		// Bug: returns holding the read lock; a writer blocks the
		// scheduler.
		return rt.Forward[int64](r, err)
	}
	c.mu.RUnlock()
	return rt.Done(c.Out.Tail), nil
}

// SafeConn takes its lock only around the bookkeeping.
type SafeConn struct {
	mu   sync.Mutex
	Out  *engine.Appender
	Sent int
}

// Mutex exposes the connection lock to tests.
func (c *SafeConn) Mutex() *sync.Mutex { return &c.mu }

// Send writes a frame on the connection.
//
// quality: ok C10 the lock guards only the counter, after the append returned Done
func (c *SafeConn) Send(frame []byte) (rt.IOResult[int64], error) {
	r, err := c.Out.Append(frame)
	if err != nil || r.IsIO() {
		// Re-entrancy: no lock is held; the appender waits on its write.
		return rt.Forward[int64](r, err)
	}
	c.mu.Lock()
	c.Sent++
	c.mu.Unlock()
	return rt.Done(r.Value()), nil
}
