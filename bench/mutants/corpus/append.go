package corpus

import "github.com/reentrycheck/reentrycheck/runtime/rt"

type appendState uint8

const (
	appendSubmit appendState = iota // submit the write
	appendWait                      // consume it
	appendDone                      // finished
)

// Append writes data at off. It keeps its write and checks it on re-entry,
// so it absorbs polls. Its Done value is the number of bytes written.
type Append struct {
	f    rt.File
	off  int64
	data []byte

	state appendState
	write *rt.Completion
}

// NewAppend returns an Append of data at off in f.
func NewAppend(f rt.File, off int64, data []byte) *Append {
	return &Append{f: f, off: off, data: data}
}

// Resume runs the Append until it yields or finishes.
func (a *Append) Resume() (rt.IOResult[int64], error) {
	for {
		switch a.state {
		case appendSubmit:
			c, err := a.f.WriteAt(a.data, a.off, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int64]{}, err
			}
			a.write, a.state = c, appendWait
			// Re-entrancy: the write is stored and the state moved on.
			return rt.Wait[int64](c), nil

		case appendWait:
			if !a.write.Finished() {
				// Re-entrancy: a poll; nothing changes.
				return rt.Wait[int64](a.write), nil
			}
			if err := a.write.Err(); err != nil {
				return rt.IOResult[int64]{}, err
			}
			a.state = appendDone

		default:
			return rt.Done(int64(a.write.N())), nil
		}
	}
}
