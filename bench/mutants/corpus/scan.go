package corpus

import "github.com/reentrycheck/reentrycheck/runtime/rt"

// cursor is how far a Scan got.
type cursor struct {
	off int64 // the next record
	n   int   // records seen
	sum int   // sum of their first bytes
}

func (c *cursor) advance(rec []byte) {
	c.off += int64(len(rec))
	c.n++
	c.sum += int(rec[0])
}

// Scan reads fixed-size records up to end, one at a time, and sums their
// first bytes. It yields on unfinished reads only. Its Done value is the
// sum.
type Scan struct {
	f    rt.File
	size int
	end  int64

	cur  cursor
	read *rt.Completion // the read in flight, nil between records
}

// NewScan returns a Scan of the records of size bytes in f before end.
func NewScan(f rt.File, size int, end int64) *Scan {
	return &Scan{f: f, size: size, end: end}
}

// Resume runs the Scan until it yields or finishes.
func (s *Scan) Resume() (rt.IOResult[int], error) {
	cur := &s.cur
	for cur.off < s.end {
		if s.read == nil {
			c, err := s.f.ReadAt(rt.NewRead(make([]byte, s.size), nil), cur.off)
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			s.read = c
		}
		if !s.read.Finished() {
			// Re-entrancy: the read is kept and the cursor has not moved.
			return rt.Wait[int](s.read), nil
		}
		if err := s.read.Err(); err != nil {
			return rt.IOResult[int]{}, err
		}
		cur.advance(s.read.Buffer())
		s.read = nil
	}
	return rt.Done(cur.sum), nil
}

// ScanState is a Scan's persistent state, for comparisons.
type ScanState struct {
	Off    int64
	N, Sum int
}

// State returns the Scan's persistent state.
func (s *Scan) State() any { return ScanState{Off: s.cur.off, N: s.cur.n, Sum: s.cur.sum} }
