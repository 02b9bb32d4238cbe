package corpus

import "github.com/reentrycheck/reentrycheck/runtime/rt"

type flushState uint8

const (
	flushSubmit flushState = iota // submit the page writes
	flushGroup                    // wait for all of them
	flushSync                     // submit the sync
	flushSynced                   // consume it
	flushDone                     // finished
)

// stats counts what a Flush did.
type stats struct {
	pages, bytes, syncs int
}

func (s *stats) wrote(pages [][]byte) {
	for _, p := range pages {
		s.pages++
		s.bytes += len(p)
	}
}

// Flush writes pages side by side, waits for all of them through one
// group, then syncs. It yields on unfinished completions only. Its Done
// value is the number of pages written.
type Flush struct {
	f     rt.File
	pages [][]byte

	state  flushState
	writes []*rt.Completion // the page writes, from flushGroup on
	group  *rt.Completion   // their group, built once
	sync   *rt.Completion   // the sync, in flushSynced
	st     stats
}

// NewFlush returns a Flush of pages (all of one size) to f from offset 0.
func NewFlush(f rt.File, pages ...[]byte) *Flush {
	return &Flush{f: f, pages: pages}
}

// Resume runs the Flush until it yields or finishes.
func (fl *Flush) Resume() (rt.IOResult[int], error) {
	for {
		switch fl.state {
		case flushSubmit:
			off := int64(0)
			for _, p := range fl.pages {
				c, err := fl.f.WriteAt(p, off, rt.NewWrite(nil))
				if err != nil {
					rt.AbortAll(fl.writes)
					return rt.IOResult[int]{}, err
				}
				fl.writes = append(fl.writes, c)
				off += int64(len(p))
			}
			fl.state = flushGroup

		case flushGroup:
			if fl.group == nil {
				g := rt.NewGroup(nil)
				for _, c := range fl.writes {
					if err := g.Add(c); err != nil {
						return rt.IOResult[int]{}, err
					}
				}
				fl.group = g.Build()
			}
			if !fl.group.Finished() {
				// Re-entrancy: the group is built once and kept.
				return rt.Wait[int](fl.group), nil
			}
			if err := fl.group.Err(); err != nil {
				return rt.IOResult[int]{}, err
			}
			fl.st.wrote(fl.pages)
			fl.state = flushSync

		case flushSync:
			c, err := fl.f.Sync(rt.NewSync(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			fl.sync, fl.state = c, flushSynced

		case flushSynced:
			if !fl.sync.Finished() {
				// Re-entrancy: a pending sync; nothing changes.
				return rt.Wait[int](fl.sync), nil
			}
			if err := fl.sync.Err(); err != nil {
				return rt.IOResult[int]{}, err
			}
			fl.st.syncs++
			fl.state = flushDone

		default:
			return rt.Done(fl.st.pages), nil
		}
	}
}

// FlushState is a Flush's persistent state, for comparisons.
type FlushState struct {
	Pages, Bytes, Syncs int
}

// State returns the Flush's persistent state.
func (fl *Flush) State() any {
	return FlushState{Pages: fl.st.pages, Bytes: fl.st.bytes, Syncs: fl.st.syncs}
}
