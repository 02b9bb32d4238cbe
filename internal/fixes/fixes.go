package fixes

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"
)

// Edit replaces the bytes [Start, End) of File with New.
type Edit struct {
	File       string
	Start, End int
	New        string
}

// Fix is one suggested fix: edits that only make sense together.
type Fix struct {
	Message string
	Edits   []Edit
}

// FileChange is the content of one file before and after the accepted fixes.
type FileChange struct {
	Name     string
	Old, New []byte
	// FormatErr is set when the fixed Go file no longer parses; New is then
	// the unformatted result.
	FormatErr error
}

// Result is the outcome of Merge.
type Result struct {
	Files      []FileChange // sorted by name, only files that change
	Applied    int          // distinct fixes merged
	Duplicates int          // fixes identical to one already merged
	Conflicts  []string     // messages of fixes dropped because they overlap an accepted one
}

// Merge applies fixes, in order, to the files they edit, reading each file
// once through read. It fails only if a file cannot be read or an edit lies
// outside its file.
func Merge(fixes []Fix, read func(name string) ([]byte, error)) (*Result, error) {
	res := &Result{}
	contents := map[string][]byte{}
	accepted := map[string][]Edit{}
	seen := map[string]bool{}
fixLoop:
	for _, fix := range fixes {
		key := fixKey(fix)
		if seen[key] {
			res.Duplicates++
			continue
		}
		for _, e := range fix.Edits {
			content, ok := contents[e.File]
			if !ok {
				var err error
				if content, err = read(e.File); err != nil {
					return nil, err
				}
				contents[e.File] = content
			}
			if e.Start < 0 || e.End < e.Start || e.End > len(content) {
				return nil, fmt.Errorf("fix %q: edit [%d,%d) is outside %s (%d bytes); was the file modified during analysis?",
					fix.Message, e.Start, e.End, e.File, len(content))
			}
		}
		for i, e := range fix.Edits {
			for _, a := range accepted[e.File] {
				if overlap(e, a) {
					res.Conflicts = append(res.Conflicts, fix.Message)
					continue fixLoop
				}
			}
			for _, o := range fix.Edits[:i] {
				if o.File == e.File && overlap(e, o) {
					return nil, fmt.Errorf("fix %q has overlapping edits in %s", fix.Message, e.File)
				}
			}
		}
		seen[key] = true
		res.Applied++
		for _, e := range fix.Edits {
			accepted[e.File] = append(accepted[e.File], e)
		}
	}

	names := make([]string, 0, len(accepted))
	for name := range accepted {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		old := contents[name]
		fc := FileChange{Name: name, Old: old, New: apply(old, accepted[name])}
		if strings.HasSuffix(name, ".go") {
			if formatted, err := format.Source(fc.New); err == nil {
				fc.New = formatted
			} else {
				fc.FormatErr = err
			}
		}
		if !bytes.Equal(fc.Old, fc.New) {
			res.Files = append(res.Files, fc)
		}
	}
	return res, nil
}

// overlap reports whether two edits of the same file touch the same bytes,
// or insert different text at the same offset (whose order would be a guess).
func overlap(a, b Edit) bool {
	if a.File != b.File {
		return false
	}
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	return a.Start < b.End && b.Start < a.End
}

// apply performs non-overlapping edits on content.
func apply(content []byte, edits []Edit) []byte {
	sorted := append([]Edit(nil), edits...)
	// An insertion at the start of a replaced range goes before it.
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Start != sorted[j].Start {
			return sorted[i].Start < sorted[j].Start
		}
		return sorted[i].End < sorted[j].End
	})
	var b bytes.Buffer
	last := 0
	for _, e := range sorted {
		b.Write(content[last:e.Start])
		b.WriteString(e.New)
		last = e.End
	}
	b.Write(content[last:])
	return b.Bytes()
}

// fixKey identifies a fix by its edits, in order of position.
func fixKey(f Fix) string {
	edits := append([]Edit(nil), f.Edits...)
	sort.Slice(edits, func(i, j int) bool {
		if edits[i].File != edits[j].File {
			return edits[i].File < edits[j].File
		}
		return edits[i].Start < edits[j].Start
	})
	var b strings.Builder
	for _, e := range edits {
		fmt.Fprintf(&b, "%s:%d:%d:%q;", e.File, e.Start, e.End, e.New)
	}
	return b.String()
}
