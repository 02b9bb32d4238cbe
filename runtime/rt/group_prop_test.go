package rt

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"
)

// pnode is one node of a random completion tree: a leaf write completion or
// a group of nodes. It carries the real objects and a reference model of
// the group semantics of docs/runtime.md §4 to compare against.
type pnode struct {
	id       int
	leaf     bool
	children []*pnode
	parent   *pnode

	c     *Completion // leaf completion, or the built group completion
	g     *Group      // groups only
	calls atomic.Int32
	cbErr atomic.Pointer[error]

	// reference model
	mBuilt    bool
	mFinished bool
	mErr      error
	mRec      error
	mPending  int
	mLinked   []*pnode
	mParent   *pnode // the group this node is linked to
}

type ptree struct {
	nodes  []*pnode
	leaves []*pnode
	groups []*pnode // post-order: children before parents
}

func genTree(t *rapid.T, tr *ptree, depth int) *pnode {
	n := &pnode{id: len(tr.nodes)}
	tr.nodes = append(tr.nodes, n)
	if depth > 0 && rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("kind%d", n.id)) == 0 || depth == 3 {
		n.leaf = true
		n.c = NewWrite(func(_ int, err error) {
			n.calls.Add(1)
			n.cbErr.Store(&err)
		})
		tr.leaves = append(tr.leaves, n)
		return n
	}
	k := rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("width%d", n.id))
	for i := 0; i < k; i++ {
		ch := genTree(t, tr, depth+1)
		ch.parent = n
		n.children = append(n.children, ch)
	}
	n.g = NewGroup(func(err error) {
		n.calls.Add(1)
		n.cbErr.Store(&err)
		// A group finishes only when all its children have finished.
		for _, ch := range n.children {
			if !ch.c.Finished() {
				panic(fmt.Sprintf("group %d callback ran before child %d finished", n.id, ch.id))
			}
		}
	})
	tr.groups = append(tr.groups, n)
	return n
}

// Reference model.

func (n *pnode) modelFinishLeaf(err error) {
	if n.mFinished {
		return
	}
	n.mFinished, n.mErr = true, err
	if n.mParent != nil {
		n.mParent.modelNotify(err)
	}
}

func (n *pnode) modelNotify(err error) {
	if err != nil && n.mRec == nil {
		n.mRec = err
	}
	n.mPending--
	if n.mPending == 0 {
		n.modelFinishGroup()
	}
}

func (n *pnode) modelFinishGroup() {
	n.mFinished, n.mErr = true, n.mRec
	if n.mParent != nil {
		n.mParent.modelNotify(n.mErr)
	}
}

func (n *pnode) modelAbort() {
	if n.leaf {
		n.modelFinishLeaf(ErrAborted)
		return
	}
	if n.mFinished {
		return
	}
	if n.mRec == nil {
		n.mRec = ErrAborted
	}
	for _, ch := range append([]*pnode(nil), n.mLinked...) {
		ch.modelAbort()
	}
}

func (n *pnode) modelBuild() {
	n.mBuilt = true
	for _, ch := range n.children {
		if ch.mFinished {
			if ch.mErr != nil && n.mRec == nil {
				n.mRec = ch.mErr
			}
			continue
		}
		ch.mParent = n
		n.mPending++
		n.mLinked = append(n.mLinked, ch)
	}
	if n.mPending == 0 {
		n.modelFinishGroup()
	}
}

// Real actions.

func (n *pnode) build(t *rapid.T) {
	for _, ch := range n.children {
		if err := n.g.Add(ch.c); err != nil {
			t.Fatalf("group %d: Add(child %d): %v", n.id, ch.id, err)
		}
	}
	n.c = n.g.Build()
}

func (tr *ptree) check(t *rapid.T, when string) {
	for _, n := range tr.nodes {
		if n.c == nil {
			continue
		}
		if got := n.c.Finished(); got != n.mFinished {
			t.Fatalf("%s: node %d finished=%v, model says %v", when, n.id, got, n.mFinished)
		}
		if got := n.c.Err(); got != n.mErr {
			t.Fatalf("%s: node %d err=%v, model says %v", when, n.id, got, n.mErr)
		}
		if got := n.c.Failed(); got != (n.mFinished && n.mErr != nil) {
			t.Fatalf("%s: node %d Failed()=%v disagrees with the model", when, n.id, got)
		}
		want := int32(0)
		if n.mFinished {
			want = 1
		}
		if got := n.calls.Load(); got != want {
			t.Fatalf("%s: node %d callback ran %d times, want %d", when, n.id, got, want)
		}
		if n.mFinished {
			if got := *n.cbErr.Load(); got != n.mErr {
				t.Fatalf("%s: node %d callback got %v, outcome %v", when, n.id, got, n.mErr)
			}
		}
		if !n.leaf {
			if p := n.c.group.pending.Load(); p < 0 {
				t.Fatalf("%s: group %d pending count underflowed to %d", when, n.id, p)
			}
		}
	}
}

// TestPropGroupTreesSequential interleaves, in a random order, builds of
// groups (bottom-up), completions and failures of leaves, Group.Cancel and
// Abort of group completions, and compares every node with the reference
// model after every action: finished exactly when the model says (a group
// finishes exactly when all its linked children have), the first error
// wins, every callback runs exactly once, already-finished and
// already-failed children are accounted for at build, no underflow.
func TestPropGroupTreesSequential(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tr := &ptree{}
		genTree(t, tr, 0)
		for step := 0; ; step++ {
			var actions []func()
			var names []string
			for _, l := range tr.leaves {
				if !l.mFinished {
					l := l
					actions = append(actions, func() { l.c.Complete(1); l.modelFinishLeaf(nil) })
					names = append(names, fmt.Sprintf("complete %d", l.id))
					err := fmt.Errorf("leaf %d failed", l.id)
					actions = append(actions, func() { l.c.Fail(err); l.modelFinishLeaf(err) })
					names = append(names, fmt.Sprintf("fail %d", l.id))
				}
			}
			for _, g := range tr.groups {
				g := g
				if !g.mBuilt {
					ready := true
					for _, ch := range g.children {
						if !ch.leaf && !ch.mBuilt {
							ready = false
						}
					}
					if ready {
						actions = append(actions, func() { g.build(t); g.modelBuild() })
						names = append(names, fmt.Sprintf("build %d", g.id))
					}
					continue
				}
				if !g.mFinished {
					actions = append(actions, func() {
						g.g.Cancel()
						for _, ch := range g.children {
							ch.modelAbort()
						}
					})
					names = append(names, fmt.Sprintf("cancel %d", g.id))
					actions = append(actions, func() { g.c.Abort(); g.modelAbort() })
					names = append(names, fmt.Sprintf("abort %d", g.id))
				}
			}
			if len(actions) == 0 {
				break
			}
			i := rapid.IntRange(0, len(actions)-1).Draw(t, fmt.Sprintf("action%d", step))
			actions[i]()
			tr.check(t, names[i])
		}
		for _, n := range tr.nodes {
			if !n.c.Finished() {
				t.Fatalf("node %d never finished", n.id)
			}
			if !n.leaf && n.c.group.pending.Load() != 0 {
				t.Fatalf("group %d pending=%d at the end", n.id, n.c.group.pending.Load())
			}
		}
	})
}

// TestPropGroupTreesConcurrent builds a random tree (some leaves finished
// or failed before their group is built), then finishes the remaining
// leaves from several goroutines in random orders, with random errors,
// random Group.Cancel and random Abort of group completions. Every callback runs exactly once, every group
// finishes, a group callback sees all its children finished (checked inside
// the callback), a group succeeds only if every child succeeded and fails if
// any child failed, and its error is one of theirs (or ErrAborted).
func TestPropGroupTreesConcurrent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tr := &ptree{}
		genTree(t, tr, 0)
		for _, l := range tr.leaves {
			switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("pre%d", l.id)) {
			case 0:
				l.c.Complete(1)
			case 1:
				l.c.Fail(fmt.Errorf("leaf %d failed early", l.id))
			}
		}
		for _, g := range tr.groups {
			g.build(t)
		}
		const workers = 3
		plans := make([][]func(), workers)
		for _, l := range tr.leaves {
			w := rapid.IntRange(0, workers-1).Draw(t, fmt.Sprintf("worker%d", l.id))
			l := l
			if rapid.Bool().Draw(t, fmt.Sprintf("fails%d", l.id)) {
				err := fmt.Errorf("leaf %d failed", l.id)
				plans[w] = append(plans[w], func() { l.c.Fail(err) })
			} else {
				plans[w] = append(plans[w], func() { l.c.Complete(1) })
			}
		}
		for _, g := range tr.groups {
			if rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("cancel%d", g.id)) == 0 {
				w := rapid.IntRange(0, workers-1).Draw(t, fmt.Sprintf("cancelWorker%d", g.id))
				g := g
				plans[w] = append(plans[w], func() { g.g.Cancel() })
			}
			if rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("abort%d", g.id)) == 0 {
				w := rapid.IntRange(0, workers-1).Draw(t, fmt.Sprintf("abortWorker%d", g.id))
				g := g
				plans[w] = append(plans[w], func() { g.c.Abort() })
			}
		}
		for w := range plans {
			plans[w] = rapid.Permutation(plans[w]).Draw(t, fmt.Sprintf("order%d", w))
		}
		var wg sync.WaitGroup
		for _, plan := range plans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, f := range plan {
					f()
				}
			}()
		}
		wg.Wait()
		for _, n := range tr.nodes {
			if !n.c.Finished() {
				t.Fatalf("node %d never finished", n.id)
			}
			if got := n.calls.Load(); got != 1 {
				t.Fatalf("node %d callback ran %d times", n.id, got)
			}
			if n.leaf {
				continue
			}
			if p := n.c.group.pending.Load(); p != 0 {
				t.Fatalf("group %d pending=%d at the end", n.id, p)
			}
			err := n.c.Err()
			anyFailed := false
			fromChild := false
			for _, ch := range n.children {
				if ce := ch.c.Err(); ce != nil {
					anyFailed = true
					if ce == err {
						fromChild = true
					}
				}
			}
			if anyFailed && err == nil {
				t.Fatalf("group %d succeeded although a child failed", n.id)
			}
			if err != nil && !fromChild && !errors.Is(err, ErrAborted) {
				t.Fatalf("group %d error %v is not a child's error", n.id, err)
			}
			if *n.cbErr.Load() != err {
				t.Fatalf("group %d callback got %v, outcome %v", n.id, *n.cbErr.Load(), err)
			}
		}
	})
}
