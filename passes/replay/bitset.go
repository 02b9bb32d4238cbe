package replay

import "math/bits"

// bitset is a dense set of fact ids. Every operation the dataflow performs
// on a whole set (union, difference, intersection) is word-parallel; no
// operation visits the members one by one except each, which the judgement
// at yield points uses on the members not yet judged.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) has(i int) bool { return s[i/64]&(1<<uint(i%64)) != 0 }
func (s bitset) add(i int)      { s[i/64] |= 1 << uint(i%64) }
func (s bitset) del(i int)      { s[i/64] &^= 1 << uint(i%64) }

func (s bitset) clone() bitset { return append(bitset(nil), s...) }

// or adds the members of t.
func (s bitset) or(t bitset) {
	for i := range t {
		s[i] |= t[i]
	}
}

// andNot removes the members of t. A nil t removes nothing.
func (s bitset) andNot(t bitset) {
	for i := range t {
		s[i] &^= t[i]
	}
}

// keepOnly removes every member that is in neither t nor u.
func (s bitset) keepOnly(t, u bitset) {
	for i := range s {
		s[i] &= t[i] | u[i]
	}
}

// intersects reports whether s and t share a member.
func (s bitset) intersects(t bitset) bool {
	for i := range t {
		if s[i]&t[i] != 0 {
			return true
		}
	}
	return false
}

func (s bitset) equal(t bitset) bool {
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// each calls f for every member, in increasing order.
func (s bitset) each(f func(i int)) {
	for w, word := range s {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			f(w*64 + b)
			word &^= 1 << uint(b)
		}
	}
}

// eachAndNot calls f for every member of s that is not in t.
func (s bitset) eachAndNot(t bitset, f func(i int)) {
	for w, word := range s {
		word &^= t[w]
		for word != 0 {
			b := bits.TrailingZeros64(word)
			f(w*64 + b)
			word &^= 1 << uint(b)
		}
	}
}

// eachAnd calls f for every member of s that is also in t.
func (s bitset) eachAnd(t bitset, f func(i int)) {
	for w, word := range s {
		word &= t[w]
		for word != 0 {
			b := bits.TrailingZeros64(word)
			f(w*64 + b)
			word &^= 1 << uint(b)
		}
	}
}
