package kvlog

import (
	"sort"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/reentrytest"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/stretchr/testify/require"
)

// prepared is a log file with three records (one key overwritten) and a
// torn fourth, so that the recovery a Put drives scans, commits and
// truncates.
func prepared() []byte {
	b := encodeAll("alpha", "1", "beta", "22", "alpha", "333")
	torn := encodeRecord([]byte("gamma"), []byte("4444"), int64(len(b)))
	return append(b, torn[:len(torn)-2]...)
}

// The dynamic twin of the linter: Put (with the recovery it drives first)
// behaves the same whether every completion is inline or every I/O and
// every hook forces a re-entry.
func TestReentryPut(t *testing.T) {
	rep := reentrytest.Check(t, func(env reentrytest.Env) (reentrytest.Run[int64], error) {
		env.Store.SetBytes(logPath, prepared())
		l, err := Open(env.IO, logPath, env.Inject)
		if err != nil {
			return reentrytest.Run[int64]{}, err
		}
		p := l.Put([]byte("beta"), []byte("new value"))
		return reentrytest.Run[int64]{Op: p.Resume, Snapshot: func() any { return l.state() }}, nil
	})
	require.True(t, rep.OK(), "diffs: %v", rep.Diffs)
	require.NoError(t, rep.Inline.Err)
	require.Greater(t, rep.Reentrant.Calls, rep.Inline.Calls, "the re-entrant run was re-entered more")
	st := rep.Reentrant.State.(logState)
	require.Equal(t, []string{"alpha", "beta"}, sortedKeys(st.Index))
	require.Equal(t, rep.Reentrant.Value, st.Index["beta"].off)
	require.False(t, st.Locked)
	three := encodeAll("alpha", "1", "beta", "22", "alpha", "333")
	want := append(three, encodeRecord([]byte("beta"), []byte("new value"), int64(len(three)))...)
	require.Equal(t, want, rep.Reentrant.Store[logPath])
}

// Two Puts in a row: the second finds the log recovered and writes after
// the first.
func TestReentryPutTwice(t *testing.T) {
	rep := reentrytest.Check(t, func(env reentrytest.Env) (reentrytest.Run[int64], error) {
		l, err := Open(env.IO, logPath, env.Inject)
		if err != nil {
			return reentrytest.Run[int64]{}, err
		}
		p1, p2 := l.Put([]byte("k"), []byte("first")), l.Put([]byte("k"), []byte("second"))
		seq := &sequence{ops: []func() (rt.IOResult[int64], error){p1.Resume, p2.Resume}}
		return reentrytest.Run[int64]{Op: seq.Resume, Snapshot: func() any { return l.state() }}, nil
	})
	require.True(t, rep.OK(), "diffs: %v", rep.Diffs)
	require.Equal(t, int64(headerSize+1+5), rep.Inline.Value)
}

func TestReentryRecover(t *testing.T) {
	rep := reentrytest.Check(t, func(env reentrytest.Env) (reentrytest.Run[int], error) {
		env.Store.SetBytes(logPath, prepared())
		l, err := Open(env.IO, logPath, env.Inject)
		if err != nil {
			return reentrytest.Run[int]{}, err
		}
		return reentrytest.Run[int]{Op: l.Recover().Resume, Snapshot: func() any { return l.state() }}, nil
	})
	require.True(t, rep.OK(), "diffs: %v", rep.Diffs)
	require.Equal(t, 3, rep.Inline.Value)
	st := rep.Reentrant.State.(logState)
	require.True(t, st.Recovered)
	require.Equal(t, int64(len(encodeAll("alpha", "1", "beta", "22", "alpha", "333"))), st.Tail)
	require.Equal(t, entry{off: int64(len(encodeAll("alpha", "1", "beta", "22"))), size: headerSize + 8}, st.Index["alpha"])
}

func TestReentryGet(t *testing.T) {
	rep := reentrytest.Check(t, func(env reentrytest.Env) (reentrytest.Run[[]byte], error) {
		env.Store.SetBytes(logPath, prepared())
		l, err := Open(env.IO, logPath, env.Inject)
		if err != nil {
			return reentrytest.Run[[]byte]{}, err
		}
		return reentrytest.Run[[]byte]{Op: l.Get([]byte("alpha")).Resume, Snapshot: func() any { return l.state() }}, nil
	})
	require.True(t, rep.OK(), "diffs: %v", rep.Diffs)
	require.Equal(t, "333", string(rep.Reentrant.Value))
}

// sequence runs resumable operations one after the other; its Done value
// is the last one's.
type sequence struct {
	ops  []func() (rt.IOResult[int64], error)
	i    int
	last int64
}

func (s *sequence) Resume() (rt.IOResult[int64], error) {
	for s.i < len(s.ops) {
		r, err := s.ops[s.i]()
		if err != nil || r.IsIO() {
			// Re-entrancy: s.i still names the unfinished operation, so
			// re-entry drives it again; finished ones are not repeated.
			return rt.Forward[int64](r, err)
		}
		s.last = r.Value()
		s.i++
	}
	return rt.Done(s.last), nil
}

func sortedKeys(m map[string]entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
