package replay

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

// The locations drawn: few, so that the sets of two paths overlap.
var testLocs = []string{"s.a", "s.b", "s.c", "s.d", "s.e", "s.state"}

func drawLoc(t *rapid.T, label string) string {
	return rapid.SampledFrom(testLocs).Draw(t, label)
}

// checkLocSet compares a locSet with its map model: the same members, and
// the sorted, duplicate-free form that equal relies on.
func checkLocSet(t *rapid.T, what string, s *locSet, m map[string]bool) {
	t.Helper()
	if !slices.IsSorted(s.ls) || len(slices.Compact(slices.Clone(s.ls))) != len(s.ls) {
		t.Fatalf("%s: not canonical: %v", what, s.ls)
	}
	if got, want := s.ls, slices.Sorted(maps.Keys(m)); !slices.Equal(got, want) {
		t.Fatalf("%s: members %v, model %v", what, got, want)
	}
	for _, l := range testLocs {
		if s.has(l) != m[l] {
			t.Fatalf("%s: has(%s) = %v, model %v", what, l, s.has(l), m[l])
		}
	}
	if s.len() != len(m) {
		t.Fatalf("%s: len %d, model %d", what, s.len(), len(m))
	}
}

func drawLocSet(t *rapid.T, label string) (*locSet, map[string]bool) {
	s, m := &locSet{}, map[string]bool{}
	for _, l := range rapid.SliceOfN(rapid.SampledFrom(testLocs), 0, 8).Draw(t, label) {
		s.add(l)
		m[l] = true
	}
	return s, m
}

// Every operation of a locSet does what the map the flow state used to
// hold did.
func TestLocSetMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, m := drawLocSet(t, "s")
		checkLocSet(t, "built", s, m)
		for range rapid.IntRange(0, 12).Draw(t, "steps") {
			switch rapid.IntRange(0, 4).Draw(t, "op") {
			case 0:
				l := drawLoc(t, "add")
				s.add(l)
				m[l] = true
			case 1:
				l := drawLoc(t, "del")
				s.del(l)
				delete(m, l)
			case 2:
				o, om := drawLocSet(t, "other")
				s.keepCommon(o)
				for l := range m {
					if !om[l] {
						delete(m, l)
					}
				}
				checkLocSet(t, "other after keepCommon", o, om)
			case 3:
				o, om := drawLocSet(t, "copied")
				s.copyFrom(o)
				m = maps.Clone(om)
				o.add("s.zz") // the copy shares no storage with its source
				assert.False(t, s.has("s.zz"))
			case 4:
				s.clear()
				clear(m)
			}
			checkLocSet(t, "after op", s, m)
		}
		o, om := drawLocSet(t, "compared")
		if s.equal(o) != maps.Equal(m, om) {
			t.Fatalf("equal(%v, %v) = %v", s.ls, o.ls, s.equal(o))
		}
	})
}

// drawWval draws one of a few written values, unknown among them.
func drawWval(t *rapid.T, label string) wval {
	return rapid.SampledFrom([]wval{
		{kind: wUnknown}, {kind: wExact, key: "0"}, {kind: wExact, key: "1"}, {kind: wOffset, offset: 1},
	}).Draw(t, label)
}

func drawLocVals(t *rapid.T, label string) (*locVals, map[string]wval) {
	v, m := &locVals{}, map[string]wval{}
	for range rapid.IntRange(0, 8).Draw(t, label+" size") {
		l, w := drawLoc(t, label+" loc"), drawWval(t, label+" value")
		v.set(l, w)
		m[l] = w
	}
	return v, m
}

func checkLocVals(t *rapid.T, what string, v *locVals, m map[string]wval) {
	t.Helper()
	if !slices.IsSortedFunc(v.es, func(x, y locVal) int { return cmpString(x.loc, y.loc) }) {
		t.Fatalf("%s: not sorted: %v", what, v.es)
	}
	if v.len() != len(m) {
		t.Fatalf("%s: len %d, model %d (%v)", what, v.len(), len(m), v.es)
	}
	for _, l := range testLocs {
		got, ok := v.get(l)
		want, wok := m[l]
		if ok != wok || got != want {
			t.Fatalf("%s: get(%s) = %v %v, model %v %v", what, l, got, ok, want, wok)
		}
	}
}

func cmpString(x, y string) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// joinModel is the join of two paths' writes as maps: the same value on
// both paths stays, anything else is unknown.
func joinModel(m, o map[string]wval) map[string]wval {
	out := map[string]wval{}
	for k, x := range m {
		if y, ok := o[k]; ok && x == y {
			out[k] = x
		} else {
			out[k] = wval{kind: wUnknown}
		}
	}
	for k := range o {
		if _, ok := m[k]; !ok {
			out[k] = wval{kind: wUnknown}
		}
	}
	return out
}

// A locVals joins as the map model does, and so does a written, which
// shares its join.
func TestLocValsMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v, m := drawLocVals(t, "v")
		checkLocVals(t, "built", v, m)
		o, om := drawLocVals(t, "o")
		want := joinModel(m, om)
		before := &locVals{}
		before.copyFrom(v)
		same := v.equal(o)
		assert.Equal(t, maps.Equal(m, om), same)
		v.join(o)
		checkLocVals(t, "joined", v, want)
		checkLocVals(t, "other after join", o, om)

		// written: the same join, on immutable slices.
		wv, wo := written(slices.Clone(before.es)), written(slices.Clone(o.es))
		j := wv.join(wo)
		checkLocVals(t, "written join", &locVals{es: j}, want)
		checkLocVals(t, "written left alone", &locVals{es: wv}, m)

		c := &locVals{}
		c.copyFrom(v)
		assert.True(t, c.equal(v))
		c.set("s.zz", wval{kind: wExact, key: "9"})
		assert.False(t, c.equal(v))
		_, ok := v.get("s.zz")
		assert.False(t, ok, "the copy shares no storage with its source")
		c.clear()
		assert.Equal(t, 0, c.len())
	})
}

func TestLocValsJoinExample(t *testing.T) {
	one := wval{kind: wExact, key: "1"}
	two := wval{kind: wExact, key: "2"}
	v := &locVals{}
	v.set("s.state", one)
	v.set("s.flag", one)
	o := &locVals{}
	o.set("s.state", one)
	o.set("s.n", two)
	v.join(o)
	assert.Equal(t, []locVal{{"s.flag", wval{kind: wUnknown}}, {"s.n", wval{kind: wUnknown}}, {"s.state", one}}, v.es)
}

// An instruction's facts are the ids of a range, yielded in order; a
// loop may stop early.
func TestIDRange(t *testing.T) {
	assert.Equal(t, []int{3, 4, 5}, slices.Collect(idRange{3, 6}.ids()))
	assert.Empty(t, slices.Collect(idRange{}.ids()))
	var first []int
	for id := range (idRange{7, 10}).ids() {
		first = append(first, id)
		break
	}
	assert.Equal(t, []int{7}, first)
}
