package reentrytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Name string
	tags []string
}

type outer struct {
	N      int
	ratio  float64
	ok     bool
	In     *inner
	Any    any
	Index  map[string]int
	Bytes  []byte
	Fn     func()
	Arr    [2]uint8
	next   *outer
	hidden inner
}

func TestDiffEqualValues(t *testing.T) {
	mk := func() outer {
		return outer{N: 1, ratio: 0.5, ok: true, In: &inner{Name: "a", tags: []string{"x"}}, Any: 3,
			Index: map[string]int{"k": 1}, Bytes: []byte("b"), Fn: func() {}, Arr: [2]uint8{1, 2}}
	}
	a, b := mk(), mk()
	assert.Empty(t, Diff(a, b), "equal structure, different pointers and funcs")
	assert.Empty(t, Diff(nil, nil))
	assert.Empty(t, Diff([]int(nil), []int{}), "nil and empty slices are equal")
	assert.Empty(t, Diff(map[string]int(nil), map[string]int{}), "nil and empty maps are equal")
}

func TestDiffNamesEveryDifference(t *testing.T) {
	a := outer{N: 1, ratio: 0.5, In: &inner{Name: "a", tags: []string{"x", "y"}}, Any: 3,
		Index: map[string]int{"k": 1, "gone": 2}, Bytes: []byte("abc"), Arr: [2]uint8{1, 2}, hidden: inner{Name: "h"}}
	b := outer{N: 2, ratio: 0.25, ok: true, In: &inner{Name: "b", tags: []string{"x"}}, Any: "3",
		Index: map[string]int{"k": 5, "new": 1}, Bytes: []byte("abd"), Arr: [2]uint8{1, 3}, next: &outer{}, hidden: inner{Name: "H"}}
	got := Diff(a, b)
	want := []string{
		".N: 1 != 2",
		".ratio: 0.5 != 0.25",
		".ok: false != true",
		".In.Name: \"a\" != \"b\"",
		".In.tags: length 2 != 1",
		".In.tags[1]: \"y\" missing",
		".Any: type int != string",
		`.Index["gone"]: 2 missing`,
		`.Index["k"]: 1 != 5`,
		`.Index["new"]: extra 1`,
		`.Bytes: "abc" != "abd"`,
		".Arr[1]: 2 != 3",
		".next: nil != &<reentrytest.outer>",
		".hidden.Name: \"h\" != \"H\"",
	}
	assert.Equal(t, want, got)
}

func TestDiffTopLevelAndNil(t *testing.T) {
	assert.Equal(t, []string{"(value): 1 != 2"}, Diff(1, 2))
	assert.Equal(t, []string{"(value): <nothing> != 1"}, Diff(nil, 1))
	var p *inner
	assert.Equal(t, []string{"(value): nil != &{Name: tags:[]}"}, Diff(p, &inner{}))
	assert.Equal(t, []string{"[1]: extra 7"}, Diff([]int{3}, []int{3, 7})[1:])
}

func TestDiffSurvivesCycles(t *testing.T) {
	a := &outer{N: 1}
	a.next = a
	b := &outer{N: 1}
	b.next = b
	assert.Empty(t, Diff(a, b))
	b.N = 2
	assert.Equal(t, []string{".N: 1 != 2"}, Diff(a, b))
}

func TestDiffIsCapped(t *testing.T) {
	a, b := make([]int, 50), make([]int, 50)
	for i := range b {
		b[i] = i + 1
	}
	got := Diff(a, b)
	require.Len(t, got, maxDiffs+1)
	assert.Equal(t, "... and 30 more differences", got[maxDiffs])
}

func TestDiffLongAndBinaryBytes(t *testing.T) {
	long := make([]byte, 100)
	got := Diff(long, []byte{0xff, 0xfe})
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "(100 bytes)")
	assert.Contains(t, got[0], "fffe")
}
