package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Real modules in the error spelling of yields (docs/quality.md, "Real
// modules in the error spelling"): the command runs on code it was not
// written against, at pinned versions, and the findings are the judged
// ones. `make e2e-real` runs the whole of gVisor's pkg/tcpip/...; these
// tests take a representative subset.

const (
	gvisorModule = "gvisor.dev/gvisor"
	gvisorPin    = "v0.0.0-20260905035102-160fafc42237"
	xnetModule   = "golang.org/x/net"
	xnetPin      = "v0.62.0"
	xzModule     = "github.com/xi2/xz"
	xzPin        = "v0.0.0-20171230120015-48954b6210f8"
)

// realModule writes a scratch module requiring mod@version and importing
// pkgs, resolves its dependencies and returns its directory and the
// directory of mod in the module cache. It tries the module cache alone
// first, then the module proxy of the environment; when neither has the
// modules the test is skipped, saying so.
func realModule(t *testing.T, mod, version string, pkgs ...string) (dir, modDir string) {
	t.Helper()
	needBinary(t)
	dir = t.TempDir()
	gomod := "module example.com/scratch\n\ngo 1.26\n\nrequire " + mod + " " + version + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	var src strings.Builder
	src.WriteString("package scratch\n\nimport (\n")
	for _, p := range pkgs {
		src.WriteString("\t_ \"" + p + "\"\n")
	}
	src.WriteString(")\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "scratch.go"), []byte(src.String()), 0o644))

	// resolve tidies the module, lists the packages with their tests'
	// dependencies (which the analysis loads, and tidy does not fetch for
	// packages outside the main module) and lists mod's directory, which
	// may need go.mod files that tidy did not; all in one environment: the
	// module cache alone first, then the proxy. Afterwards the cache holds
	// everything the analysis, run with the proxy off, will ask for.
	resolve := func(env []string) (string, string, bool) {
		if _, stderr, code := run(t, dir, env, "go", "mod", "tidy"); code != 0 {
			return "", stderr, false
		}
		if _, stderr, code := run(t, dir, env, "go", append([]string{"list", "-deps", "-test"}, pkgs...)...); code != 0 {
			return "", stderr, false
		}
		out, stderr, code := run(t, dir, env, "go", "list", "-m", "-f", "{{.Dir}}", mod)
		return strings.TrimSpace(out), stderr, code == 0 && strings.TrimSpace(out) != ""
	}
	modDir, cacheErr, ok := resolve(baseEnv())
	if !ok {
		proxy := os.Getenv("GOPROXY")
		if proxy == "" || proxy == "off" {
			proxy = "https://proxy.golang.org"
		}
		var proxyErr string
		modDir, proxyErr, ok = resolve(append(baseEnv(), "GOPROXY="+proxy))
		if !ok {
			t.Skipf("SKIPPED: %s@%s and its dependencies are neither in the module cache nor reachable through the module proxy %s:\nfrom the cache: %s\nfrom the proxy: %s",
				mod, version, proxy, strings.TrimSpace(cacheErr), strings.TrimSpace(proxyErr))
		}
	}
	return dir, modDir
}

// realFindings runs the command with -json and returns every finding as
// "path/in/module.go:line (category)", deduplicated (test variants repeat
// a package's findings) and sorted. An analysis error fails the test.
func realFindings(t *testing.T, dir, modDir string, args ...string) []string {
	t.Helper()
	stdout, stderr, code := reentrycheck(t, dir, append([]string{"-json"}, args...)...)
	require.Equal(t, 0, code, "stderr:\n%s", stderr)
	var tree map[string]map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(stdout), &tree), stdout)
	seen := map[string]bool{}
	for pkg, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var diags []jsonDiag
			require.NoError(t, json.Unmarshal(raw, &diags), "package %s, analyzer %s: %s", pkg, name, raw)
			for _, d := range diags {
				rel, err := filepath.Rel(modDir, d.Posn)
				require.NoError(t, err)
				rel = filepath.ToSlash(rel)
				require.False(t, strings.HasPrefix(rel, ".."), "finding outside the module: %s", d.Posn)
				file, line := rel, ""
				if parts := strings.Split(rel, ":"); len(parts) >= 2 {
					file, line = parts[0], parts[1]
				}
				seen[file+":"+line+" ("+d.Category+")"] = true
			}
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// gVisor's netstack with ErrWouldBlock, a type of the tcpip.Error space
// (an interface without an Error method), as the yield: udp, tcp and icmp.
// It
// reports nothing (docs/quality.md): the writability check polled twice
// consumes the pending error only on its way to an error exit (a call that
// said "writable" changed nothing), the payload reader's package-state
// writes were a stack-trace memo filled once per key, and the accept
// queue's removal is never on the would-block path (the local it records
// the connection in is tested). gVisor's own lock pairs (LockUser/
// UnlockUser, its sync.Mutex) are locks, and udp's write context, acquired
// inside the struct prepareForWrite returns and released by a deferred
// call, lives for one call. icmp binds itself on its first write, under a
// test of the state that the bind moves on its one success, three calls
// down. Calls through tcpip.Error interfaces are not yields by their
// type, or these packages would report hundreds.
func TestRealGVisorTCPIPErrWouldBlock(t *testing.T) {
	pkgs := []string{gvisorModule + "/pkg/tcpip/transport/udp", gvisorModule + "/pkg/tcpip/transport/tcp", gvisorModule + "/pkg/tcpip/transport/icmp"}
	dir, modDir := realModule(t, gvisorModule, gvisorPin, pkgs...)
	got := realFindings(t, dir, modDir, append([]string{"-yielderr=" + gvisorModule + "/pkg/tcpip.ErrWouldBlock"}, pkgs...)...)
	assert.Empty(t, got)
	// The silence is the rules', not a run that analysed nothing: with the
	// whole error space as a result type, every error return is a yield.
	broad := realFindings(t, dir, modDir, append([]string{"-ioresult=" + gvisorModule + "/pkg/tcpip.Error"}, pkgs...)...)
	assert.NotEmpty(t, broad)
}

// hpack's decoder with its unexported sentinel errNeedMore: a header field
// cut short is saved and re-parsed from the top on the next Write. It
// reports nothing: the parsers it re-runs (readString, readVarInt) only
// read the caller's slice, and a pure callee is free to call again.
func TestRealHpackErrNeedMore(t *testing.T) {
	dir, modDir := realModule(t, xnetModule, xnetPin, xnetModule+"/http2/hpack")
	got := realFindings(t, dir, modDir, "-yielderr="+xnetModule+"/http2/hpack.errNeedMore", xnetModule+"/http2/hpack")
	assert.Empty(t, got)

	// The flag checker accepts the unexported sentinel, and still refuses
	// a name that is not there.
	_, stderr, code := reentrycheck(t, dir, "-yielderr="+xnetModule+"/http2/hpack.errNoSuchThing", xnetModule+"/http2/hpack")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, `-yielderr entry "golang.org/x/net/http2/hpack.errNoSuchThing": package golang.org/x/net/http2/hpack has no declaration errNoSuchThing`)
}

// xz's decoder with its status xzOK as the yield ("more input or output
// space needed") in the status spelling: a mature, correct state machine,
// on which the linter must be silent. The one-shot helpers that return
// xzOK as success (header parsers, resets) are decided by their callers;
// input consumed in loops that leave by the yield commits; the BCJ filter
// and the LZMA2 run yield because the cursors they advanced say so
// (progress yields), and the filter's status re-read from its field under
// `s.ret != xzStreamEnd && s.ret != xzOK` is narrowed like a local.
func TestRealXZStatus(t *testing.T) {
	dir, modDir := realModule(t, xzModule, xzPin, xzModule)
	got := realFindings(t, dir, modDir, "-yieldvalue="+xzModule+".xzOK", xzModule)
	assert.Empty(t, got)
	// The silence is the rules', not a run that analysed nothing: declared
	// as a result type, every return of the status is a yield, and the
	// same functions are flagged.
	broad := realFindings(t, dir, modDir, "-ioresult="+xzModule+".xzRet", xzModule)
	assert.NotEmpty(t, broad)
}
