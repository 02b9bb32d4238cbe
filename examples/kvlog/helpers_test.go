package kvlog

import (
	"context"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/reentrycheck/reentrycheck/runtime/sim"
	"github.com/stretchr/testify/require"
)

const logPath = "kv.log"

// logState is a plain copy of a log's persistent state, for comparisons.
type logState struct {
	Index     map[string]entry
	Tail      int64
	Recovered bool
	Locked    bool
}

func (l *Log) state() logState {
	idx := make(map[string]entry, len(l.index))
	for k, e := range l.index {
		idx[k] = e
	}
	return logState{Index: idx, Tail: l.tail, Recovered: l.recovered, Locked: l.writer != nil}
}

// put drives one Put to its end with rt.BlockWith.
func put(t testing.TB, io rt.IO, l *Log, key, value string) (int64, error) {
	t.Helper()
	p := l.Put([]byte(key), []byte(value))
	return rt.BlockWith(context.Background(), io, p.Resume, p)
}

// get drives one Get to its end.
func get(t testing.TB, io rt.IO, l *Log, key string) (string, error) {
	t.Helper()
	v, err := rt.Block(context.Background(), io, l.Get([]byte(key)).Resume)
	return string(v), err
}

// recoverLog drives l's recovery to its end.
func recoverLog(t testing.TB, io rt.IO, l *Log) (int, error) {
	t.Helper()
	return rt.Block(context.Background(), io, l.Recover().Resume)
}

// openLog opens the log at logPath on io.
func openLog(t testing.TB, io rt.IO, inj sim.Injector) *Log {
	t.Helper()
	l, err := Open(io, logPath, inj)
	require.NoError(t, err)
	return l
}

// encodeAll lays records end to end, as a log file holds them.
func encodeAll(kvs ...string) []byte {
	var b []byte
	for i := 0; i+1 < len(kvs); i += 2 {
		b = append(b, encodeRecord([]byte(kvs[i]), []byte(kvs[i+1]), int64(len(b)))...)
	}
	return b
}

// requireContents checks that l holds exactly want, through Gets.
func requireContents(t testing.TB, io rt.IO, l *Log, want map[string]string) {
	t.Helper()
	require.Len(t, l.Keys(), len(want), "keys: %v", l.Keys())
	for k, v := range want {
		got, err := get(t, io, l, k)
		require.NoError(t, err, "get %q", k)
		require.Equal(t, v, got, "get %q", k)
	}
}
