package reentrytest_test

import (
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
)

// printer is a Reporter that prints; in a test, pass t instead.
type printer struct{}

func (printer) Helper()                           {}
func (printer) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

type appendState int

const (
	appendWrite appendState = iota
	appendAwait
	appendDone
)

// beforeWrite is the only point of the "log" subsystem's injection enum.
var beforeWrite = sim.Point{Subsystem: "log", Ordinal: 0, Count: 1}

// logAppend appends a record to a file and to an in-memory index. The
// buggy version updates the index before an injection hook, breaking the
// placement rule "never place a hook after a push".
type logAppend struct {
	f     rt.File
	inj   sim.Injector
	rec   []byte
	index []int
	state appendState
	buggy bool
}

func (l *logAppend) Resume() (rt.IOResult[int], error) {
	for {
		switch l.state {
		case appendWrite:
			if l.buggy {
				//reentrycheck:ignore deliberate C1 bug for the example
				l.index = append(l.index, len(l.rec))
			}
			if l.inj.ShouldYield(beforeWrite) {
				// Re-entrancy: safe only in the fixed version, where
				// nothing was mutated in this state yet.
				return rt.Yield[int](), nil
			}
			c, err := l.f.WriteAt(l.rec, 0, rt.NewWrite(nil))
			if err != nil {
				return rt.IOResult[int]{}, err
			}
			l.state = appendAwait
			if !c.Finished() {
				// Re-entrancy: advanced first; re-entry lands in appendAwait.
				return rt.Wait[int](c), nil
			}
		case appendAwait:
			if !l.buggy {
				l.index = append(l.index, len(l.rec))
			}
			l.state = appendDone
		default:
			return rt.Done(len(l.index)), nil
		}
	}
}

func setup(buggy bool) reentrytest.Setup[int] {
	return func(env reentrytest.Env) (reentrytest.Run[int], error) {
		f, err := env.IO.Open("log", rt.OpenCreate)
		if err != nil {
			return reentrytest.Run[int]{}, err
		}
		op := &logAppend{f: f, inj: env.Inject, rec: []byte("record"), buggy: buggy}
		return reentrytest.Run[int]{Op: op.Resume, Snapshot: func() any { return op.index }}, nil
	}
}

func ExampleCheck() {
	fmt.Println("fixed OK:", reentrytest.Check(printer{}, setup(false)).OK())
	fmt.Println("buggy OK:", reentrytest.Check(printer{}, setup(true)).OK())
	// Output:
	// fixed OK: true
	// reentrytest: the operation behaves differently when re-entered at every yield (inline run: 1 call(s); re-entrant run: 3 call(s)); inline vs re-entrant:
	// 	result: 1 != 2
	// 	state: length 1 != 2
	// 	state[1]: extra 6
	// buggy OK: false
}

// Verify gives the verdict as a value, for a harness that is not a test.
func ExampleVerify() {
	rep := reentrytest.Verify(reentrytest.Options{}, setup(true))
	fmt.Println("OK:", rep.OK())
	for _, f := range rep.Findings {
		fmt.Println(f)
	}
	// Output:
	// OK: false
	// inline vs re-entrant: result: 1 != 2
	// inline vs re-entrant: state: length 1 != 2
	// inline vs re-entrant: state[1]: extra 6
}
