package rt

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestResetZeroValue(t *testing.T) {
	var c Completion
	assert.ErrorIs(t, c.Reset(), ErrNotResettable, "a zero completion has no kind to keep")
	buf := make([]byte, 2)
	var got int
	require.NoError(t, c.ResetRead(buf, func(_ []byte, n int, err error) error {
		if err == nil {
			got = n
		}
		return nil
	}))
	assert.Equal(t, KindRead, c.Kind())
	assert.Equal(t, uint64(1), c.Generation())
	assert.False(t, c.Finished())
	buf[0] = 9
	assert.Equal(t, byte(9), c.Buffer()[0], "the buffer given to ResetRead")
	c.Complete(2)
	assert.True(t, c.Succeeded())
	assert.Equal(t, 2, got)
}

func TestResetRefusals(t *testing.T) {
	pending := NewWrite(nil)
	assert.ErrorIs(t, pending.Reset(), ErrCompletionBusy)
	assert.ErrorIs(t, pending.ResetSync(nil), ErrCompletionBusy)
	assert.Equal(t, KindWrite, pending.Kind(), "a refused reset changes nothing")
	assert.Equal(t, uint64(0), pending.Generation())

	submitted := NewWrite(nil)
	require.NoError(t, submitted.MarkSubmitted())
	assert.ErrorIs(t, submitted.Reset(), ErrCompletionBusy, "submitted, not finished")
	assert.True(t, submitted.Submitted())

	assert.ErrorIs(t, YieldCompletion().Reset(), ErrNotResettable)
	assert.ErrorIs(t, YieldCompletion().ResetWrite(nil), ErrNotResettable)
	assert.True(t, YieldCompletion().Finished(), "the sentinel is untouched")
	g := NewGroup(nil).Build()
	require.True(t, g.Finished())
	assert.ErrorIs(t, g.Reset(), ErrNotResettable)
	assert.ErrorIs(t, g.ResetRead(nil, nil), ErrNotResettable)
}

// A reset drops the old outcome, claim and callback, and the next
// operation runs the new callback exactly once.
func TestResetStartsAFreshOperation(t *testing.T) {
	var first, second int
	c := NewWrite(func(int, error) { first++ })
	require.NoError(t, c.MarkSubmitted())
	c.Fail(errors.New("boom"))
	require.True(t, c.Failed())

	require.NoError(t, c.ResetSync(func(n int, err error) {
		if err == nil {
			second += n
		}
	}))
	assert.Equal(t, KindSync, c.Kind())
	assert.False(t, c.Finished())
	assert.False(t, c.Failed())
	assert.NoError(t, c.Err())
	assert.Zero(t, c.N())
	assert.False(t, c.Submitted(), "the claim belonged to the old operation")
	assert.Equal(t, "rt.Completion(sync, pending)", c.String())
	require.NoError(t, c.MarkSubmitted(), "the new operation may be submitted")
	c.Complete(3)
	c.Complete(4)
	assert.Equal(t, 1, first)
	assert.Equal(t, 3, second, "callback once, first outcome wins")

	// Reset keeps kind and callback.
	require.NoError(t, c.Reset())
	c.Complete(5)
	assert.Equal(t, KindSync, c.Kind())
	assert.Equal(t, 8, second)
	assert.Equal(t, uint64(2), c.Generation())
}

// A backend's ticket for an operation that was aborted and recycled is
// stale: it cannot finish the next operation, and its queries describe the
// old one.
func TestStaleTicketCannotFinishTheNextOperation(t *testing.T) {
	calls := 0
	c := NewWrite(func(int, error) { calls++ })
	old, err := c.Claim()
	require.NoError(t, err)
	assert.True(t, old.Current())
	assert.Same(t, c, old.Completion())
	c.Abort() // the caller gives up while the backend holds the ticket
	require.NoError(t, c.Reset(), "a Claim backend finishes by ticket, so reuse is safe")
	assert.False(t, old.Current())
	assert.True(t, old.Finished(), "a stale ticket's operation has finished")
	assert.False(t, old.Succeeded(), "its outcome is gone")

	old.Complete(7)
	old.Fail(errors.New("late"))
	old.Abort()
	assert.False(t, c.Finished(), "the late finish did not land on the next operation")
	assert.Equal(t, 1, calls)

	cur, err := c.Claim()
	require.NoError(t, err)
	assert.Equal(t, uint64(1), cur.Generation())
	cur.Complete(2)
	assert.True(t, cur.Succeeded())
	assert.Equal(t, 2, c.N())
	assert.Equal(t, 2, calls)

	var zero Ticket
	assert.Nil(t, zero.Completion())
	assert.False(t, zero.Current())
	assert.True(t, zero.Finished())
	assert.False(t, zero.Succeeded())
	zero.Complete(1) // no-ops, no panic
	zero.Fail(nil)
	zero.Abort()
}

// A MarkSubmitted backend holds the bare pointer, so a completion aborted
// under it is never reused; one that it finished itself is.
func TestLegacyClaimAbortedInFlightIsRetired(t *testing.T) {
	c := NewWrite(nil)
	require.NoError(t, c.MarkSubmitted())
	c.Abort()
	assert.ErrorIs(t, c.Reset(), ErrCompletionBusy)
	assert.ErrorIs(t, c.ResetWrite(nil), ErrCompletionBusy, "for good")
	c.Complete(1) // the backend's late finish: still the old, aborted operation
	assert.ErrorIs(t, c.Err(), ErrAborted)

	d := NewWrite(nil)
	require.NoError(t, d.MarkSubmitted())
	d.Complete(1) // the backend delivered
	require.NoError(t, d.Reset())

	// An abort of a completion that no backend claimed does not retire it.
	e := NewEvent(nil)
	e.Abort()
	require.NoError(t, e.Reset())
}

// The same misuse through the package's deferring test backend: a queued
// read is cancelled, its completion recycled and submitted again; the
// stale queue entry does not finish the new read.
func TestRecycledWhileQueuedInBackend(t *testing.T) {
	fio := newFakeIO(true)
	f, err := fio.Open("f", OpenCreate)
	require.NoError(t, err)
	w, err := f.WriteAt([]byte("abc"), 0, NewWrite(nil))
	require.NoError(t, err)
	require.NoError(t, fio.Wait(context.Background(), w))

	var c Completion
	var seen []byte
	cb := func(buf []byte, n int, err error) error {
		if err == nil {
			seen = append(seen, buf[:n]...)
		}
		return nil
	}
	require.NoError(t, c.ResetRead(make([]byte, 1), cb))
	_, err = f.ReadAt(&c, 0)
	require.NoError(t, err)
	fio.Cancel([]*Completion{&c})
	require.ErrorIs(t, c.Err(), ErrAborted)
	require.NoError(t, c.ResetRead(make([]byte, 1), cb))
	_, err = f.ReadAt(&c, 2)
	require.NoError(t, err)
	assert.Equal(t, 2, fio.Pending(), "the stale entry and the new one")
	require.NoError(t, fio.Step(context.Background()))
	require.True(t, c.Succeeded())
	assert.Equal(t, []byte("c"), seen, "only the new read's callback ran")
}

func TestResetDoneChannels(t *testing.T) {
	c := NewWrite(nil)
	oldDone := c.Done() // a waiter: publish and Reset take the lock
	c.Complete(1)
	<-oldDone
	require.NoError(t, c.Reset())
	newDone := c.Done()
	select {
	case <-newDone:
		t.Fatal("the new operation's channel is closed before it finished")
	default:
	}
	select {
	case <-oldDone:
	default:
		t.Fatal("the old channel reopened")
	}
	c.Complete(1)
	<-newDone

	// Finished without a waiter: Done is the shared closed channel.
	require.NoError(t, c.Reset())
	c.Complete(1)
	<-c.Done()
}

// Groups hold children by generation: a child recycled after it finished
// is not aborted by the group's Cancel or by a failing sibling, and a child
// recycled between Add and Build fails the group with ErrStaleCompletion.
func TestGroupsAndRecycledChildren(t *testing.T) {
	a, b := NewWrite(nil), NewWrite(nil)
	g := NewGroup(nil)
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	gc := g.Build()
	a.Complete(1)
	require.NoError(t, a.Reset(), "linked, finished: resettable")
	g.Cancel()
	assert.False(t, a.Finished(), "Cancel did not reach a's next operation")
	assert.ErrorIs(t, b.Err(), ErrAborted)
	assert.ErrorIs(t, gc.Err(), ErrAborted)
	a.Complete(2)

	c, d := NewWrite(nil), NewWrite(nil)
	h := NewGroup(nil)
	require.NoError(t, h.Add(c))
	require.NoError(t, h.Add(d))
	hc := h.Build()
	c.Complete(1)
	require.NoError(t, c.Reset())
	hc.Fail(errors.New("stop"))
	assert.False(t, c.Finished(), "the group abort did not reach c's next operation")
	assert.ErrorIs(t, d.Err(), ErrAborted)
	assert.True(t, hc.Failed())
	c.Complete(1)

	// The recycled child may join another group.
	k := NewGroup(nil)
	require.NoError(t, c.Reset())
	require.NoError(t, k.Add(c))
	kc := k.Build()
	c.Complete(1)
	assert.True(t, kc.Succeeded())

	e := NewWrite(nil)
	s := NewGroup(nil)
	require.NoError(t, s.Add(e))
	e.Complete(1)
	require.NoError(t, e.Reset())
	sc := s.Build()
	assert.ErrorIs(t, sc.Err(), ErrStaleCompletion)
	assert.False(t, e.Finished(), "the new operation is not the group's")
}

func TestResetAfterCallbackPanic(t *testing.T) {
	c := NewWrite(func(int, error) { panic("cb") })
	assert.Panics(t, func() { c.Complete(1) })
	var pe *CallbackPanicError
	require.ErrorAs(t, c.Err(), &pe)
	require.NoError(t, c.ResetWrite(nil))
	c.Complete(1)
	assert.True(t, c.Succeeded())
}

// Reusing a completion allocates nothing, through a submission and a
// finish on the inline test backend.
func TestReuseDoesNotAllocate(t *testing.T) {
	fio := newFakeIO(false)
	f, err := fio.Open("f", OpenCreate)
	require.NoError(t, err)
	var c Completion
	buf := []byte("x")
	allocs := testing.AllocsPerRun(100, func() {
		if err := c.ResetWrite(nil); err != nil {
			panic(err)
		}
		if _, err := f.WriteAt(buf, 0, &c); err != nil || !c.Succeeded() {
			panic(fmt.Sprint(err, c.String()))
		}
	})
	assert.Zero(t, allocs)
}

// Property: any sequence of resets, claims, finishes (direct, by current
// ticket, by stale ticket) and observations of one completion agrees with a
// model in which each generation finishes at most once, with the first
// finisher's outcome, runs its callback exactly when it finishes, and is
// never touched by another generation's ticket.
func TestPropReuseSequences(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		type model struct {
			gen                         uint64
			unused, finished, submitted bool
			legacy, retired             bool
			n                           int
			err                         error
		}
		var c Completion
		m := model{unused: true}
		calls := map[uint64]int{}
		var tickets []Ticket
		errs := []error{errors.New("e0"), errors.New("e1")}
		finish := func(gen uint64, n int, err error, abort bool) {
			if gen != m.gen || m.finished {
				return
			}
			m.unused = false
			m.finished, m.n, m.err = true, n, err
			if err != nil {
				m.n = 0
			}
			if abort && m.legacy && m.submitted {
				m.retired = true
			}
		}
		steps := rapid.IntRange(1, 40).Draw(t, "steps")
		for i := range steps {
			switch op := rapid.IntRange(0, 7).Draw(t, fmt.Sprint("op", i)); op {
			case 0: // reset to a random kind
				kind := rapid.IntRange(0, 3).Draw(t, fmt.Sprint("kind", i))
				cb := func(int, error) { calls[c.Generation()]++ }
				var err error
				switch kind {
				case 0:
					err = c.ResetRead(make([]byte, 1), func([]byte, int, error) error {
						calls[c.Generation()]++
						return nil
					})
				case 1:
					err = c.ResetWrite(cb)
				case 2:
					err = c.ResetEvent(cb)
				default:
					if m.gen == 0 { // the zero value has no kind for Reset to keep
						err = c.ResetSync(cb)
					} else {
						err = c.Reset()
					}
				}
				ok := m.unused || m.finished && !m.retired
				if ok != (err == nil) {
					t.Fatalf("reset: err %v, model allows %v (%+v)", err, ok, m)
				}
				if ok {
					m = model{gen: m.gen + 1}
				}
			case 1, 2: // claim by ticket, or MarkSubmitted
				var err error
				if op == 1 {
					var tk Ticket
					tk, err = c.Claim()
					if err == nil {
						tickets = append(tickets, tk)
					}
				} else {
					err = c.MarkSubmitted()
				}
				if m.submitted != errors.Is(err, ErrSubmittedTwice) {
					t.Fatalf("claim: err %v, submitted %v", err, m.submitted)
				}
				if !m.submitted {
					m.submitted, m.legacy, m.unused = true, op == 2, false
				}
			case 3: // an observer's ticket
				tickets = append(tickets, c.Ticket())
			case 4, 5, 6: // finish directly, or by a held ticket (maybe stale)
				how := rapid.IntRange(0, 2).Draw(t, fmt.Sprint("how", i))
				n := rapid.IntRange(0, 9).Draw(t, fmt.Sprint("n", i))
				err := errs[n%2]
				gen := m.gen
				var tk Ticket
				if op != 4 && len(tickets) > 0 {
					tk = tickets[rapid.IntRange(0, len(tickets)-1).Draw(t, fmt.Sprint("t", i))]
					gen = tk.Generation()
				} else {
					tk = Ticket{}
				}
				if tk.Completion() == nil {
					switch how {
					case 0:
						c.Complete(n)
					case 1:
						c.Fail(err)
					default:
						c.Abort()
					}
				} else {
					switch how {
					case 0:
						tk.Complete(n)
					case 1:
						tk.Fail(err)
					default:
						tk.Abort()
					}
				}
				switch how {
				case 0:
					finish(gen, n, nil, false)
				case 1:
					finish(gen, 0, err, false)
				default:
					finish(gen, 0, ErrAborted, true)
				}
			case 7: // nothing: just check
			}
			if c.Generation() != m.gen || c.Finished() != m.finished || c.Submitted() != m.submitted {
				t.Fatalf("state: gen %d finished %v submitted %v, model %+v", c.Generation(), c.Finished(), c.Submitted(), m)
			}
			if m.finished && (c.N() != m.n || !errors.Is(c.Err(), m.err) || c.Succeeded() != (m.err == nil)) {
				t.Fatalf("outcome: n %d err %v, model %+v", c.N(), c.Err(), m)
			}
			want := 0
			if m.finished && m.gen > 0 { // generation 0 is the zero value: no callback
				want = 1
			}
			if calls[m.gen] != want {
				t.Fatalf("generation %d ran its callback %d times (finished %v)", m.gen, calls[m.gen], m.finished)
			}
			for _, tk := range tickets {
				cur := tk.Generation() == m.gen
				if tk.Current() != cur || tk.Finished() != (!cur || m.finished) ||
					tk.Succeeded() != (cur && m.finished && m.err == nil) {
					t.Fatalf("ticket of generation %d disagrees with the model %+v", tk.Generation(), m)
				}
			}
		}
		for gen, k := range calls {
			if k > 1 {
				t.Fatalf("generation %d ran its callback %d times", gen, k)
			}
		}
	})
}

// Property, across goroutines: an owner recycles one completion for many
// operations; for each, a backend goroutine finishes it by ticket while
// racing finishers hold current and stale tickets and abort. Every
// generation runs its callback exactly once, with an outcome that one of
// its own finishers produced.
func TestPropReuseConcurrent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gens := rapid.IntRange(1, 12).Draw(t, "generations")
		racers := rapid.IntRange(0, 4).Draw(t, "racers")
		var c Completion
		var calls [16]atomic.Int32
		var outcome [16]atomic.Int64
		var stale []Ticket
		for g := range gens {
			err := c.ResetWrite(func(n int, err error) {
				gen := c.Generation() // the owner cannot reset while the callback runs
				calls[gen].Add(1)
				if err == nil {
					outcome[gen].Store(int64(n))
				} else {
					outcome[gen].Store(-1)
				}
			})
			if err != nil {
				t.Fatalf("generation %d: %v", g, err)
			}
			tk, err := c.Claim()
			if err != nil {
				t.Fatal(err)
			}
			gen := tk.Generation()
			var wg sync.WaitGroup
			start := make(chan struct{})
			spawn := func(f func()) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					f()
				}()
			}
			// Values at or above 100 mark this generation's finishers; a
			// stale ticket would complete with a smaller one.
			spawn(func() { tk.Complete(100 + int(gen)) })
			for r := range racers {
				switch r % 3 {
				case 0:
					spawn(tk.Abort)
				case 1:
					if len(stale) > 0 {
						old := stale[r%len(stale)]
						spawn(func() { old.Complete(int(old.Generation())) })
					}
				default:
					spawn(func() { tk.Complete(200 + int(gen)) })
				}
			}
			close(start)
			<-c.Done()
			wg.Wait()
			stale = append(stale, tk)
			if got := calls[gen].Load(); got != 1 {
				t.Fatalf("generation %d: callback ran %d times", gen, got)
			}
			switch o := outcome[gen].Load(); {
			case o == -1:
				if !errors.Is(c.Err(), ErrAborted) {
					t.Fatalf("generation %d: callback saw a failure, completion has %v", gen, c.Err())
				}
			case o == int64(100+gen) || o == int64(200+gen):
				if c.N() != int(o) {
					t.Fatalf("generation %d: callback saw %d, completion has %d", gen, o, c.N())
				}
			default:
				t.Fatalf("generation %d finished with %d, not one of its own finishers", gen, o)
			}
		}
	})
}

// Stale tickets used on another goroutine while the owner keeps resetting
// and finishing the completion: no data race (go test -race), and no stale
// finish ever lands on a later operation.
func TestStaleTicketsRaceWithReset(t *testing.T) {
	var c Completion
	var wrong atomic.Int32
	cb := func(n int, err error) {
		if err != nil || n != int(c.Generation()) {
			wrong.Add(1)
		}
	}
	stale := make(chan Ticket, 64)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var held []Ticket
		for {
			select {
			case tk := <-stale:
				held = append(held, tk)
			case <-stop:
				return
			default:
			}
			for _, tk := range held {
				tk.Complete(-1)
				tk.Abort()
				_ = tk.Finished()
				_ = tk.Succeeded()
			}
		}
	}()
	g := NewGroup(nil)
	require.NoError(t, c.ResetWrite(cb))
	require.NoError(t, g.Add(&c))
	g.Build()
	for range 500 {
		tk, err := c.Claim()
		require.NoError(t, err)
		tk.Complete(int(tk.Generation()))
		require.True(t, c.Succeeded(), "generation %d: %v", tk.Generation(), c.Err())
		// Never block on the channel: the other goroutine drains it
		// concurrently, so a full channel may be empty a moment later.
		select {
		case stale <- tk:
		default:
		}
		g.Cancel() // the group holds generation 1 only
		require.NoError(t, c.Reset())
	}
	close(stop)
	wg.Wait()
	assert.Zero(t, wrong.Load(), "a stale ticket finished a later operation")
}
