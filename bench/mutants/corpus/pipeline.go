package corpus

import "github.com/reentrycheck/reentrycheck/runtime/rt"

type pipeState uint8

const (
	pipeAppend pipeState = iota // drive the Append
	pipeFlush                   // drive the Flush
	pipeScan                    // drive the Scan over what was written
	pipeDone                    // finished
)

// Pipeline drives three sub-operations, one per state: an Append, a Flush
// and a Scan. Its Done value is the Scan's sum.
type Pipeline struct {
	app  *Append
	fl   Flush // driven in place
	scan *Scan

	state    pipeState
	steps    int   // sub-operations finished
	appended int64 // what the Append wrote
	pages    int   // what the Flush wrote
	sum      int   // the Scan's result
}

// NewPipeline returns a Pipeline over two files: the Append writes rec to
// log, the Flush writes pages to data, the Scan reads data back in records
// of the pages' size.
func NewPipeline(log, data rt.File, rec []byte, pages ...[]byte) *Pipeline {
	end := int64(0)
	for _, p := range pages {
		end += int64(len(p))
	}
	return &Pipeline{
		app:  NewAppend(log, 0, rec),
		fl:   *NewFlush(data, pages...),
		scan: NewScan(data, len(pages[0]), end),
	}
}

// Resume runs the Pipeline until it yields or finishes.
func (p *Pipeline) Resume() (rt.IOResult[int], error) {
	for {
		switch p.state {
		case pipeAppend:
			r, err := p.app.Resume()
			if err != nil || r.IsIO() {
				// Re-entrancy: the state still selects the Append.
				return rt.Forward[int](r, err)
			}
			p.steps++
			p.appended = r.Value()
			p.state = pipeFlush

		case pipeFlush:
			r, err := p.fl.Resume()
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			if r.IsIO() {
				// Re-entrancy: the state still selects the Flush.
				return rt.Forward[int](r, nil)
			}
			p.steps++
			p.pages = r.Value()
			p.state = pipeScan

		case pipeScan:
			r, err := p.scan.Resume()
			if err != nil || r.IsIO() {
				// Re-entrancy: the state still selects the Scan.
				return rt.Forward[int](r, err)
			}
			p.steps++
			p.sum, p.state = r.Value(), pipeDone

		default:
			return rt.Done(p.sum), nil
		}
	}
}

// PipelineState is a Pipeline's persistent state, for comparisons.
type PipelineState struct {
	Steps    int
	Appended int64
	Pages    int
	Sum      int
}

// State returns the Pipeline's persistent state.
func (p *Pipeline) State() any {
	return PipelineState{Steps: p.steps, Appended: p.appended, Pages: p.pages, Sum: p.sum}
}
