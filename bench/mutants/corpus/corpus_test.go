package corpus

import (
	"context"
	"testing"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
	"github.com/stretchr/testify/require"
)

// What the operations compute, driven to the end on the deferring backend.
func TestCorpusResults(t *testing.T) {
	io := memio.NewDeferring()
	log, err := io.Open("log", rt.OpenCreate)
	require.NoError(t, err)
	data, err := io.Open("data", rt.OpenCreate)
	require.NoError(t, err)
	p := NewPipeline(log, data, []byte("record"), pages()...)
	sum, err := rt.Block(context.Background(), io, p.Resume)
	require.NoError(t, err)
	require.Equal(t, 1+2+3, sum)
	require.Equal(t, PipelineState{Steps: 3, Appended: 6, Pages: 3, Sum: 6}, p.State())
	got, _ := io.Store().Bytes("log")
	require.Equal(t, "record", string(got))

	b := NewBatch(log, 6, []byte("ab"), []byte("cde"))
	n, err := rt.Block(context.Background(), io, b.Resume)
	require.NoError(t, err)
	require.Equal(t, int64(5), n)
	got, _ = io.Store().Bytes("log")
	require.Equal(t, "recordabcde", string(got))
}
