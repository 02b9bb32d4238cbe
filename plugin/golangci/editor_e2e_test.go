package golangci_test

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vscodeGoArgs is the command line vscode-go runs for "go.lintTool":
// "golangci-lint-v2" (extension/src/goLint.ts), before the scope's argument.
// "golangci-lint-v2" selects these v2 flags explicitly; for plain
// "golangci-lint" vscode-go would guess the major version from the binary.
var vscodeGoArgs = []string{
	"run",
	"--issues-exit-code=0",
	"--output.text.print-issued-lines=false",
	"--show-stats=false",
	"--output.text.path=stdout",
	"--path-mode=abs",
}

// vscodeGoLine is the pattern vscode-go matches each output line against
// (file, line, optional column, message), as in its lint result parser.
var vscodeGoLine = regexp.MustCompile(`^([^:]*: )?((.:)?[^:]*):(\d+)(:(\d+)?)?:(?:\w+:)? (.*)$`)

var editorSample = filepath.Join(repoRoot, "testdata", "editor")

func TestVSCodeGoCommandLine(t *testing.T) {
	want := lineOf(t, editorSample, "queue/queue.go", "l.pending = append(l.pending, b)")
	wantFile, err := filepath.Abs(filepath.Join(editorSample, "queue", "queue.go"))
	require.NoError(t, err)

	for _, tc := range []struct {
		scope string
		dir   string
		extra []string
	}{
		// lintOnSave "package" (the default): run in the file's directory.
		{"package", filepath.Join(editorSample, "queue"), nil},
		// lintOnSave "workspace": run at the workspace root over ./...
		{"workspace", editorSample, []string{"./..."}},
		// lintOnSave "file": the file's absolute path, in its directory.
		{"file", filepath.Join(editorSample, "queue"), []string{wantFile}},
	} {
		t.Run(tc.scope, func(t *testing.T) {
			stdout, stderr, code := runLint(t, tc.dir, append(append([]string{}, vscodeGoArgs...), tc.extra...)...)
			assert.Equal(t, 0, code, "--issues-exit-code=0 even with findings; stderr: %s", stderr)

			var found bool
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			require.NotEmpty(t, strings.TrimSpace(stdout), "no output; stderr: %s", stderr)
			for _, l := range lines {
				m := vscodeGoLine.FindStringSubmatch(l)
				require.NotNil(t, m, "vscode-go cannot parse %q", l)
				file, line, col, msg := m[2], m[4], m[6], m[7]
				assert.True(t, filepath.IsAbs(file), "--path-mode=abs gives absolute paths: %q", file)
				assert.Equal(t, wantFile, file)
				assert.NotEmpty(t, col, "a column is given")
				assert.True(t, strings.HasSuffix(msg, " (reentrycheck)"), "the linter's name ends the message: %q", msg)
				assert.NotContains(t, msg, "related information", "the yield point is folded into the finding's message")
				if n, _ := strconv.Atoi(line); n == want.Line {
					found = true
					assert.Contains(t, msg, "l.pending")
				}
			}
			assert.True(t, found, "no finding at %v in:\n%s", want, stdout)
		})
	}
}
