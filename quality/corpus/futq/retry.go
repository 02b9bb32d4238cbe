package futq

// Retry reads a page and, while the device answers ErrBusy, waits a
// backoff that doubles with each attempt and tries again, up to Max
// attempts.
type Retry struct {
	Dev      *Device
	Clock    *Clock
	Page     int
	Base     int // the first backoff, in ticks
	Max      int // attempts before it gives up
	Attempts int
	phase    int
	op       *Op
	sleep    *Sleep
}

// Retry phases.
const (
	retryRead = iota
	retryBackoff
)

// PollEarly reads the page.
//
// quality: bug C3 the phase moves back to retryRead before the backoff timer is polled: when it is pending the re-poll is in retryRead, the backoff is skipped and the next attempt hits the device while it is still busy
func (f *Retry) PollEarly(cx *Context) Poll[Result] {
	for {
		switch f.phase {
		case retryRead:
			if f.op == nil {
				f.op = Read(f.Dev, f.Page)
				f.Attempts++
			}
			p := f.op.Poll(cx)
			if !p.IsReady() {
				// Re-entrancy: the attempt is in f.op; the re-poll polls it
				// again and counts nothing.
				return Pending[Result]()
			}
			f.op = nil
			if r := p.Value(); r.Err == nil || f.Attempts == f.Max {
				return Ready(r)
			}
			f.sleep = After(f.Clock, f.Base<<(f.Attempts-1))
			f.phase = retryBackoff
		case retryBackoff:
			f.phase = retryRead
			p := f.sleep.Poll(cx)
			if !p.IsReady() {
				// Bug: the phase already says retryRead: the re-poll starts
				// the next attempt without waiting out the backoff.
				return Pending[Result]()
			}
			f.sleep = nil
		}
	}
}

// Poll reads the page.
//
// quality: ok C3 the phase moves back to retryRead only after the backoff timer is ready; the attempt is counted with the creation of its read, which the re-poll finds in f.op
func (f *Retry) Poll(cx *Context) Poll[Result] {
	for {
		switch f.phase {
		case retryRead:
			if f.op == nil {
				f.op = Read(f.Dev, f.Page)
				f.Attempts++
			}
			p := f.op.Poll(cx)
			if !p.IsReady() {
				// Re-entrancy: the attempt is in f.op; the re-poll polls it
				// again and counts nothing.
				return Pending[Result]()
			}
			f.op = nil
			if r := p.Value(); r.Err == nil || f.Attempts == f.Max {
				return Ready(r)
			}
			f.sleep = After(f.Clock, f.Base<<(f.Attempts-1))
			f.phase = retryBackoff
		case retryBackoff:
			p := f.sleep.Poll(cx)
			if !p.IsReady() {
				// Re-entrancy: the phase is still retryBackoff: the re-poll
				// polls the same timer, whose deadline is fixed.
				return Pending[Result]()
			}
			f.sleep = nil
			f.phase = retryRead
		}
	}
}
