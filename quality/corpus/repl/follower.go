package repl

import (
	"sync"

	"github.com/reentrycheck/reentrycheck/quality/corpus/engine"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Follower applies the leader's log entries up to the commit index.
type Follower struct {
	Log     [][]byte
	Commit  int
	Applied int
	Store   *engine.Appender
}

// Apply applies every committed entry.
//
// quality: ok C4 the applied index advances after each entry's append returned Done
func (f *Follower) Apply() (rt.IOResult[int], error) {
	for f.Applied < f.Commit {
		r, err := f.Store.Append(f.Log[f.Applied])
		if err != nil || r.IsIO() {
			// Re-entrancy: f.Applied names the entry being appended.
			return rt.Forward[int](r, err)
		}
		f.Applied++
	}
	return rt.Done(f.Applied), nil
}

// Acks sends the acks queued per peer.
type Acks struct {
	Pending map[int][]byte
	Out     *engine.Appender
	Sent    int
}

// Send sends peer's ack.
//
// quality: bug C1 the ack is deleted from the queue before its append yields
func (a *Acks) Send(peer int) (rt.IOResult[int], error) {
	ack := a.Pending[peer]
	delete(a.Pending, peer) // Bug: on re-entry the ack is gone.
	r, err := a.Out.Append(ack)
	if err != nil || r.IsIO() {
		// Bug: re-entry appends a nil ack.
		return rt.Forward[int](r, err)
	}
	a.Sent += len(ack)
	return rt.Done(a.Sent), nil
}

// QueuedAcks deletes the ack once it went out.
type QueuedAcks struct {
	Pending map[int][]byte
	Out     *engine.Appender
	Sent    int
}

// Send sends peer's ack.
//
// quality: ok C1 the ack leaves the queue after its append returned Done
func (a *QueuedAcks) Send(peer int) (rt.IOResult[int], error) {
	ack := a.Pending[peer]
	r, err := a.Out.Append(ack)
	if err != nil || r.IsIO() {
		// Re-entrancy: the ack is still queued; re-entry re-polls its
		// append.
		return rt.Forward[int](r, err)
	}
	delete(a.Pending, peer)
	a.Sent += len(ack)
	return rt.Done(a.Sent), nil
}

type replState uint8

const (
	replApply replState = iota
	replAck
	replDone
)

// Replicator applies, then acknowledges.
type Replicator struct {
	F     *Follower
	Out   *engine.Appender
	state replState
}

// Run replicates one round.
//
// quality: bug C3 the state moves to replAck before Apply returned Done
func (r *Replicator) Run() (rt.IOResult[int], error) {
	for {
		switch r.state {
		case replApply:
			r.state = replAck
			a, err := r.F.Apply()
			if err != nil || a.IsIO() {
				// Bug: re-entry acks before the entries were applied.
				return rt.Forward[int](a, err)
			}
		case replAck:
			a, err := r.Out.Append([]byte{byte(r.F.Applied)})
			if err != nil || a.IsIO() {
				// Re-entrancy: replAck; re-entry re-polls the append.
				return rt.Forward[int](a, err)
			}
			r.state = replDone
		default:
			return rt.Done(r.F.Applied), nil
		}
	}
}

// OrderedReplicator advances after Apply's Done.
type OrderedReplicator struct {
	F     *Follower
	Out   *engine.Appender
	state replState
}

// Run replicates one round.
//
// quality: ok C3 the state advances after Apply returned Done
func (r *OrderedReplicator) Run() (rt.IOResult[int], error) {
	for {
		switch r.state {
		case replApply:
			a, err := r.F.Apply()
			if err != nil || a.IsIO() {
				// Re-entrancy: replApply; re-entry re-polls Apply.
				return rt.Forward[int](a, err)
			}
			r.state = replAck
		case replAck:
			a, err := r.Out.Append([]byte{byte(r.F.Applied)})
			if err != nil || a.IsIO() {
				// Re-entrancy: replAck; re-entry re-polls the append.
				return rt.Forward[int](a, err)
			}
			r.state = replDone
		default:
			return rt.Done(r.F.Applied), nil
		}
	}
}

// Shipper ships a snapshot, numbering each shipment.
type Shipper struct {
	Out     *engine.Appender
	Snap    []byte
	started bool
	Seq     int
}

// Run ships the snapshot.
//
// quality: ok C1 a once-flag guards the sequence increment before the yield
func (s *Shipper) Run() (rt.IOResult[int], error) {
	if !s.started {
		s.started = true
		s.Seq++
	}
	r, err := s.Out.Append(s.Snap)
	if err != nil || r.IsIO() {
		// Re-entrancy: started is set, so re-entry does not number the
		// shipment again; the appender waits on its write.
		return rt.Forward[int](r, err)
	}
	return rt.Done(s.Seq), nil
}

// LateShipper sets its once-flag after the yield.
type LateShipper struct {
	Out     *engine.Appender
	Snap    []byte
	started bool
	Seq     int
}

// Run ships the snapshot.
//
// quality: bug C1 the once-flag is set only after the yield, so the increment repeats
func (s *LateShipper) Run() (rt.IOResult[int], error) {
	if !s.started {
		s.Seq++
	}
	r, err := s.Out.Append(s.Snap)
	if err != nil || r.IsIO() {
		// Bug: started is still false; re-entry numbers it again.
		return rt.Forward[int](r, err)
	}
	s.started = true
	return rt.Done(s.Seq), nil
}

// Votes collects a vote per peer while it writes the ballot.
type Votes struct {
	Out   *engine.Appender
	Votes map[int]bool
}

// Cast records peer's vote and writes the ballot.
//
// quality: ok C1 a blind write keyed by a parameter before the yield
func (v *Votes) Cast(peer int) (rt.IOResult[int], error) {
	v.Votes[peer] = true
	r, err := v.Out.Append([]byte{byte(peer)})
	if err != nil || r.IsIO() {
		// Re-entrancy: the vote is written again with the same value.
		return rt.Forward[int](r, err)
	}
	return rt.Done(len(v.Votes)), nil
}

// Heartbeat sends a heartbeat and counts the ones that were late.
type Heartbeat struct {
	Out    rt.File
	c      *rt.Completion
	Missed int
}

func (h *Heartbeat) noteMiss() { h.Missed++ }

// Run sends the heartbeat.
//
// quality: bug C1 a helper method increments a counter in the waiting path before the yield
func (h *Heartbeat) Run() (rt.IOResult[int], error) {
	if h.c == nil {
		c, err := h.Out.WriteAt([]byte("HB"), 0, rt.NewWrite(nil))
		if err != nil {
			return rt.IOResult[int]{}, err
		}
		h.c = c
	}
	if !h.c.Finished() {
		h.noteMiss()
		// Bug: every re-entry before the write landed counts a miss.
		return rt.Wait[int](h.c), nil
	}
	return rt.Done(h.Missed), h.c.Err()
}

// Lease holds the replication lease across a round.
type Lease struct {
	mu    sync.Mutex
	F     *Follower
	taken bool
}

// Mutex exposes the lease lock to tests.
func (l *Lease) Mutex() *sync.Mutex { return &l.mu }

// Run takes the lease, applies, and releases it.
//
// quality: bug C10 the lease lock is taken once and held across the apply's yields
func (l *Lease) Run() (rt.IOResult[int], error) {
	if !l.taken {
		l.mu.Lock()
		l.taken = true
	}
	r, err := l.F.Apply()
	if err != nil || r.IsIO() {
		// Bug: the lock stays held while the apply waits.
		return rt.Forward[int](r, err)
	}
	l.taken = false
	l.mu.Unlock()
	return rt.Done(r.Value()), nil
}

// TryLease backs off when the lease is taken and never holds it at a yield.
type TryLease struct {
	mu      sync.Mutex
	F       *Follower
	Renewed int
}

// Mutex exposes the lease lock to tests.
func (l *TryLease) Mutex() *sync.Mutex { return &l.mu }

// Run renews the lease around the apply.
//
// quality: ok C10 TryLock with an explicit yield when busy; unlocked before the apply's yield
func (l *TryLease) Run() (rt.IOResult[int], error) {
	if !l.mu.TryLock() {
		// Re-entrancy: nothing was done; re-entry tries again.
		return rt.Yield[int](), nil
	}
	l.Renewed = l.F.Commit
	l.mu.Unlock()
	r, err := l.F.Apply()
	if err != nil || r.IsIO() {
		// Re-entrancy: the lock is released; Apply resumes itself.
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}
