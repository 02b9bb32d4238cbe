package replay

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
)

const reachSrc = `package p

//reentrycheck:ioresult
type Result struct{ io bool }

func (r Result) IsIO() bool { return r.io }

type pos struct{ off int }

type S struct {
	pos  pos
	read int
}

func (s *S) sub() Result { return Result{} }

func mark(string) {}

func (s *S) Step(a, b bool) Result {
	p := s.pos
	p.off++
	if a {
		mark("writes")
		s.read++
		if r := s.sub(); r.IsIO() {
			return r
		}
	}
	if b {
		mark("keeps")
		s.pos = p
		if r := s.sub(); r.IsIO() {
			return r
		}
		return Result{}
	}
	mark("plain")
	if r := s.sub(); r.IsIO() {
		return r
	}
	s.pos = p
	return Result{}
}
`

// reachAnalysis prepares the analysis of src's S.Step up to its yields,
// the copy cell p, and the block of each mark.
func reachAnalysis(t *testing.T, src string) (*analysis, *ssa.Alloc, map[string]*ssa.BasicBlock) {
	t.Helper()
	p := ssatest.Build(t, src)
	fn := p.Func(t, "S.Step")
	o := ssatest.NewOracle(p)
	a := &analysis{fn: fn, o: o, cls: effect.New(fn, o), resIdx: o.IOResultIndexes(fn.Signature), spelling: yields.Result}
	a.tr = a.cls.Tracer
	a.live = ssax.Live(fn)
	a.findYields()
	require.NotEmpty(t, a.yields)
	var cell *ssa.Alloc
	marks := map[string]*ssa.BasicBlock{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if al, ok := instr.(*ssa.Alloc); ok && al.Comment == "p" {
				cell = al
			}
			if call, ok := instr.(*ssa.Call); ok && len(call.Call.Args) == 1 {
				if k, ok := call.Call.Args[0].(*ssa.Const); ok {
					marks[k.Value.ExactString()] = b
				}
			}
		}
	}
	require.NotNil(t, cell, "the copy is a cell")
	return a, cell, marks
}

// What the searches of one copy share: where it is kept, where a yield
// is reachable without keeping it, where a write is with such a yield
// after it.
func TestCopyReach(t *testing.T) {
	a, cell, marks := reachAnalysis(t, reachSrc)
	a.copies = newCopySearch(a)
	changes := a.copyChanges(cell)
	require.NotEmpty(t, changes, "p.off++ changes the copy")
	r := a.reachOf(cell, "s.pos", changes)
	require.NotNil(t, r)
	// Entered at a block's start, the tables and the scans agree.
	for _, b := range a.fn.Blocks {
		if !r.region[b.Index] {
			continue
		}
		assert.Equal(t, r.yieldAfter(a, b, 0), r.promising(a, b, 0, true), "block %d, consumed", b.Index)
		assert.Equal(t, r.writerAfter(a, b, 0), r.promising(a, b, 0, false), "block %d", b.Index)
	}
	at := func(label string) *ssa.BasicBlock {
		b := marks[`"`+label+`"`]
		require.NotNil(t, b, label)
		return b
	}
	writes, keeps, plain := at("writes"), at("keeps"), at("plain")

	assert.True(t, r.yield[writes.Index], "a yield follows the write")
	assert.True(t, r.writer[writes.Index], "the write, then a yield")
	assert.NotEmpty(t, r.keeps[keeps.Index], "the store of the copy keeps it")
	assert.False(t, r.yield[keeps.Index], "the copy is kept before the yield")
	assert.False(t, r.writer[keeps.Index], "the store that keeps it is no write that consumes")
	assert.True(t, r.yield[plain.Index], "a yield, then the copy is kept")
	assert.False(t, r.writer[plain.Index], "nothing is written before the yield")
	// The entry block initializes the copy, which keeps it (a copy made
	// afresh is no stale one): from the block's start nothing counts, from
	// after the initialization the write is reachable.
	entry := a.fn.Blocks[0]
	require.NotEmpty(t, r.keeps[entry.Index])
	assert.False(t, r.writer[entry.Index], "the initialization comes first")
	init := r.keeps[entry.Index][len(r.keeps[entry.Index])-1]
	assert.True(t, r.writerAfter(a, entry, init+1), "the write is reachable from the change")

	// Entering a block part way: after the write, only a yield is left.
	w := -1
	for i := range writes.Instrs {
		if len(a.written(writes, i)) > 0 {
			w = i
			break
		}
	}
	require.GreaterOrEqual(t, w, 0)
	assert.True(t, r.writerAfter(a, writes, w), "the write itself")
	assert.False(t, r.writerAfter(a, writes, w+1), "past the write")
	assert.True(t, r.promising(a, writes, w+1, true), "consumed: the yield is still ahead")
	assert.False(t, r.promising(a, plain, 0, false), "nothing to consume on this path")
}

// The searches of a function share one budget; past it, no copy is
// searched and nothing is reported.
func TestCopySearchBudget(t *testing.T) {
	a, cell, _ := reachAnalysis(t, reachSrc)
	a.copies = newCopySearch(a)
	assert.Equal(t, 32*ssax.Instrs(a.fn)+4096, a.copies.work, "32 visits per instruction")
	a.copies.work = len(a.fn.Blocks[0].Instrs) - 1
	assert.Nil(t, a.reachOf(cell, "s.pos", a.copyChanges(cell)), "the tables do not fit what is left")
	assert.Negative(t, a.copies.work)
}

// A copy made afresh at every step and kept soon after has a small
// region: its tables cover the blocks up to where it is kept, not the
// rest of the function.
func TestCopyReachRegion(t *testing.T) {
	a, cell, _ := reachAnalysis(t, `package p

//reentrycheck:ioresult
type Result struct{ io bool }

func (r Result) IsIO() bool { return r.io }

type pos struct{ off int }

type S struct{ pos pos }

func (s *S) sub() Result { return Result{} }

func (s *S) Step(a bool) Result {
	p := s.pos
	p.off++
	if a {
		p.off++
	}
	s.pos = p
	if r := s.sub(); r.IsIO() {
		return r
	}
	if a {
		s.pos.off++
	}
	if r := s.sub(); r.IsIO() {
		return r
	}
	return Result{}
}
`)
	fn := a.fn
	a.copies = newCopySearch(a)
	r := a.reachOf(cell, "s.pos", a.copyChanges(cell))
	require.NotNil(t, r)
	assert.NotEmpty(t, r.region)
	assert.Less(t, len(r.region), len(fn.Blocks), "the blocks after the write-back are not in it")
	for b := range r.region {
		assert.False(t, r.yield[b], "block %d: the copy is kept before any yield", b)
	}
}
