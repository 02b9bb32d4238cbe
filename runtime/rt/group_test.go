package rt

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// groupProbe records the group callback's invocations.
type groupProbe struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (p *groupProbe) cb(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	p.err = err
}

func (p *groupProbe) get() (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls, p.err
}

func TestEmptyGroupIsAnAlreadySucceededOrdinaryCompletion(t *testing.T) {
	var p groupProbe
	gc := NewGroup(p.cb).Build()
	calls, err := p.get()
	assert.Equal(t, 1, calls, "callback runs synchronously inside Build")
	assert.NoError(t, err)
	assert.False(t, gc.IsExplicitYield(), "not the yield sentinel")
	assert.Equal(t, KindGroup, gc.Kind())
	assert.True(t, gc.Finished())
	assert.True(t, gc.Succeeded())
	assert.False(t, gc.Failed())
}

func TestGroupAllChildrenAlreadySucceeded(t *testing.T) {
	var p groupProbe
	g := NewGroup(p.cb)
	a, b := NewWrite(nil), NewSync(nil)
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	a.Complete(1)
	b.Complete(0)
	gc := g.Build()
	assert.True(t, gc.Succeeded())
	calls, _ := p.get()
	assert.Equal(t, 1, calls)
}

func TestGroupWaitsForAllAndFirstErrorWins(t *testing.T) {
	var p groupProbe
	g := NewGroup(p.cb)
	a, b, c := NewWrite(nil), NewWrite(nil), NewWrite(nil)
	for _, x := range []*Completion{a, b, c} {
		require.NoError(t, g.Add(x))
	}
	gc := g.Build()
	first, second := errors.New("first"), errors.New("second")
	b.Fail(first)
	assert.False(t, gc.Finished(), "a failing child does not end the group early")
	c.Fail(second)
	assert.False(t, gc.Finished())
	calls, _ := p.get()
	assert.Zero(t, calls)
	a.Complete(1)
	assert.True(t, gc.Finished())
	assert.True(t, gc.Failed())
	assert.False(t, gc.Succeeded())
	assert.Same(t, first, gc.Err())
	calls, err := p.get()
	assert.Equal(t, 1, calls)
	assert.Same(t, first, err)
}

func TestGroupAlreadyFailedChildAtBuildStillWaitsForPending(t *testing.T) {
	var p groupProbe
	g := NewGroup(p.cb)
	pending, failed, later := NewWrite(nil), NewWrite(nil), NewWrite(nil)
	require.NoError(t, g.Add(pending))
	require.NoError(t, g.Add(failed))
	require.NoError(t, g.Add(later))
	boom := errors.New("boom")
	failed.Fail(boom)
	gc := g.Build()
	assert.False(t, gc.Finished(), "uniform build-time failure: wait for every linked child")
	pending.Complete(1)
	assert.False(t, gc.Finished(), "children after the failed one are linked too")
	later.Complete(1)
	require.True(t, gc.Finished())
	assert.True(t, gc.Failed(), "Failed reads the same cell as Err (Rust problem 3)")
	assert.Same(t, boom, gc.Err())
	calls, err := p.get()
	assert.Equal(t, 1, calls)
	assert.Same(t, boom, err)
	// Late completions do not disturb the finished group.
	later.Fail(errors.New("late"))
	assert.Same(t, boom, gc.Err())
	assert.EqualValues(t, 0, gc.group.pending.Load(), "no underflow")
}

func TestGroupCancelBeforeBuild(t *testing.T) {
	g := NewGroup(nil)
	done, pending := NewWrite(nil), NewWrite(nil)
	require.NoError(t, g.Add(done))
	require.NoError(t, g.Add(pending))
	done.Complete(2)
	g.Cancel()
	assert.True(t, done.Succeeded(), "a child that already succeeded stays successful")
	assert.ErrorIs(t, pending.Err(), ErrAborted)
	gc := g.Build()
	assert.True(t, gc.Finished())
	assert.ErrorIs(t, gc.Err(), ErrAborted)
}

func TestGroupCancelAfterBuild(t *testing.T) {
	g := NewGroup(nil)
	a, b := NewWrite(nil), NewWrite(nil)
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	gc := g.Build()
	g.Cancel()
	assert.True(t, gc.Finished())
	assert.ErrorIs(t, gc.Err(), ErrAborted)
}

func TestAbortPendingGroupAbortsLinkedChildren(t *testing.T) {
	var p groupProbe
	g := NewGroup(p.cb)
	a, b := NewWrite(nil), NewWrite(nil)
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	a.Complete(1)
	gc := g.Build()
	gc.Abort() // must not panic (Rust asserts here)
	assert.True(t, a.Succeeded())
	assert.ErrorIs(t, b.Err(), ErrAborted)
	assert.True(t, gc.Finished())
	assert.ErrorIs(t, gc.Err(), ErrAborted)
	calls, _ := p.get()
	assert.Equal(t, 1, calls)

	custom := errors.New("shutdown")
	g2 := NewGroup(nil)
	c := NewWrite(nil)
	require.NoError(t, g2.Add(c))
	gc2 := g2.Build()
	gc2.Fail(custom)
	assert.Same(t, custom, gc2.Err(), "the group reports the error it was aborted with")
	assert.ErrorIs(t, c.Err(), ErrAborted)

	// Complete on a group completion is a no-op; Abort after finish too.
	g3 := NewGroup(nil)
	d := NewWrite(nil)
	require.NoError(t, g3.Add(d))
	gc3 := g3.Build()
	gc3.Complete(1)
	assert.False(t, gc3.Finished())
	d.Complete(1)
	gc3.Abort()
	assert.True(t, gc3.Succeeded())
}

func TestChildCallbackMayAbortItsOwnGroup(t *testing.T) {
	var gc *Completion
	g := NewGroup(nil)
	a := NewWrite(func(_ int, err error) {
		if err != nil {
			gc.Abort() // fail fast: must not deadlock on a's own once
		}
	})
	b := NewWrite(nil)
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	gc = g.Build()
	boom := errors.New("boom")
	a.Fail(boom)
	assert.ErrorIs(t, b.Err(), ErrAborted)
	require.True(t, gc.Finished())
	// The abort was recorded while a was still inside its callback, before
	// a's own failure reached the group: the group reports the abort.
	assert.ErrorIs(t, gc.Err(), ErrAborted)
	assert.Same(t, boom, a.Err())
}

func TestGroupLinkOnce(t *testing.T) {
	c := NewWrite(nil)
	g1, g2 := NewGroup(nil), NewGroup(nil)
	require.NoError(t, g1.Add(c))
	assert.ErrorIs(t, g1.Add(c), ErrLinkedTwice, "twice in one group")
	assert.Len(t, g1.Completions(), 1)
	// The link is made at Build: an unbuilt group claims nothing, so a
	// second unbuilt group may add c too; whichever builds first links it.
	require.NoError(t, g2.Add(c), "a second unbuilt group")
	gc1 := g1.Build()
	gc2 := g2.Build()
	require.True(t, gc2.Failed(), "the group that built second cannot link c")
	assert.ErrorIs(t, gc2.Err(), ErrLinkedTwice)
	assert.False(t, gc1.Finished())

	// B24: rebuilding a new group over the same pending children on
	// re-entry is reported as an error, not a crash.
	g3 := NewGroup(nil)
	assert.ErrorIs(t, g3.Add(c), ErrLinkedTwice)
	c.Complete(1)
	assert.True(t, gc1.Succeeded())

	// Finished children and the sentinel are never linked.
	g4 := NewGroup(nil)
	f := NewWrite(nil)
	f.Complete(1)
	require.NoError(t, g3.Add(f))
	require.NoError(t, g4.Add(f))
	require.NoError(t, g4.Add(f), "a finished child may even be added twice")
	require.NoError(t, g3.Add(YieldCompletion()))
	require.NoError(t, g4.Add(YieldCompletion()))
	assert.True(t, g3.Build().Succeeded())
	assert.True(t, g4.Build().Succeeded())
	assert.ErrorIs(t, NewGroup(nil).Add(nil), ErrNilCompletion)
}

func TestGroupBuildIsMemoizedAndAddAfterBuildFails(t *testing.T) {
	var p groupProbe
	g := NewGroup(p.cb)
	c := NewWrite(nil)
	require.NoError(t, g.Add(c))
	gc := g.Build()
	assert.Same(t, gc, g.Build())
	assert.ErrorIs(t, g.Add(NewWrite(nil)), ErrGroupBuilt)
	c.Complete(1)
	assert.True(t, gc.Succeeded())
	calls, _ := p.get()
	assert.Equal(t, 1, calls)
	e := NewGroup(p.cb)
	assert.Same(t, e.Build(), e.Build())
}

func TestGroupCompletionsIsACopy(t *testing.T) {
	g := NewGroup(nil)
	a, b := NewWrite(nil), NewWrite(nil)
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	cs := g.Completions()
	require.Equal(t, []*Completion{a, b}, cs)
	cs[0] = nil
	assert.Same(t, a, g.Completions()[0])
}

func TestNestedGroups(t *testing.T) {
	var inner, outer groupProbe
	leafA, leafB, leafC := NewWrite(nil), NewWrite(nil), NewWrite(nil)
	ig := NewGroup(inner.cb)
	require.NoError(t, ig.Add(leafA))
	require.NoError(t, ig.Add(leafB))
	igc := ig.Build()
	og := NewGroup(outer.cb)
	require.NoError(t, og.Add(igc))
	require.NoError(t, og.Add(leafC))
	ogc := og.Build()
	leafC.Complete(1)
	leafA.Complete(1)
	assert.False(t, igc.Finished())
	assert.False(t, ogc.Finished())
	boom := errors.New("boom")
	leafB.Fail(boom)
	assert.True(t, igc.Finished())
	assert.True(t, ogc.Finished())
	assert.Same(t, boom, igc.Err())
	assert.Same(t, boom, ogc.Err(), "errors climb nested groups")
	ci, _ := inner.get()
	co, _ := outer.get()
	assert.Equal(t, 1, ci)
	assert.Equal(t, 1, co)

	// Aborting the outer group aborts the inner group's children.
	x := NewWrite(nil)
	ig2 := NewGroup(nil)
	require.NoError(t, ig2.Add(x))
	og2 := NewGroup(nil)
	require.NoError(t, og2.Add(ig2.Build()))
	ogc2 := og2.Build()
	ogc2.Abort()
	assert.ErrorIs(t, x.Err(), ErrAborted)
	assert.True(t, ogc2.Finished())
}

func TestGroupCallbackSeesAllChildrenFinished(t *testing.T) {
	a, b := NewWrite(nil), NewWrite(nil)
	var ok atomic.Bool
	g := NewGroup(func(error) { ok.Store(a.Finished() && b.Finished()) })
	require.NoError(t, g.Add(a))
	require.NoError(t, g.Add(b))
	gc := g.Build()
	go a.Complete(1)
	b.Complete(1)
	<-gc.Done()
	assert.True(t, ok.Load())
}

func TestGroupCallbackMayInspectGroup(t *testing.T) {
	var g *Group
	var n int
	g = NewGroup(func(error) { n = len(g.Completions()) })
	require.NoError(t, g.Add(NewWrite(nil)))
	cs := g.Completions()
	cs[0].Complete(1)
	g.Build() // callback runs inside Build and must not deadlock on the group
	assert.Equal(t, 1, n)
}

// TestGroupBuildRacesWithCompletion pins the atomic link-or-report
// requirement: children finishing on other goroutines while Build runs are
// never lost (Rust problem 2), and the count never underflows (problem 1).
func TestGroupBuildRacesWithCompletion(t *testing.T) {
	const children = 16
	for round := 0; round < 200; round++ {
		var p groupProbe
		g := NewGroup(p.cb)
		cs := make([]*Completion, children)
		for i := range cs {
			cs[i] = NewWrite(nil)
			require.NoError(t, g.Add(cs[i]))
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, c := range cs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if i == 7 {
					c.Fail(ErrAborted)
				} else {
					c.Complete(i)
				}
			}()
		}
		close(start)
		gc := g.Build()
		wg.Wait()
		select {
		case <-gc.Done():
		default:
			t.Fatalf("round %d: group not finished after all children finished", round)
		}
		assert.ErrorIs(t, gc.Err(), ErrAborted)
		calls, _ := p.get()
		assert.Equal(t, 1, calls)
		assert.EqualValues(t, 0, gc.group.pending.Load())
	}
}

func TestGroupConcurrentBuildAndDone(t *testing.T) {
	for round := 0; round < 50; round++ {
		var p groupProbe
		g := NewGroup(p.cb)
		kids := []*Completion{NewWrite(nil), NewRead(make([]byte, 1), nil), NewSync(nil)}
		for _, k := range kids {
			require.NoError(t, g.Add(k))
		}
		built := make(chan *Completion, 4)
		for i := 0; i < 4; i++ {
			go func() {
				gc := g.Build()
				<-gc.Done()
				built <- gc
			}()
		}
		for _, k := range kids {
			go k.Complete(1)
		}
		first := <-built
		for i := 1; i < 4; i++ {
			assert.Same(t, first, <-built, "Build is memoized across goroutines")
		}
		assert.True(t, first.Succeeded())
		calls, _ := p.get()
		assert.Equal(t, 1, calls)
	}
}

func TestCancelFromCallbacksDoesNotDeadlock(t *testing.T) {
	t.Run("child callback cancels its group", func(t *testing.T) {
		g := NewGroup(nil)
		a := NewWrite(func(_ int, err error) {
			if err != nil {
				g.Cancel()
			}
		})
		b := NewWrite(nil)
		require.NoError(t, g.Add(a))
		require.NoError(t, g.Add(b))
		gc := g.Build()
		a.Fail(errors.New("boom"))
		assert.ErrorIs(t, b.Err(), ErrAborted)
		assert.True(t, gc.Failed())
	})
	t.Run("group callback cancels and aborts", func(t *testing.T) {
		var g *Group
		var gc *Completion
		g = NewGroup(func(error) {
			g.Cancel()
			gc.Abort()
			for _, c := range g.Completions() {
				c.Abort()
				c.Complete(1)
			}
		})
		a := NewWrite(nil)
		require.NoError(t, g.Add(a))
		gc = g.Build()
		a.Complete(1)
		assert.True(t, a.Succeeded())
		assert.True(t, gc.Succeeded())
	})
}
