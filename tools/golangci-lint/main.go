// Command golangci-lint is golangci-lint v2 with reentrycheck compiled in.
//
// golangci-lint's own `custom` command would build the same thing, but it
// clones golangci-lint with git; this module builds it from the Go module
// proxy alone. Its go.mod pins golangci-lint (and with it golang.org/x/tools)
// and replaces reentrycheck with the repository it lives in. Build it with
// `make golangci-lint`; see docs/golangci-lint.md.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	// Registers the "reentrycheck" module plugin.
	_ "github.com/reentrycheck/reentrycheck/plugin/golangci"
)

func main() {
	// "(devel)" is deliberate: golangci-lint then keys its analysis cache on
	// the binary's own hash, so a rebuild with a changed analyzer never reuses
	// facts computed by the previous one.
	info := commands.BuildInfo{Version: "(devel)", Commit: "with reentrycheck", Date: "(unknown)"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
		info.BuildInfo = bi
	}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
