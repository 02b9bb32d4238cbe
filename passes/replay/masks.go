package replay

import (
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/internal/effect"
	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/ssa"
)

// masks holds the fact sets that the transfer function combines with the
// pending set. They are built once per function, in time linear in the
// number of facts, so that no transfer step scans the facts one by one.
type masks struct {
	n           int
	immune      bitset // held or run at the return itself: no transition cuts them
	transitions bitset // every fTransition
	// The masks by location are sparse: there are as many as a function
	// has locations, and a dense set each was locations × facts / 64
	// words, quadratic in a function that writes a new field at every
	// step (a decoder filling a wide struct).
	transByLoc  map[string]*pset // fTransition facts writing a location
	commitByLoc map[string]*pset // fMutation and fTransition facts writing a state location
	restorable  map[string]*pset // facts at a location that a restore of it cancels
	locks       map[string]*pset // fLock facts of a mutex
	reads       map[string]*pset // fRead facts of a location
	deferred    bitset           // fDeferRestore and fDeferUnlock: consulted at every yield
	unjudged    bitset           // facts no rule reports (reads, resets, restores, unlocks, inert calls)
	byBlock     [][]int          // facts by block index
	twins       []twin           // re-pollable calls with a looped twin
	replays     bitset           // facts whose repetition is not free: mutations, move-outs, calls of callees not memoized
	memoWrites  map[string]*pset // receiver of a memoized call -> the writes at or below it (they may reset its memo)
	// rebuilt holds the locations at or above a clobbered one: the only
	// resets a flow state records (a reset excuses a later clobber below
	// it, and nothing else).
	rebuilt map[string]bool

	groups  map[string]*locGroups // state location -> facts grouped by the arm set of their block
	survive map[survKey]*armMask  // memo: (location, written value) -> facts that may still be selected
	admit   map[string]*armMask   // memo: (location, value set) -> facts a dispatch edge admits
	edges   [][2]edgeMemo         // memo per edge, by pred block index and successor position: its narrowing mask
}

// twin pairs a re-pollable call's fact with its looped twin; memo marks
// a call of a memoized callee, whose repetition alone is free.
type twin struct {
	call, looped int
	memo         bool
}

// locGroups is the facts of a function grouped by the arm set their block
// has for one state location.
type locGroups struct {
	// of is the group of each fact, by id: -1 for the facts in blocks
	// every value of the location reaches.
	of     []int32
	groups []armGroup       // the arm sets other than every value
	byKey  map[string][]int // value -> positive groups admitting it
	neg    []int            // groups of the form "any value but these"
}

// armGroup is one arm set of a location, shared by the blocks of its facts.
type armGroup struct {
	set vset
}

// armMask is the facts that re-entry may still reach after a write of a
// state location or across a dispatch edge: those of the blocks every
// value reaches and those of the admitted groups.
//
// It is kept as a flag per group, not as a set of facts: a write of state
// k of a machine whose arms fall through admits the arms from k on, most
// of the function's facts, so that a dense set per written value and per
// dispatch edge cost arms × facts to build. The pending set asks only
// about its own members (pset.keepOnly).
type armMask struct {
	of   []int32 // locGroups.of, shared
	keep []bool  // by group
}

// has reports whether fact id is in the mask.
func (m *armMask) has(id int) bool {
	g := m.of[id]
	return g < 0 || m.keep[g]
}

func (a *analysis) buildMasks() {
	nf := len(a.facts)
	m := &masks{
		n: nf, immune: newBitset(nf), transitions: newBitset(nf), deferred: newBitset(nf), unjudged: newBitset(nf), replays: newBitset(nf),
		transByLoc: map[string]*pset{}, commitByLoc: map[string]*pset{}, restorable: map[string]*pset{},
		locks: map[string]*pset{}, reads: map[string]*pset{}, rebuilt: map[string]bool{},
		byBlock: make([][]int, len(a.fn.Blocks)),
		groups:  map[string]*locGroups{}, survive: map[survKey]*armMask{}, admit: map[string]*armMask{},
		edges: make([][2]edgeMemo, len(a.fn.Blocks)),
	}
	// Ids are added in increasing order: every add appends.
	add := func(into map[string]*pset, key string, id int) {
		s, ok := into[key]
		if !ok {
			s = &pset{}
			into[key] = s
		}
		s.add(id)
	}
	// The receivers of memoized calls first, so that each write is added
	// to the masks of the receivers above it: at most persist.MaxSteps
	// prefixes per write, so linear in the facts.
	m.memoWrites = map[string]*pset{}
	for _, f := range a.facts {
		if f.kind == fCall && f.eff.Loc.Path != "" && !f.eff.Loc.Collapsed && a.memoizedCall(f.eff.Instr) {
			if _, ok := m.memoWrites[f.eff.Loc.Path]; !ok {
				m.memoWrites[f.eff.Loc.Path] = &pset{}
			}
		}
	}
	for id, f := range a.facts {
		path := f.eff.Loc.Path
		if len(m.memoWrites) > 0 && writes(f.kind) {
			for p := path; p != ""; p = parentPath(p) {
				if w, ok := m.memoWrites[p]; ok {
					w.add(id)
				}
			}
		}
		if f.kind == fMutation && f.eff.Kind == effect.Clobber {
			for p := path; p != ""; p = parentPath(p) {
				m.rebuilt[p] = true
			}
		}
		m.byBlock[f.block.Index] = append(m.byBlock[f.block.Index], id)
		switch f.kind {
		case fDeferred, fLock, fDeferUnlock, fDeferRestore:
			m.immune.add(id)
		}
		switch f.kind {
		case fTransition:
			m.transitions.add(id)
			add(m.transByLoc, f.state, id)
		case fLock:
			add(m.locks, path, id)
		case fRead:
			add(m.reads, path, id)
			m.unjudged.add(id)
		case fDeferRestore, fDeferUnlock:
			m.deferred.add(id)
			m.unjudged.add(id)
		case fReset, fRestore, fUnlock:
			m.unjudged.add(id)
		}
		if k, judged := pendingKind(f.kind); judged && rules.Inert(k, f.eff.Idempotent) {
			// No rule reports it at any yield: judged once here rather
			// than at every later yield it stays pending for.
			m.unjudged.add(id)
		}
		if (f.kind == fMutation || f.kind == fTransition) && f.state != "" {
			add(m.commitByLoc, f.state, id)
		}
		if f.kind != fDeferred {
			add(m.restorable, path, id)
		}
		memo := f.kind == fCall && a.memoizedCall(f.eff.Instr)
		switch f.kind {
		case fMutation, fMoveOut:
			m.replays.add(id)
		case fCall:
			if !memo && !f.eff.Idempotent {
				m.replays.add(id)
			}
		}
		if tw, ok := a.looped[id]; ok {
			m.twins = append(m.twins, twin{id, tw, memo})
		}
	}
	a.m = m
}

// loopMask returns the facts in l's body that a transition can cut,
// computed on first use from the facts of the body's blocks.
func (a *analysis) loopMask(l *loop) *pset {
	if l.mask == nil {
		// The body's members ascend and so do the ids of each block's
		// facts (they are numbered in block order): every add appends.
		l.mask = &pset{}
		for _, i := range l.body.members {
			for _, id := range a.m.byBlock[i] {
				if !a.m.immune.has(id) {
					l.mask.add(id)
				}
			}
		}
	}
	return l.mask
}

// writes reports whether facts of kind k write their location.
func writes(k factKind) bool {
	switch k {
	case fMutation, fDeferred, fBlind, fMoveOut, fTransition, fReset, fRestore, fDeferRestore:
		return true
	}
	return false
}

// parentPath strips the last selector of an access path ("s.a.b" ->
// "s.a", "s.m[]" -> "s.m"), or returns "" at the root.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}

// memoKept reports whether a memoized call's memo is still set in st:
// nothing pending wrote at or below the receiver it lives in since (p.A.Ran
// = false re-arms a task, and the next call runs it again).
func (a *analysis) memoKept(st *flow, call int) bool {
	w, ok := a.m.memoWrites[a.facts[call].eff.Loc.Path]
	return !ok || !st.pending.intersectsSet(w)
}

// loopReplays returns the facts in l's body whose repetition is not free,
// computed on first use.
func (a *analysis) loopReplays(l *loop) *pset {
	if l.replays == nil {
		l.replays = &pset{}
		for _, w := range a.loopMask(l).ws {
			if w.w &= a.m.replays[w.i]; w.w != 0 {
				l.replays.ws = append(l.replays.ws, w)
			}
		}
	}
	return l.replays
}

// armGroups groups the facts by the arm set their block has for loc: a
// state machine's facts fall into one group per arm, plus the prologue. The
// facts of blocks where loc is unconstrained (every value reaches them) are
// in no group; positive groups are indexed by the values they admit.
func (a *analysis) armGroups(loc string) *locGroups {
	if gs, ok := a.m.groups[loc]; ok {
		return gs
	}
	gs := &locGroups{of: make([]int32, a.m.n), byKey: map[string][]int{}}
	index := map[string]int{}
	// The blocks of one arm share their arm set's key list (the dispatch
	// never modifies one, and its union returns an operand that already
	// holds the other), so the group of a list already seen is found
	// without spelling its key: spelling it for every block cost blocks ×
	// arms for a machine whose arms fall through, where the arm set of
	// state k's blocks holds every state up to k.
	type listID struct {
		first *string
		n     int
		neg   bool
	}
	seen := map[listID]int{}
	for bi, ids := range a.m.byBlock {
		if len(ids) == 0 {
			continue
		}
		set := a.armSet(a.fn.Blocks[bi], loc)
		g := -1
		if !set.top {
			id := listID{n: len(set.keys), neg: set.neg}
			if len(set.keys) > 0 {
				id.first = &set.keys[0]
			}
			var ok bool
			if g, ok = seen[id]; !ok {
				g = gs.group(index, set)
				seen[id] = g
			}
		}
		for _, id := range ids {
			gs.of[id] = int32(g)
		}
	}
	a.m.groups[loc] = gs
	return gs
}

// group returns the group of arm set set, made if it is new.
func (gs *locGroups) group(index map[string]int, set vset) int {
	key := set.key()
	g, ok := index[key]
	if !ok {
		g = len(gs.groups)
		index[key] = g
		gs.groups = append(gs.groups, armGroup{set: set})
		if set.neg {
			gs.neg = append(gs.neg, g)
		} else {
			for _, k := range set.keys {
				gs.byKey[k] = append(gs.byKey[k], g)
			}
		}
	}
	return g
}

// maxArmGroups bounds the groups a written value is tested against one by
// one (values other than a single constant). Past it, such a write cuts
// nothing by arm: less precise, never unbounded.
const maxArmGroups = 256

// survivors returns the facts whose block re-entry may still reach after
// loc is written with w (memoized per location and value), or nil when the
// write cuts nothing by arm.
func (a *analysis) survivors(loc string, w wval) *armMask {
	key := survKey{loc, w}
	if s, ok := a.m.survive[key]; ok {
		return s
	}
	gs := a.armGroups(loc)
	var s *armMask
	switch {
	case len(gs.groups) == 0:
		// every fact is in an unconstrained block: nothing to cut
	case w.kind == wExact || w.kind == wTyp:
		s = gs.mask()
		for _, g := range gs.byKey[w.key] {
			s.keep[g] = true
		}
		for _, g := range gs.neg {
			if gs.groups[g].set.has(w.key) {
				s.keep[g] = true
			}
		}
	case len(gs.groups) <= maxArmGroups:
		s = gs.mask()
		for g := range gs.groups {
			if canSelect(w, gs.groups[g].set) {
				s.keep[g] = true
			}
		}
	}
	a.m.survive[key] = s
	return s
}

// mask returns a mask of the facts of gs that admits no group yet.
func (gs *locGroups) mask() *armMask {
	return &armMask{of: gs.of, keep: make([]bool, len(gs.groups))}
}

// survKey is a memo key of survivors: a location and a written value (a
// comparable struct: no key is built per transition).
type survKey struct {
	loc string
	w   wval
}

// edgeMask returns the mask a dispatch edge p->b keeps of the pending facts
// (edgeTest, admits), or nil when the edge narrows nothing; computed once
// per edge.
func (a *analysis) edgeMask(p, b *ssa.BasicBlock) *armMask {
	j := 0
	if len(p.Succs) > 1 && p.Succs[1] == b && p.Succs[0] != b {
		j = 1
	}
	memo := &a.m.edges[p.Index][j]
	if memo.done {
		return memo.mask
	}
	var m *armMask
	if loc, set, ok := a.edgeTest(p, b); ok {
		m = a.admits(loc, set)
	}
	*memo = edgeMemo{mask: m, done: true}
	return m
}

// edgeMemo is edgeMask's answer for one edge, once computed (nil: the edge
// narrows nothing).
type edgeMemo struct {
	mask *armMask
	done bool
}

// admits returns the facts whose block's arm set for loc shares a value
// with set (memoized per location and set), or nil for every fact: what a
// dispatch edge that constrains loc to set may still lead re-entry to.
func (a *analysis) admits(loc string, set vset) *armMask {
	key := loc + "\x02" + set.key()
	if s, ok := a.m.admit[key]; ok {
		return s
	}
	gs := a.armGroups(loc)
	s := gs.mask()
	switch {
	case len(gs.groups) > maxArmGroups:
		s = nil // too many groups to test one by one: cut nothing
	case !set.neg && !set.top:
		// A finite set overlaps a positive group exactly when the group
		// admits one of its values (byKey), and may overlap any group of
		// the form "all but": the other groups need no test. Testing every
		// group for every dispatch edge cost arms × arms per state machine.
		for _, k := range set.keys {
			for _, g := range gs.byKey[k] {
				s.keep[g] = true
			}
		}
		for _, g := range gs.neg {
			if gs.groups[g].set.overlaps(set) {
				s.keep[g] = true
			}
		}
	default:
		for g := range gs.groups {
			if gs.groups[g].set.overlaps(set) {
				s.keep[g] = true
			}
		}
	}
	a.m.admit[key] = s
	return s
}

// overlaps reports whether two value sets share a value. Sets of the form
// "any value but these" always do: the values are not bounded.
func (s vset) overlaps(t vset) bool {
	switch {
	case s.top || t.top:
		return true
	case s.neg && t.neg:
		return true
	case s.neg:
		for _, k := range t.keys {
			if s.has(k) {
				return true
			}
		}
		return false
	case t.neg:
		for _, k := range s.keys {
			if t.has(k) {
				return true
			}
		}
		return false
	}
	for _, k := range s.keys {
		if t.has(k) {
			return true
		}
	}
	return false
}

// key spells a value set canonically, for grouping.
func (s vset) key() string {
	switch {
	case s.top:
		return "*"
	case s.neg:
		return "!" + strings.Join(s.keys, "\x00")
	}
	return "=" + strings.Join(s.keys, "\x00")
}
