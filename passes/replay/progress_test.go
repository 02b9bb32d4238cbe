package replay

import (
	"testing"

	"github.com/reentrycheck/reentrycheck/passes/internal/ssatest"
	"golang.org/x/tools/go/ssa"
)

const cursorSrc = `package p

type W struct {
	buf     []byte
	pos     int
	ready   int
	retries int
	end     int
}

func put(w *W, b byte) {
	w.buf[w.pos] = b
	w.pos++
}

func take(w *W) []byte {
	n := len(w.buf) - w.pos
	if n > w.ready {
		n = w.ready
	}
	return w.buf[:n]
}

func window(w *W) []byte { return w.buf[w.pos+1 : w.end] }

func retry(w *W) bool {
	w.retries++
	return w.retries > 3
}
`

// fieldAddrs returns the field addresses of W's fields by index, taken
// from any function of the source.
func fieldAddrs(fns []*ssa.Function) map[int]*ssa.FieldAddr {
	out := map[int]*ssa.FieldAddr{}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if fa, ok := in.(*ssa.FieldAddr); ok {
					out[fa.Field] = fa
				}
			}
		}
	}
	return out
}

func TestCursors(t *testing.T) {
	p := ssatest.Build(t, cursorSrc)
	var fns []*ssa.Function
	for _, name := range []string{"put", "take", "window", "retry"} {
		fns = append(fns, p.Func(t, name))
	}
	fas := fieldAddrs(fns)
	c := NewCursors(fns)
	for field, want := range map[int]bool{
		0: false, // buf: sliced and indexed, but not an index itself
		1: true,  // pos: an index (put), through arithmetic (window)
		2: true,  // ready: bounds a slice through a phi (take)
		3: false, // retries: a counter that indexes nothing
		4: true,  // end: a slice's high bound
	} {
		if got := c.Has(fas[field]); got != want {
			t.Errorf("field %d: cursor %v, want %v", field, got, want)
		}
	}
	var none *Cursors
	if none.Has(fas[1]) {
		t.Error("a nil cursor set has a cursor")
	}
}
