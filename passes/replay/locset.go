package replay

import (
	"slices"
	"strings"
)

// locSet and locVals are the small per-path facts about state locations
// that a flow state carries beside its pending set: the locations reset or
// advanced on every path, and the last value written to each. They hold a
// handful of locations (those of one state machine), and the fixpoint
// copies, merges and compares them at every visit of every block. As maps,
// each copy allocated a map per state (and the collector scanned it); as
// slices sorted by location, a copy reuses the destination's storage, a
// merge is one walk over both lists, and equality is a slice comparison.

// locSet is a set of state locations, sorted.
type locSet struct {
	ls []string
}

func (s *locSet) find(loc string) (int, bool) { return slices.BinarySearch(s.ls, loc) }

func (s *locSet) has(loc string) bool {
	_, ok := s.find(loc)
	return ok
}

func (s *locSet) add(loc string) {
	if i, ok := s.find(loc); !ok {
		s.ls = slices.Insert(s.ls, i, loc)
	}
}

func (s *locSet) del(loc string) {
	if i, ok := s.find(loc); ok {
		s.ls = slices.Delete(s.ls, i, i+1)
	}
}

func (s *locSet) len() int { return len(s.ls) }

// clear empties s, keeping its storage.
func (s *locSet) clear() { s.ls = s.ls[:0] }

// copyFrom makes s equal to t, reusing s's storage.
func (s *locSet) copyFrom(t *locSet) { s.ls = append(s.ls[:0], t.ls...) }

func (s *locSet) equal(t *locSet) bool { return slices.Equal(s.ls, t.ls) }

// keepCommon removes the members of s that are not in t: the locations
// that hold on both paths of a join.
func (s *locSet) keepCommon(t *locSet) {
	out, j := s.ls[:0], 0
	for _, l := range s.ls {
		for j < len(t.ls) && t.ls[j] < l {
			j++
		}
		if j < len(t.ls) && t.ls[j] == l {
			out = append(out, l)
		}
	}
	clear(s.ls[len(out):]) // drop the references to the removed strings
	s.ls = out
}

// locVal is one entry of a locVals.
type locVal struct {
	loc string
	w   wval
}

// locVals maps state locations to the value last written to each on a
// path, sorted by location.
type locVals struct {
	es []locVal
}

func (m *locVals) find(loc string) (int, bool) {
	return slices.BinarySearchFunc(m.es, loc, func(e locVal, loc string) int { return strings.Compare(e.loc, loc) })
}

func (m *locVals) get(loc string) (wval, bool) {
	if i, ok := m.find(loc); ok {
		return m.es[i].w, true
	}
	return wval{}, false
}

func (m *locVals) set(loc string, w wval) {
	i, ok := m.find(loc)
	if ok {
		m.es[i].w = w
		return
	}
	m.es = slices.Insert(m.es, i, locVal{loc, w})
}

func (m *locVals) len() int { return len(m.es) }

// clear empties m, keeping its storage.
func (m *locVals) clear() {
	clear(m.es)
	m.es = m.es[:0]
}

// copyFrom makes m equal to o, reusing m's storage.
func (m *locVals) copyFrom(o *locVals) { m.es = append(m.es[:0], o.es...) }

func (m *locVals) equal(o *locVals) bool { return slices.Equal(m.es, o.es) }

// join merges another path's writes into m: a location written
// differently on the two paths, or on one of them only, holds an unknown
// value. The merged list is built from the back, in place, so that m
// allocates only when it must grow.
func (m *locVals) join(o *locVals) {
	if m.equal(o) {
		return
	}
	// Count the locations of the union.
	n, a, b := 0, 0, 0
	for a < len(m.es) && b < len(o.es) {
		switch c := strings.Compare(m.es[a].loc, o.es[b].loc); {
		case c < 0:
			a++
		case c > 0:
			b++
		default:
			a++
			b++
		}
		n++
	}
	n += len(m.es) - a + len(o.es) - b
	a, b = len(m.es)-1, len(o.es)-1
	m.es = slices.Grow(m.es, n-len(m.es))[:n]
	unknown := wval{kind: wUnknown}
	// m's own entries only move right, so none is overwritten before it
	// is read.
	for k := n - 1; k >= 0; k-- {
		switch {
		case b < 0 || a >= 0 && m.es[a].loc > o.es[b].loc:
			m.es[k] = locVal{m.es[a].loc, unknown}
			a--
		case a >= 0 && m.es[a].loc == o.es[b].loc:
			e := m.es[a]
			if e.w != o.es[b].w {
				e.w = unknown
			}
			m.es[k] = e
			a--
			b--
		default:
			m.es[k] = locVal{o.es[b].loc, unknown}
			b--
		}
	}
}
