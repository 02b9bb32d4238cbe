package driver

import (
	"fmt"
	"io"
	"os"

	"github.com/reentrycheck/reentrycheck/internal/fixes"
	"github.com/reentrycheck/reentrycheck/internal/textdiff"
)

// MergeFixes merges the first suggested fix of every finding into new file
// contents, read from disk. Fixes that would edit generated files are not
// applied; their number is returned.
func MergeFixes(findings []Finding) (res *fixes.Result, generated int, err error) {
	var all []fixes.Fix
	for _, f := range findings {
		if len(f.Fixes) == 0 {
			continue
		}
		fix := f.Fixes[0]
		if fix.Generated {
			generated++
			continue
		}
		mf := fixes.Fix{Message: fmt.Sprintf("%s: %s", f.Pos, fix.Message)}
		for _, e := range fix.Edits {
			if e.Pos.Filename != e.End.Filename {
				return nil, 0, fmt.Errorf("%s: fix %q: edit spans two files", f.Pos, fix.Message)
			}
			mf.Edits = append(mf.Edits, fixes.Edit{File: e.Pos.Filename, Start: e.Pos.Offset, End: e.End.Offset, New: e.New})
		}
		all = append(all, mf)
	}
	res, err = fixes.Merge(all, os.ReadFile)
	return res, generated, err
}

// WriteDiff prints the merged changes as unified diffs, file names relative
// to base where possible.
func WriteDiff(w io.Writer, res *fixes.Result, base string) error {
	for _, fc := range res.Files {
		name := RelPath(fc.Name, base)
		d := textdiff.Unified(name+" (old)", name+" (new)", string(fc.Old), string(fc.New))
		if _, err := io.WriteString(w, d); err != nil {
			return err
		}
	}
	return nil
}

// WriteFiles writes the merged changes back to their files.
func WriteFiles(res *fixes.Result) error {
	for _, fc := range res.Files {
		info, err := os.Stat(fc.Name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(fc.Name, fc.New, info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}
