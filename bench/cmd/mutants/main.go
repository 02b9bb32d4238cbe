// Command mutants is the mutation test of reentrycheck (docs/mutation.md):
// it injects re-entrancy bugs into correct resumable functions, confirms
// each mutant with the dynamic check (runtime/reentrytest), and prints, per
// operator, the share of confirmed mutants the analyzer flags, the
// analyzer's findings on the unmutated code, and the confirmed mutants it
// missed.
//
//	go run ./bench/cmd/mutants [-operators a,b] [-targets kvlog,corpus] [-max N] [-v] [-json]
//
// Run it from the repository root (or pass -repo). It exits 1 if a
// confirmed mutant is missed or the unmutated code has a finding.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/reentrycheck/reentrycheck/bench/mutants"
)

func main() {
	repo := flag.String("repo", ".", "the repository root")
	ops := flag.String("operators", "", "comma-separated operators (default: all)")
	targets := flag.String("targets", "", "comma-separated targets (default: all)")
	maxN := flag.Int("max", 0, "at most this many mutants per operator and target (0: all)")
	timeout := flag.Duration("timeout", 2*time.Minute, "timeout of one harness run")
	verbose := flag.Bool("v", false, "print a line per mutant as it is judged")
	list := flag.Bool("list", false, "list the operators and targets and exit")
	asJSON := flag.Bool("json", false, "print the report as JSON (every verdict, the counts, the unmutated findings)")
	flag.Parse()

	if *list {
		for _, op := range mutants.Operators {
			fmt.Printf("operator %-16s %s\n", op.Name, op.Doc)
		}
		for _, t := range mutants.Targets {
			fmt.Printf("target   %-16s %s\n", t.Name, t.Dir)
		}
		return
	}
	cfg := mutants.Config{Repo: *repo, Max: *maxN, Timeout: *timeout}
	if *verbose {
		cfg.Log = os.Stderr
	}
	for _, name := range split(*ops) {
		op, ok := mutants.OperatorByName(name)
		if !ok {
			fatalf("unknown operator %q (see -list)", name)
		}
		cfg.Operators = append(cfg.Operators, op)
	}
	if cfg.Operators == nil {
		cfg.Operators = mutants.Operators
	}
	for _, name := range split(*targets) {
		t, ok := mutants.TargetByName(name)
		if !ok {
			fatalf("unknown target %q (see -list)", name)
		}
		cfg.Targets = append(cfg.Targets, t)
	}
	if cfg.Targets == nil {
		cfg.Targets = mutants.Targets
	}
	rep, err := mutants.Run(context.Background(), cfg)
	if err != nil {
		fatalf("%v", err)
	}
	met := mutants.Met(rep, cfg)
	if *asJSON {
		if err := mutants.WriteJSON(os.Stdout, rep, cfg); err != nil {
			fatalf("%v", err)
		}
	} else {
		mutants.Print(os.Stdout, rep, cfg)
	}
	if !met {
		os.Exit(1)
	}
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mutants: "+format+"\n", args...)
	os.Exit(2)
}
