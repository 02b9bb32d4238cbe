package mutants

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFindingKey(t *testing.T) {
	a := finding{file: "/tmp/x/repo/scan.go", line: 53, message: "calls s.cur.advance before the yield at scan.go:48: re-entry repeats it"}
	b := finding{file: "/tmp/y/repo/scan.go", line: 55, message: "calls s.cur.advance before the yield at scan.go:50: re-entry repeats it"}
	require.Equal(t, a.key(), b.key(), "a line shift does not make a finding new")
	c := finding{file: "/tmp/x/repo/get.go", line: 53, message: a.message}
	require.NotEqual(t, a.key(), c.key())
}

func TestSplitPosn(t *testing.T) {
	file, line := splitPosn("/tmp/repo/examples/kvlog/put.go:83:4")
	require.Equal(t, "/tmp/repo/examples/kvlog/put.go", file)
	require.Equal(t, 83, line)
}

func TestFuncLines(t *testing.T) {
	src := []byte("package p\n\nfunc f() {}\n\nfunc (s *S) Resume() {\n\ts.n++\n}\n")
	lo, hi := funcLines(src, "S.Resume")
	require.Equal(t, [2]int{5, 7}, [2]int{lo, hi})
}

func TestTally(t *testing.T) {
	rep := &Report{Results: []Result{
		{Op: "drop-io", Compiled: true, Confirmed: true, Flagged: true},
		{Op: "drop-io", Compiled: true, Confirmed: true},
		{Op: "drop-io", Compiled: true, Flagged: true},
		{Op: "drop-io"},
	}}
	per, total := Tally(rep)
	want := Counts{Sites: 4, Compiled: 3, Confirmed: 2, Unobservable: 1, Flagged: 1, UnobservableFlagged: 1}
	require.Equal(t, want, per["drop-io"])
	require.Equal(t, want, total)
	require.InDelta(t, 50, want.Share(), 0.01)
}
