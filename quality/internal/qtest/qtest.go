// Package qtest confirms the corpus's labels dynamically. Each corpus
// package has a table of cases, one per labelled function; Run checks that
// the table and the labels agree and that every case's dynamic check
// detects a bug exactly when the label says there is one.
package qtest

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/reentrycheck/reentrycheck/quality/internal/labels"
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// Result is one dynamic check's verdict.
type Result struct {
	Detected bool   // the check found a re-entrancy bug
	Detail   string // what it found, or why it found nothing
}

// Case is one labelled function and its dynamic check.
type Case struct {
	Func  string        // labels.FuncName of the function
	Check func() Result // the dynamic confirmation
}

// Opts are the options every Verify call starts from: a small call budget,
// so that an operation that livelocks on re-entry fails fast.
func Opts() reentrytest.Options { return reentrytest.Options{MaxCalls: 2000} }

// Verify runs reentrytest.Verify and turns its report into a Result.
func Verify[T any](opts reentrytest.Options, setup reentrytest.Setup[T]) Result {
	if opts.MaxCalls == 0 {
		opts.MaxCalls = 2000
	}
	rep := reentrytest.Verify(opts, setup)
	if rep.OK() {
		return Result{Detail: fmt.Sprintf("reentrytest OK (%d/%d calls, %d polls absorbed)", rep.Inline.Calls, rep.Reentrant.Calls, rep.Polls.Absorbed)}
	}
	return Result{Detected: true, Detail: "reentrytest: " + strings.Join(rep.Diffs, "; ")}
}

// Both combines two checks: detected if either detects.
func Both(a, b func() Result) func() Result {
	return func() Result {
		ra, rb := a(), b()
		return Result{Detected: ra.Detected || rb.Detected, Detail: ra.Detail + " | " + rb.Detail}
	}
}

// Locker is what LockAtYield probes.
type Locker interface {
	TryLock() bool
	Unlock()
}

// LockAtYield is the bespoke check for C10 (reentrytest cannot see a lock:
// a buggy operation deadlocks on its own re-entry). It drives op on the
// deferring backend and, at every yield, probes mu with TryLock before
// re-entering: a lock still held at a yield is detected (and the run stops
// there, instead of deadlocking).
func LockAtYield[T any](setup func(io rt.IO, store *memio.Store) (func() (rt.IOResult[T], error), Locker, error)) Result {
	io := memio.NewDeferring()
	op, mu, err := setup(io, io.Store())
	if err != nil {
		return Result{Detected: true, Detail: "setup: " + err.Error()}
	}
	ctx := context.Background()
	for calls := 0; calls < 2000; calls++ {
		r, err := op()
		if !mu.TryLock() {
			return Result{Detected: true, Detail: fmt.Sprintf("lock held when call %d returned", calls+1)}
		}
		mu.Unlock()
		if err != nil {
			return Result{Detail: "failed: " + err.Error()}
		}
		if r.IsDone() {
			return Result{Detail: fmt.Sprintf("no lock held at any of %d returns", calls+1)}
		}
		if err := io.Wait(ctx, r.Completion()); err != nil {
			return Result{Detail: "I/O failed: " + err.Error()}
		}
	}
	return Result{Detected: true, Detail: "livelock"}
}

// ErrFault is the failure FaultyIO injects.
var ErrFault = errors.New("qtest: injected I/O failure")

// FaultyIO wraps a backend so that every read, write, sync and truncate on
// its files completes with ErrFault (through the completion, so callbacks
// run with the error).
type FaultyIO struct{ rt.IO }

// Open opens path on the wrapped backend, with failing writes.
func (f FaultyIO) Open(path string, flag rt.OpenFlag) (rt.File, error) {
	file, err := f.IO.Open(path, flag)
	if err != nil {
		return nil, err
	}
	return faultyFile{file}, nil
}

type faultyFile struct{ rt.File }

func (faultyFile) ReadAt(c *rt.Completion, _ int64) (*rt.Completion, error) {
	c.Fail(ErrFault)
	return c, nil
}

func (faultyFile) WriteAt(_ []byte, _ int64, c *rt.Completion) (*rt.Completion, error) {
	c.Fail(ErrFault)
	return c, nil
}

func (faultyFile) WriteV(_ [][]byte, _ int64, c *rt.Completion) (*rt.Completion, error) {
	c.Fail(ErrFault)
	return c, nil
}

func (faultyFile) Sync(c *rt.Completion) (*rt.Completion, error) {
	c.Fail(ErrFault)
	return c, nil
}

func (faultyFile) Truncate(_ int64, c *rt.Completion) (*rt.Completion, error) {
	c.Fail(ErrFault)
	return c, nil
}

// FailedIO is the bespoke check for C12 (reentrytest injects no faults):
// it runs op to its end with rt.Block on a backend whose I/O fails, then
// asks claims whether the operation's state publishes
// a success anyway. Detected when it does.
func FailedIO[T any](setup func(io rt.IO, store *memio.Store) (func() (rt.IOResult[T], error), func() string, error)) Result {
	base := memio.New()
	io := FaultyIO{IO: base}
	op, claims, err := setup(io, base.Store())
	if err != nil {
		return Result{Detected: true, Detail: "setup: " + err.Error()}
	}
	_, runErr := rt.Block(context.Background(), io, op)
	if c := claims(); c != "" {
		return Result{Detected: true, Detail: fmt.Sprintf("after a failed I/O (%v) the state claims: %s", runErr, c)}
	}
	return Result{Detail: fmt.Sprintf("failure (%v) left no false success", runErr)}
}

// once guards the label cache.
var (
	mu    sync.Mutex
	cache = map[string][]labels.Label{}
)

// PackageLabels parses the labels of the non-test Go files in dir.
func PackageLabels(dir string) ([]labels.Label, error) {
	mu.Lock()
	defer mu.Unlock()
	if ls, ok := cache[dir]; ok {
		return ls, nil
	}
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var ls []labels.Label
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, n, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		got, err := labels.Parse(filepath.Base(dir), fset, []*ast.File{f})
		if err != nil {
			return nil, err
		}
		ls = append(ls, got...)
	}
	cache[dir] = ls
	return ls, nil
}

// Run checks the package in the current directory: every label has exactly
// one case and every case a label, and each case's check detects a bug
// exactly when its label is "bug".
func Run(t *testing.T, cases []Case) {
	t.Helper()
	ls, err := PackageLabels(".")
	if err != nil {
		t.Fatal(err)
	}
	if missing, err := YieldComments("."); err != nil {
		t.Fatal(err)
	} else {
		for _, m := range missing {
			t.Errorf("yield point without a Re-entrancy (or Bug) comment: %s", m)
		}
	}
	byName := map[string]labels.Label{}
	for _, l := range ls {
		if _, dup := byName[l.Func]; dup {
			t.Errorf("%s is labelled twice", l.Func)
		}
		byName[l.Func] = l
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.Func] {
			t.Errorf("%s has two cases", c.Func)
		}
		seen[c.Func] = true
		if _, ok := byName[c.Func]; !ok {
			t.Errorf("case %s has no labelled function", c.Func)
		}
	}
	var missing []string
	for name := range byName {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		t.Errorf("labelled function %s has no dynamic check", name)
	}
	for _, c := range cases {
		l, ok := byName[c.Func]
		if !ok {
			continue
		}
		t.Run(c.Func, func(t *testing.T) {
			r := c.Check()
			switch {
			case l.Bug && !r.Detected:
				t.Errorf("labelled bug %s, but the dynamic check found nothing: %s", l.Class, r.Detail)
			case !l.Bug && r.Detected:
				t.Errorf("labelled ok, but the dynamic check found: %s", r.Detail)
			default:
				t.Logf("%s %s: %s", map[bool]string{true: "bug", false: "ok"}[l.Bug], l.Class, r.Detail)
			}
		})
	}
}
