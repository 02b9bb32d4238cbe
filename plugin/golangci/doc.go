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
//	          yielderr: [example.com/net.ErrWouldBlock] # like -yielderr
//	          yieldvalue: [example.com/dec.StatusMore]  # like -yieldvalue
//	          rules: [default, blind-overwrite]      # like -rules
//	          related: false                         # the plugin's own, see below
//
// golangci-lint reports each related-information entry of a diagnostic as an
// issue of its own, so every finding would appear a second time at its yield
// point (or callback): a //nolint on the finding's line would leave that
// issue behind, and max-same-issues would count the finding twice. The
// plugin therefore runs the analyzer wrapped: each related position is
// folded into the message, as "(the callback at notify.go:14)", unless the
// message already names it (as "before the yield at scan.go:26" does), and
// the related information is dropped; position, category and suggested fixes
// are unchanged. The wrapper keeps the analyzer's name, flags, requirements
// and facts. related: true hands golangci-lint the analyzer unwrapped, and
// the related issues come back.
//
// Unknown setting keys and malformed entries are errors, reported when
// golangci-lint starts. tools/golangci-lint builds such a binary offline; see
// docs/golangci-lint.md.
package golangci
