package replay

import (
	"math/bits"
	"slices"
)

// pset is a set of pending fact ids, stored as its nonzero 64-bit words
// in increasing word order: a sparse bitset.
//
// The dataflow keeps one pending set per block and copies, merges and
// compares them at every visit of the fixpoint. A dense bitset costs the
// number of facts / 64 for each of those, whatever the set holds, so a
// function with many facts paid blocks × facts / 64 although each state
// holds few of them: the facts of the current state-machine arm since its
// last transition. Facts are numbered in block order, so those few facts
// are a few adjacent ids, a word or two: every operation on a pset costs
// its nonzero words (plus the other operand's, for a union), and never
// more than the dense bitset's word count.
//
// The masks that the transfer function combines with a pending set are
// dense bitsets, built once and indexed by word, where there is one per
// function (the transitions, the immune facts); the masks of arms
// (armMask) are asked about each member; and those kept per loop or per
// location are psets too (andNotSet, intersectsSet): there are as many as
// a function has loops or locations, and a dense mask each was quadratic
// in its size.
type pset struct {
	ws []pword
}

// pword is one nonzero word of a pset: the bits of ids i*64 to i*64+63.
type pword struct {
	i int
	w uint64
}

// find returns the position of word index i in s, or where it would be
// inserted, and whether it is there.
func (s *pset) find(i int) (int, bool) {
	// Ids are mostly added in increasing order: the last word first.
	if n := len(s.ws); n == 0 || s.ws[n-1].i < i {
		return n, false
	} else if s.ws[n-1].i == i {
		return n - 1, true
	}
	return slices.BinarySearchFunc(s.ws, i, func(w pword, i int) int { return w.i - i })
}

func (s *pset) has(id int) bool {
	k, ok := s.find(id / 64)
	return ok && s.ws[k].w&(1<<uint(id%64)) != 0
}

func (s *pset) add(id int) {
	i, bit := id/64, uint64(1)<<uint(id%64)
	k, ok := s.find(i)
	if ok {
		s.ws[k].w |= bit
		return
	}
	s.ws = slices.Insert(s.ws, k, pword{i, bit})
}

func (s *pset) del(id int) {
	k, ok := s.find(id / 64)
	if !ok {
		return
	}
	if s.ws[k].w &^= 1 << uint(id%64); s.ws[k].w == 0 {
		s.ws = slices.Delete(s.ws, k, k+1)
	}
}

// len returns the number of members.
func (s *pset) len() int {
	n := 0
	for _, w := range s.ws {
		n += bits.OnesCount64(w.w)
	}
	return n
}

// clear empties s, keeping its storage.
func (s *pset) clear() { s.ws = s.ws[:0] }

// copyFrom makes s equal to t, reusing s's storage.
func (s *pset) copyFrom(t *pset) { s.ws = append(s.ws[:0], t.ws...) }

func (s *pset) equal(t *pset) bool { return slices.Equal(s.ws, t.ws) }

// or adds the members of t: a merge of the two word lists, done in place
// from the back, so that it allocates only when s must grow.
func (s *pset) or(t *pset) {
	if len(t.ws) == 0 {
		return
	}
	// Count the words of the union.
	n, a, b := 0, 0, 0
	for a < len(s.ws) && b < len(t.ws) {
		switch x, y := s.ws[a].i, t.ws[b].i; {
		case x < y:
			a++
		case x > y:
			b++
		default:
			a++
			b++
		}
		n++
	}
	n += len(s.ws) - a + len(t.ws) - b
	a, b = len(s.ws)-1, len(t.ws)-1
	s.ws = slices.Grow(s.ws, n-len(s.ws))[:n]
	// The union's last k words go to positions k-1..0 from the end; s's
	// own words only move right, so none is overwritten before it is read.
	for k := n - 1; b >= 0; k-- {
		switch {
		case a >= 0 && s.ws[a].i > t.ws[b].i:
			s.ws[k] = s.ws[a]
			a--
		case a >= 0 && s.ws[a].i == t.ws[b].i:
			s.ws[k] = pword{s.ws[a].i, s.ws[a].w | t.ws[b].w}
			a--
			b--
		default:
			s.ws[k] = t.ws[b]
			b--
		}
	}
}

// andNot removes the members of the dense set t. A nil t removes nothing.
func (s *pset) andNot(t bitset) {
	if t == nil {
		return
	}
	out := s.ws[:0]
	for _, w := range s.ws {
		if w.i < len(t) {
			w.w &^= t[w.i]
		}
		if w.w != 0 {
			out = append(out, w)
		}
	}
	s.ws = out
}

// keepOnly removes every member that is in neither the mask m nor the
// dense set immune. It asks m about each member, so that its cost is the
// members', whatever m admits.
func (s *pset) keepOnly(m *armMask, immune bitset) {
	out := s.ws[:0]
	for _, w := range s.ws {
		kept := w.w & immune[w.i]
		for rest := w.w &^ kept; rest != 0; rest &= rest - 1 {
			if b := bits.TrailingZeros64(rest); m.has(w.i*64 + b) {
				kept |= 1 << uint(b)
			}
		}
		if w.w = kept; w.w != 0 {
			out = append(out, w)
		}
	}
	s.ws = out
}

// andNotSet removes the members of the sparse set t. Each of s's words
// is looked up in t by binary search from the last match, so the cost is
// s's words times the logarithm of t's, however large t is (a loop
// around most of a function).
func (s *pset) andNotSet(t *pset) {
	if t == nil {
		return
	}
	out := s.ws[:0]
	rest := t.ws
	for _, w := range s.ws {
		k, ok := slices.BinarySearchFunc(rest, w.i, func(x pword, i int) int { return x.i - i })
		if ok {
			w.w &^= rest[k].w
		}
		rest = rest[k:]
		if w.w != 0 {
			out = append(out, w)
		}
	}
	s.ws = out
}

// intersectsSet reports whether s shares a member with the sparse set t,
// looking each of s's words up in t as andNotSet does.
func (s *pset) intersectsSet(t *pset) bool {
	if t == nil {
		return false
	}
	rest := t.ws
	for _, w := range s.ws {
		k, ok := slices.BinarySearchFunc(rest, w.i, func(x pword, i int) int { return x.i - i })
		if ok && w.w&rest[k].w != 0 {
			return true
		}
		rest = rest[k:]
	}
	return false
}

// intersects reports whether s shares a member with the dense set t.
func (s *pset) intersects(t bitset) bool {
	for _, w := range s.ws {
		if w.i < len(t) && w.w&t[w.i] != 0 {
			return true
		}
	}
	return false
}

// each calls f for every member, in increasing order.
func (s *pset) each(f func(id int)) {
	for _, w := range s.ws {
		eachBit(w.i, w.w, f)
	}
}

// eachAnd calls f for every member of s that is also in the dense set t,
// in increasing order.
func (s *pset) eachAnd(t bitset, f func(id int)) {
	for _, w := range s.ws {
		eachBit(w.i, w.w&t[w.i], f)
	}
}

// eachAndNot calls f for every member of s that is not in the dense set
// t, in increasing order. Each word of t is read before f runs for the
// members of that word, so f may add to t members it has been called for.
func (s *pset) eachAndNot(t bitset, f func(id int)) {
	for _, w := range s.ws {
		eachBit(w.i, w.w&^t[w.i], f)
	}
}

// eachBit calls f for every bit of word, the word at index i.
func eachBit(i int, word uint64, f func(id int)) {
	for word != 0 {
		b := bits.TrailingZeros64(word)
		f(i*64 + b)
		word &^= 1 << uint(b)
	}
}
