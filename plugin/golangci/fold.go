package golangci

import (
	"fmt"
	"go/token"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// golangci-lint turns every related-information entry of a diagnostic into
// an issue of its own, at the related position. For reentrycheck that is a
// second issue at the yield point of every finding: a //nolint on the
// finding's line leaves it behind, and max-same-issues counts the finding
// twice. Under the plugin the analyzer is therefore wrapped so that it
// reports each related position in the message instead.

// folded returns a copy of a whose diagnostics carry no related
// information: each related position is folded into the message (see
// foldRelated). Everything but Run is the original's, so the copy has the
// same name (for linters.enable and //nolint), flags, requirements, fact
// types and result type; the analyzers it requires are the original ones,
// shared, so their facts flow between packages as before.
func folded(a *analysis.Analyzer) *analysis.Analyzer {
	c := *a
	run := a.Run
	c.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		report := pass.Report
		p.Report = func(d analysis.Diagnostic) { report(foldRelated(pass.Fset, d)) }
		return run(&p)
	}
	return &c
}

// foldRelated returns d without related information, its message extended
// by each related position as " (MESSAGE at FILE:LINE)", FILE being the base
// name as in the analyzer's own messages. A position the message already
// names as FILE:LINE (most rules name their yield point) is not repeated.
// Related entries without a valid position are dropped. Position, end,
// category, URL and suggested fixes are kept.
func foldRelated(fset *token.FileSet, d analysis.Diagnostic) analysis.Diagnostic {
	if len(d.Related) == 0 {
		return d
	}
	var notes []string
	for _, r := range d.Related {
		if !r.Pos.IsValid() {
			continue
		}
		p := fset.Position(r.Pos)
		where := fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
		if names(d.Message, where) {
			continue
		}
		if r.Message == "" {
			notes = append(notes, "see "+where)
		} else {
			notes = append(notes, r.Message+" at "+where)
		}
	}
	if len(notes) > 0 {
		d.Message += " (" + strings.Join(notes, "; ") + ")"
	}
	d.Related = nil
	return d
}

// names reports whether msg contains where (FILE:LINE) as a whole word: not
// preceded by a file-name character nor followed by a digit, so that a.go:2
// is not found in a.go:21 or in ba.go:2.
func names(msg, where string) bool {
	for i := 0; ; {
		j := strings.Index(msg[i:], where)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(where)
		before := start == 0 || !fileNameByte(msg[start-1])
		after := end == len(msg) || msg[end] < '0' || msg[end] > '9'
		if before && after {
			return true
		}
		i = start + 1
	}
}

// fileNameByte reports whether b can be part of a file name in a message.
func fileNameByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || b == '/' || b == '\\' ||
		'0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
