package driver

import (
	"go/token"
	"io"
	"path/filepath"
	"strings"
)

// WriteText prints findings one per line as "file:line:col: message (category)",
// each related location on an indented line below it. File names under base
// are printed relative to it, so that they stay short and clickable.
func WriteText(w io.Writer, findings []Finding, base string) error {
	var b strings.Builder
	// Findings come many to a file: resolve each file name against base
	// once, not once per finding and related location.
	rel := map[string]string{}
	// writePos writes p with its file name relative to base, spelled as
	// token.Position.String spells it.
	writePos := func(p token.Position) {
		name, ok := rel[p.Filename]
		if !ok {
			name = RelPath(p.Filename, base)
			rel[p.Filename] = name
		}
		p.Filename = name
		b.WriteString(p.String())
	}
	for _, f := range findings {
		writePos(f.Pos)
		b.WriteString(": ")
		b.WriteString(f.Message)
		if f.Category != "" {
			b.WriteString(" (")
			b.WriteString(f.Category)
			b.WriteByte(')')
		}
		b.WriteByte('\n')
		for _, r := range f.Related {
			b.WriteByte('\t')
			writePos(r.Pos)
			b.WriteString(": ")
			b.WriteString(r.Message)
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// RelPosition formats p as file:line:col with the file relative to base
// when it lies under base.
func RelPosition(p token.Position, base string) string {
	p.Filename = RelPath(p.Filename, base)
	return p.String()
}

// RelPath returns name relative to base if it lies under base, else name.
func RelPath(name, base string) string {
	if base == "" {
		return name
	}
	rel, err := filepath.Rel(base, name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return name
	}
	return rel
}
