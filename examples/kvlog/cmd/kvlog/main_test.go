package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out))
	got := out.String()
	for _, backend := range []string{"memory (deferring):\n", "OS files:\n"} {
		i := strings.Index(got, backend)
		require.GreaterOrEqual(t, i, 0, "section %q in:\n%s", backend, got)
		section := got[i:]
		require.Contains(t, section, "  put color=blue at offset 76\n")
		require.Contains(t, section, "  get color = blue\n")
		require.Contains(t, section, "  get weight: not found\n")
		require.Contains(t, section, "  reopened: 4 records, 3 keys, tail at 101\n")
		require.Contains(t, section, "  after recovery, get shape = circle\n")
	}
	require.Contains(t, got, "deferring backend steps: ")
}
