package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/internal/demo"
	"github.com/reentrycheck/reentrycheck/internal/version"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// Exit codes of the standalone command (docs/cli.md).
const (
	exitClean    = 0 // nothing found
	exitError    = 1 // usage, load or analysis error
	exitFindings = 3 // findings reported (text output, -diff with a non-empty diff)
)

func main() {
	args := os.Args[1:]
	if invokedByGoCommand(args) {
		// go vet and go fix speak the unitchecker protocol: -V=full, -flags,
		// then one run per package with a .cfg file. unitchecker registers
		// the analyzer's flags with the "reentrycheck." prefix and exits.
		unitchecker.Main(analyzer.Analyzer)
		return
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// invokedByGoCommand recognizes the go vet / go fix tool protocol.
func invokedByGoCommand(args []string) bool {
	for _, a := range args {
		switch strings.TrimPrefix(a, "-") {
		case "-V=full", "V=full", "-V", "V", "-flags", "flags":
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "demo":
			if len(args) > 1 {
				fmt.Fprintln(stderr, "reentrycheck: demo takes no arguments")
				return exitError
			}
			return runDemo(stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, "reentrycheck", version.Read())
			return exitClean
		case "help":
			newCommand(stderr).usage()
			return exitClean
		}
	}
	return newCommand(stderr).run(args, stdout)
}

func runDemo(stdout, stderr io.Writer) int {
	ok, err := demo.Run(stdout)
	if err != nil {
		fmt.Fprintln(stderr, "reentrycheck demo:", err)
		return exitError
	}
	if !ok {
		fmt.Fprintln(stderr, "reentrycheck demo: the analyzer did not report what the example expects (a regression)")
		return exitError
	}
	return exitClean
}
