package docscheck

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Cited are the page names, without their ".md", whose mentions must resolve
// to a tracked file. (The names are spelled without the suffix so that this
// file does not cite them itself.)
var Cited = []string{"model", "bugs", "contract", "integrations", "style"}

// outside matches paths into the shared directory beside the repository, which
// leave the repository whatever they name.
var outside = regexp.MustCompile(`(?:\.\./|/work/)` + "shared/")

// citedName matches a cited page name; the full path around it is recovered
// by extending the match over path characters.
var citedName = regexp.MustCompile(`(?:` + strings.Join(quoteAll(Cited), "|") + `)`)

func quoteAll(names []string) []string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = regexp.QuoteMeta(n + ".md")
	}
	return q
}

// Problem is one reference to a file outside the repository.
type Problem struct {
	File string // slash-separated, relative to the repository root
	Line int
	Ref  string // the path as written
	Why  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %q %s", p.File, p.Line, p.Ref, p.Why)
}

// Files lists the files of the repository at root, slash-separated and
// relative to it: the tracked files if root is a git work tree, otherwise
// every file under root outside .git directories.
func Files(root string) ([]string, error) {
	cmd := exec.Command("git", "-C", root, "ls-files", "-z", "--cached")
	if out, err := cmd.Output(); err == nil {
		var files []string
		for _, f := range bytes.Split(out, []byte{0}) {
			if len(f) > 0 {
				files = append(files, string(f))
			}
		}
		if len(files) > 0 {
			return files, nil
		}
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	return files, err
}

// Check reads the .go and .md files among files (relative to root) and
// returns their references to files outside the repository, skipping the
// files in skip. A cited page resolves if the path as written names one of
// files, relative to the citing file's directory or to the root.
func Check(root string, files []string, skip map[string]string) ([]Problem, error) {
	exists := make(map[string]bool, len(files))
	for _, f := range files {
		exists[f] = true
	}
	var problems []Problem
	for _, f := range files {
		if !strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, ".md") {
			continue
		}
		if _, ok := skip[f]; ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // tracked but deleted in the work tree
		}
		if err != nil {
			return nil, err
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, p := range checkLine(f, line, exists) {
				p.Line = i + 1
				problems = append(problems, p)
			}
		}
	}
	sort.Slice(problems, func(i, j int) bool {
		if problems[i].File != problems[j].File {
			return problems[i].File < problems[j].File
		}
		return problems[i].Line < problems[j].Line
	})
	return problems, nil
}

func isPathByte(c byte) bool {
	return c == '/' || c == '.' || c == '-' || c == '_' ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func checkLine(file, line string, exists map[string]bool) []Problem {
	var problems []Problem
	var spans [][2]int // of the outside paths, which are reported once
	for _, m := range outside.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		for start > 0 && isPathByte(line[start-1]) {
			start--
		}
		for end < len(line) && isPathByte(line[end]) {
			end++
		}
		if n := len(spans); n > 0 && start < spans[n-1][1] {
			continue // the same path again
		}
		spans = append(spans, [2]int{start, end})
		problems = append(problems, Problem{File: file, Ref: line[start:end], Why: "is a path outside the repository"})
	}
cited:
	for _, m := range citedName.FindAllStringIndex(line, -1) {
		if m[1] < len(line) && isPathByte(line[m[1]]) && line[m[1]] != '.' && line[m[1]] != '/' {
			continue // a longer name, such as model.mdx
		}
		ref := token(line, m[0], m[1])
		if path.Base(ref) != line[m[0]:m[1]] {
			continue // another file whose name ends the same way (async-io-model.md)
		}
		for _, sp := range spans {
			if sp[0] <= m[0] && m[1] <= sp[1] {
				continue cited // already reported as an outside path
			}
		}
		if !resolves(file, ref, exists) {
			problems = append(problems, Problem{File: file, Ref: ref, Why: "names no file of the repository (write docs/" + path.Base(ref) + ", or a link relative to the citing file)"})
		}
	}
	return problems
}

// token extends line[start:end] over the path characters before it and
// returns the path as written.
func token(line string, start, end int) string {
	for start > 0 && isPathByte(line[start-1]) {
		start--
	}
	return line[start:end]
}

func resolves(file, ref string, exists map[string]bool) bool {
	if strings.HasPrefix(ref, "/") {
		return false
	}
	for _, base := range []string{path.Dir(file), "."} {
		p := path.Join(base, ref)
		if p == ".." || strings.HasPrefix(p, "../") {
			continue
		}
		if exists[p] {
			return true
		}
	}
	return false
}
