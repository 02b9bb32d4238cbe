// Package probe generates the scaling probe: a self-contained module with a
// tiny annotated runtime and one resumable method of a chosen number of
// statements, in one of three shapes (see [Shape]).
//
// The generated module is
//
//	go.mod           module probe.example
//	rt/rt.go         Result[T] (//reentrycheck:ioresult), Done (//reentrycheck:done),
//	                 Wait, Forward, and a Cursor whose Next (re-pollable) and
//	                 Peek (re-pollable, //reentrycheck:idempotent) may yield
//	machine/step.go  Machine.Step, the one resumable method of N statements
//
// In the bug-dense and correct shapes Step is a state machine: `switch
// m.state` with arms of [ArmSize] statements, each ending with the
// transition `m.state = k+1` and a fallthrough into the next arm; in the
// straight shape it has no states (see [Straight]). A statement is one unit of the body: a
// field or local update, an `if` with a one-statement body, a short `for`
// loop (at most three iterations), an append, a propagated call (the call and its `if err != nil ||
// r.IsIO()` check together), or the transition. Every fifth statement of an
// arm is a propagated call.
package probe

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
)

// ArmSize is the number of statements of each arm of the state machine: a
// new state every 50 statements.
const ArmSize = 50

// Shape selects what the statements of an arm do.
type Shape string

const (
	// BugDense mutates receiver fields (increments, appends, updates in
	// branches and loops) between propagated calls of the non-idempotent
	// Cursor.Next, every fifth statement. Re-entry into an arm replays the
	// mutations before its first call and calls Next again after the
	// earlier calls returned Done.
	BugDense Shape = "bugdense"
	// Correct is a correct state machine: in each arm the first calls are
	// Cursor.Peek (idempotent) and the statements between them update
	// locals only; the last call is Cursor.Next, the arm's one
	// non-idempotent re-pollable call; the receiver is mutated only after
	// it returned Done, and the arm then transitions to the next state. No
	// finding is expected.
	Correct Shape = "correct"
	// Straight is a correct method with no states, one straight body:
	// it copies a receiver field, and every fifth statement is a
	// propagated call of Cursor.Peek (idempotent) whose value a local
	// takes; the others update the local and the copy, in branches and
	// short loops; the one call of Cursor.Next comes last, and only after
	// it returned Done is the copy stored back. No finding is expected.
	// What it measures: facts that stay pending from the first statement
	// to the last (no transition ever cuts them), met by every yield, and
	// a change of a copy whose control dependence spans the whole body.
	Straight Shape = "straight"
)

// Shapes lists the shapes in the order the benchmark runs them.
var Shapes = []Shape{BugDense, Correct, Straight}

// Info describes a generated probe.
type Info struct {
	Shape      Shape
	Statements int // statements of Step's body, counted as the package doc says
	Arms       int // states of the machine
	Calls      int // propagated calls
	// Expected is the number of findings the rules (docs/rules.md) give
	// for this probe: zero for Correct; for BugDense, per arm, one
	// mutation-before-yield for each increment, update in a branch and
	// append before the arm's last call (re-entry into the arm at the
	// yield of a later call runs it again) and one repeated-call for each
	// call of Next but the arm's last (a later call of the same arm yields
	// after it returned Done). Not reported: the loops (`for m.d%4 != 0 {
	// m.d++ }` tests the progress it makes, so replaying it changes
	// nothing) and the mutations after an arm's last call (committed by its
	// transition).
	Expected int
}

// Module is the generated module's path; Package is the package of Step.
const (
	Module  = "probe.example"
	Package = Module + "/machine"
)

// Write generates the probe module of shape with n statements into dir
// (created if needed) and describes it.
func Write(dir string, shape Shape, n int) (Info, error) {
	if shape != BugDense && shape != Correct && shape != Straight {
		return Info{}, fmt.Errorf("probe: unknown shape %q (want %s, %s or %s)", shape, BugDense, Correct, Straight)
	}
	if n < 5 {
		return Info{}, fmt.Errorf("probe: %d statements is too few (at least 5)", n)
	}
	info := Info{Shape: shape}
	step := genStep(shape, n, &info)
	files := map[string]string{
		"go.mod":          "module " + Module + "\n\ngo 1.26\n",
		"rt/rt.go":        runtimeSrc,
		"machine/step.go": step,
	}
	for name, src := range files {
		if strings.HasSuffix(name, ".go") {
			b, err := format.Source([]byte(src))
			if err != nil {
				return Info{}, fmt.Errorf("probe: generated %s does not parse: %v", name, err)
			}
			src = string(b)
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return Info{}, err
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			return Info{}, err
		}
	}
	return info, nil
}

// genStep writes machine/step.go: the Machine type and its Step method.
func genStep(shape Shape, n int, info *Info) string {
	if shape == Straight {
		return genStraight(n, info)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `// Package machine holds the scaling probe: one resumable method of %d
// statements in the %s shape, generated by bench/probe.
package machine

import "%s/rt"

// Machine is the persistent state of the operation.
type Machine struct {
	state      int
	cur        *rt.Cursor
	a, b, c, d int
	log        []int
}

// Step advances the operation; on IO its caller waits and calls it again.
func (m *Machine) Step() (rt.Result[int], error) {
	switch m.state {
`, n, shape, Module)
	for start, k := 0, 0; start < n; start, k = start+ArmSize, k+1 {
		size := min(ArmSize, n-start)
		last := start+size >= n
		fmt.Fprintf(&b, "\tcase %d:\n", k)
		genArm(&b, shape, size, info)
		fmt.Fprintf(&b, "\t\tm.state = %d\n", k+1)
		if !last {
			b.WriteString("\t\tfallthrough\n")
		}
		info.Arms++
		info.Statements += size
	}
	b.WriteString("\t}\n\treturn rt.Done(m.a), nil\n}\n")
	return b.String()
}

// genStraight writes the straight shape's machine/step.go: n statements,
// the copy and the local first, then the body, the call of Next and the
// store of the copy.
func genStraight(n int, info *Info) string {
	var b strings.Builder
	fmt.Fprintf(&b, `// Package machine holds the scaling probe: one resumable method of %d
// statements in the %s shape, generated by bench/probe.
package machine

import "%s/rt"

// Pos is where the operation is.
type Pos struct{ off, n int }

// Machine is the persistent state of the operation.
type Machine struct {
	pos Pos
	cur *rt.Cursor
	a   int
}

// Step advances the operation; on IO its caller waits and calls it again.
func (m *Machine) Step() (rt.Result[int], error) {
	p := m.pos
	x := 2
`, n, Straight, Module)
	body := n - 4 // the copy, the local, the call of Next and the store
	define := ":="
	for i := 0; i < body; i++ {
		if i%5 == 4 && i+1 < body {
			fmt.Fprintf(&b, "\tr, err %s m.cur.Peek(x)\n", define)
			b.WriteString("\tif err != nil || r.IsIO() {\n\t\treturn rt.Forward[int](r, err)\n\t}\n")
			b.WriteString("\tx += r.Value()\n") // the next statement
			define = "="
			info.Calls++
			i++
			continue
		}
		b.WriteString([...]string{
			"\tx += 2\n",
			"\tif x > 3 {\n\t\tp.n++\n\t}\n",
			"\tfor x%4 != 0 {\n\t\tx++\n\t}\n",
			"\tp.off += x\n",
			"\tx *= 3\n", // a fifth statement with no room left for its call
		}[i%5])
	}
	fmt.Fprintf(&b, "\tr, err %s m.cur.Next()\n", define)
	b.WriteString("\tif err != nil || r.IsIO() {\n\t\treturn rt.Forward[int](r, err)\n\t}\n")
	b.WriteString("\tm.pos = p\n\treturn rt.Done(x), nil\n}\n")
	info.Calls++
	info.Arms = 1
	info.Statements = n
	return b.String()
}

// genArm writes the size-1 statements of one arm before its transition.
func genArm(b *strings.Builder, shape Shape, size int, info *Info) {
	body := size - 1 // the transition is the arm's last statement
	lastCall := -1
	for i := 0; i < body; i++ {
		if i%5 == 4 {
			lastCall = i
		}
	}
	calls := 0
	for i := 0; i < body; i++ {
		if i%5 == 4 {
			calls++
			method := "Next"
			arg := ""
			if shape == Correct && i != lastCall {
				method, arg = "Peek", "x"
			}
			// One result variable per arm, declared by its first call: a
			// variable per call would make SSA construction (lifting)
			// itself quadratic and the baseline would dominate.
			define := "="
			if calls == 1 {
				define = ":="
			}
			fmt.Fprintf(b, "\t\tr, err %s m.cur.%s(%s)\n", define, method, arg)
			b.WriteString("\t\tif err != nil || r.IsIO() {\n\t\t\treturn rt.Forward[int](r, err)\n\t\t}\n")
			if shape == Correct && i != lastCall {
				// The next statement uses the value (i+1 < lastCall < body).
				b.WriteString("\t\tx += r.Value()\n")
				i++
			}
			continue
		}
		if shape == Correct && i == 0 && lastCall > 0 {
			b.WriteString("\t\tx := 2\n") // the arm's local
			continue
		}
		b.WriteString(statement(i%5, shape == BugDense || i > lastCall))
		if shape == BugDense && i < lastCall && i%5 != 2 {
			info.Expected++ // replayed when a later call of the arm yields
		}
	}
	info.Calls += calls
	if shape == BugDense && calls > 1 {
		info.Expected += calls - 1 // every Next but the last is called again
	}
}

// statement returns statement kind k (0 to 3) of the cycle of five, on the
// receiver's fields or on the arm's local x.
func statement(k int, receiver bool) string {
	if !receiver {
		return [...]string{
			"\t\tx += 2\n",
			"\t\tif x > 3 {\n\t\t\tx -= 1\n\t\t}\n",
			"\t\tfor x%4 != 0 {\n\t\t\tx++\n\t\t}\n",
			"\t\tx *= 3\n",
		}[k]
	}
	return [...]string{
		"\t\tm.a++\n",
		"\t\tif m.b > 3 {\n\t\t\tm.c += m.a\n\t\t}\n",
		"\t\tfor m.d%4 != 0 {\n\t\t\tm.d++\n\t\t}\n",
		"\t\tm.log = append(m.log, m.a)\n",
	}[k]
}

// runtimeSrc is the probe's own annotated runtime.
const runtimeSrc = `// Package rt is the scaling probe's tiny runtime, annotated with the
// reentrycheck directives.
package rt

// Result is a resumable result: Done with a value, or IO (not finished:
// wait, then call the same function again from the top).
//
//reentrycheck:ioresult
type Result[T any] struct {
	v  T
	io bool
}

// Done returns the finished variant carrying v.
//
//reentrycheck:done
func Done[T any](v T) Result[T] { return Result[T]{v: v} }

// Wait returns the IO variant.
func Wait[T any]() Result[T] { return Result[T]{io: true} }

// IsIO reports whether r is not finished.
func (r Result[T]) IsIO() bool { return r.io }

// Value returns the Done value.
func (r Result[T]) Value() T { return r.v }

// Forward propagates a callee's result: (zero, err) on error, else its IO.
func Forward[T, U any](r Result[U], err error) (Result[T], error) {
	if err != nil {
		return Result[T]{}, err
	}
	return Result[T]{io: r.io}, nil
}

// Cursor reads records; every other call waits for I/O first.
type Cursor struct {
	pos     int
	pending bool
	memo    map[int]int
}

// Next moves to the next record and returns its position. It is
// re-pollable: after IO, call it again until it returns Done.
func (c *Cursor) Next() (Result[int], error) {
	if !c.pending {
		c.pending = true
		return Wait[int](), nil
	}
	c.pending = false
	c.pos++
	return Done(c.pos), nil
}

// Peek returns the record at i, read once and memoized: calling it again
// has no further effect.
//
//reentrycheck:idempotent
func (c *Cursor) Peek(i int) (Result[int], error) {
	if v, ok := c.memo[i]; ok {
		return Done(v), nil
	}
	if c.memo == nil {
		c.memo = map[int]int{}
	}
	c.memo[i] = 7 * i // the "read": a blind store, the same on every call
	return Wait[int](), nil
}
`
