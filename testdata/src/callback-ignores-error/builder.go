package callback

// Barrier fans several completions into one: its callback runs once, with
// the first child's error, when the completion Seal makes finishes.
type Barrier struct {
	cb       func(err error)
	children []*Completion
}

// NewBarrier returns a builder: its callback is a completion callback,
// although NewBarrier itself returns no completion.
func NewBarrier(cb func(err error)) *Barrier { return &Barrier{cb: cb} }

// Join adds a child.
func (b *Barrier) Join(c *Completion) { b.children = append(b.children, c) }

// Seal makes the barrier's completion.
func (b *Barrier) Seal() *Completion { return &Completion{} }

type Checkpoint struct {
	durable bool
	rounds  int
	lastErr error
}

func (c *Checkpoint) SealBuggy(parts []*Completion) *Completion {
	b := NewBarrier(func(error) {
		c.durable = true // want `completion callback overwrites c\.durable .*never tests its error`
	})
	for _, p := range parts {
		b.Join(p)
	}
	return b.Seal()
}

func (c *Checkpoint) SealFixed(parts []*Completion) *Completion {
	b := NewBarrier(func(err error) {
		if err == nil {
			c.durable = true
		}
	})
	for _, p := range parts {
		b.Join(p)
	}
	return b.Seal()
}

// A builder whose completion is a value, not behind a pointer.
type Round struct{ cb func(error) }

func MakeRound(cb func(error)) Round { return Round{cb: cb} }
func (r *Round) Finish() *Completion { return &Completion{} }

func (c *Checkpoint) RoundBuggy() *Completion {
	r := MakeRound(func(err error) {
		c.lastErr = err // want `completion callback overwrites c\.lastErr`
		c.rounds++      // want `completion callback increments c\.rounds`
	})
	return r.Finish()
}

// Device starts a new operation per call (Write takes the data): it is no
// completion builder, and the handler its constructor keeps runs on
// failures only, so it need not test its error.
type Device struct{ onErr func(error) }

func NewDevice(onErr func(error)) *Device      { return &Device{onErr: onErr} }
func (d *Device) Write(buf []byte) *Completion { return &Completion{} }
func (c *Checkpoint) Handler(buf []byte) *Completion {
	d := NewDevice(func(error) { c.durable = false })
	return d.Write(buf)
}
