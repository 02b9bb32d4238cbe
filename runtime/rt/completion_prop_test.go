package rt

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"
)

// finishCall is one call of Complete, Fail or Abort.
type finishCall struct {
	op  int // 0 Complete, 1 Fail, 2 Abort
	n   int
	err error
}

func (f finishCall) apply(c *Completion) {
	switch f.op {
	case 0:
		c.Complete(f.n)
	case 1:
		c.Fail(f.err)
	default:
		c.Abort()
	}
}

// outcome is what the call would store on a plain (write) completion.
func (f finishCall) outcome() (int, error) {
	switch f.op {
	case 0:
		return f.n, nil
	case 1:
		return 0, f.err
	default:
		return 0, ErrAborted
	}
}

func drawCalls(t *rapid.T) []finishCall {
	k := rapid.IntRange(1, 8).Draw(t, "calls")
	calls := make([]finishCall, k)
	for i := range calls {
		calls[i] = finishCall{
			op:  rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("op%d", i)),
			n:   rapid.IntRange(0, 4096).Draw(t, fmt.Sprintf("n%d", i)),
			err: fmt.Errorf("error %d", i),
		}
	}
	return calls
}

// recorder is a callback that counts its calls and keeps its arguments.
type recorder struct {
	calls atomic.Int32
	n     atomic.Int64
	err   atomic.Pointer[error]
}

func (r *recorder) write(n int, err error) {
	r.calls.Add(1)
	r.n.Store(int64(n))
	r.err.Store(&err)
}

// TestPropCompletionSequential: for any sequence of Complete/Error/Abort
// calls, the first call decides the outcome, the callback runs exactly once
// with that outcome, and Finished/Succeeded/Failed/Err/N agree with it.
// Read completions whose callback rejects short reads store the callback's
// error in place of a success.
func TestPropCompletionSequential(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		calls := drawCalls(t)
		var rec recorder
		kind := rapid.IntRange(0, 3).Draw(t, "kind")
		var c *Completion
		want := 0
		switch kind {
		case 0:
			c = NewWrite(rec.write)
		case 1:
			c = NewSync(rec.write)
		case 2:
			c = NewTruncate(rec.write)
		default:
			want = rapid.IntRange(0, 4096).Draw(t, "want")
			c = NewRead(make([]byte, want), func(buf []byte, n int, err error) error {
				rec.write(n, err)
				if err == nil && n < len(buf) {
					return &ShortReadError{Page: 1, Expected: len(buf), Actual: n}
				}
				return nil
			})
		}
		for i, call := range calls {
			call.apply(c)
			if !c.Finished() {
				t.Fatalf("not finished after call %d", i)
			}
		}
		n, err := calls[0].outcome()
		if got := rec.calls.Load(); got != 1 {
			t.Fatalf("callback ran %d times", got)
		}
		if gotErr := *rec.err.Load(); gotErr != err || (err == nil && rec.n.Load() != int64(n)) {
			t.Fatalf("callback saw (%d, %v), first call was (%d, %v)", rec.n.Load(), gotErr, n, err)
		}
		if kind == 3 && err == nil && n < want {
			var sr *ShortReadError
			if !errors.As(c.Err(), &sr) || sr.Actual != n {
				t.Fatalf("short read not reported: %v", c.Err())
			}
			n, err = 0, c.Err()
		}
		if c.Err() != err || c.N() != n || c.Succeeded() != (err == nil) || c.Failed() != (err != nil) {
			t.Fatalf("outcome (%d, %v) succeeded=%v failed=%v, want (%d, %v)",
				c.N(), c.Err(), c.Succeeded(), c.Failed(), n, err)
		}
	})
}

// TestPropCompletionConcurrent: the same calls from several goroutines at
// once. Exactly one wins: the callback runs once, the stored outcome is one
// of the calls' outcomes and matches what the callback saw, every Complete
// and Fail returns only after the completion has finished, and every Abort
// returns only after the completion has at least started finishing (Abort
// never waits for a finish in progress).
func TestPropCompletionConcurrent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		calls := drawCalls(t)
		var rec recorder
		c := NewWrite(rec.write)
		done := c.Done()
		var wg sync.WaitGroup
		var early atomic.Bool
		start := make(chan struct{})
		for _, call := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				call.apply(c)
				if call.op == 2 {
					if !c.isCompleting() {
						early.Store(true)
					}
				} else if !c.Finished() {
					early.Store(true)
				}
			}()
		}
		close(start)
		wg.Wait()
		<-done
		if early.Load() {
			t.Fatal("a completer returned before the completion finished")
		}
		if got := rec.calls.Load(); got != 1 {
			t.Fatalf("callback ran %d times", got)
		}
		matched := false
		for _, call := range calls {
			n, err := call.outcome()
			if c.Err() == err && (err != nil || c.N() == n) {
				matched = true
			}
		}
		if !matched {
			t.Fatalf("outcome (%d, %v) is none of the calls'", c.N(), c.Err())
		}
		if *rec.err.Load() != c.Err() {
			t.Fatalf("callback saw %v, stored %v", *rec.err.Load(), c.Err())
		}
	})
}
