package tested

import (
	"testing"

	"example.com/prune/lib"
	"example.com/prune/rt"
)

// twice steps a tally. Buggy: the count is mutated before the yield.
type twice struct {
	t     *lib.Tally
	steps int
}

func (w *twice) Step() (rt.Result[int], error) {
	w.steps++
	r, err := w.t.Step()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	return rt.Done(r.Value()), nil
}

func TestTwice(t *testing.T) {
	w := &twice{t: &lib.Tally{Cur: &lib.Cursor{}}}
	if _, err := w.Step(); err != nil {
		t.Fatal(err)
	}
}
