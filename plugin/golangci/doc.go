// Package golangci is reentrycheck's golangci-lint module plugin.
//
// Importing it (for its side effect) registers a linter named "reentrycheck"
// with github.com/golangci/plugin-module-register. A golangci-lint binary that
// compiles it in runs the same analyzer as the standalone CLI and go vet, with
// the CLI flags given as settings:
//
//	version: "2"
//	linters:
//	  enable: [reentrycheck]
//	  settings:
//	    custom:
//	      reentrycheck:
//	        type: module
//	        settings:
//	          ioresult: [example.com/rt.Result]      # like -ioresult
//	          done: [example.com/rt.Done]            # like -done
//	          completion: [example.com/rt.Completion] # like -completion
//	          idempotent: [example.com/rt.Page.Read] # like -idempotent
//	          rules: [default, blind-overwrite]      # like -rules
//
// Unknown setting keys and malformed entries are errors, reported when
// golangci-lint starts. tools/golangci-lint builds such a binary offline; see
// docs/golangci-lint.md.
package golangci
