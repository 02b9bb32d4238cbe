package docscheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// allowlist skips files whose citations their owners are fixing. Every entry
// is temporary: it lists a file that still cites a page by a path that does
// not resolve (a bare name in a Go comment, which should read docs/<name>).
// It is empty: every file of the repository cites the repository's docs.
var allowlist = map[string]string{}

// repoRoot is the directory of the repository's go.mod, found upward from
// the test's working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// TestRepository fails on any reference to a file outside the repository.
func TestRepository(t *testing.T) {
	root := repoRoot(t)
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := Check(root, files, allowlist)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	// An allowlist entry whose file is clean can go; say so without failing,
	// so that fixing a file never breaks the build.
	clean, err := Check(root, keys(allowlist), nil)
	if err != nil {
		t.Fatal(err)
	}
	dirty := map[string]bool{}
	for _, p := range clean {
		dirty[p.File] = true
	}
	for f := range allowlist {
		if !dirty[f] {
			t.Logf("allowlist entry %s has no outside references left: remove it", f)
		}
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// The page names are assembled so that this file does not cite them.
var (
	model  = "model" + ".md"
	bugs   = "bugs" + ".md"
	contr  = "contract" + ".md"
	integr = "integrations" + ".md"
	shared = "../" + "shared/reference/"
	work   = "/work/" + "shared/reference/"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSyntheticTree shows that the check fails where it should and only
// there.
func TestSyntheticTree(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"docs/" + model: "# model\n",
		"docs/" + bugs:  "# bugs\n",
		"docs/guide.md": "see [the model](" + model + "#1-ioresult) and " + model + ".\n" + // ok: relative to docs/
			"see [the model](" + shared + model + ")\n" + // 2: outside (reported once)
			"see " + integr + "\n" + // 3: no such page
			"Turso's docs/agent-guides/async-io-" + model + " says so\n", // ok: another file
		"pkg/a.go": "package pkg\n" +
			"// docs/" + bugs + " §2.1\n" + // ok: relative to the root
			"// " + bugs + " C1\n" + // 3: bare name outside docs/
			"// " + work + contr + "\n" + // 4: outside (reported once)
			"// ../../docs/" + model + "\n", // 5: relative to pkg/, escapes the root
		"README.md": "[model](docs/" + model + ") [contract](docs/" + contr + ")\n", // 1: docs/contract is missing
		"skip/b.go": "package skip\n// " + bugs + "\n",                              // allowlisted
		"notes.txt": bugs + "\n",                                                    // neither .go nor .md
		".git/x.md": bugs + "\n",                                                    // never listed
	})
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := Check(root, files, map[string]string{"skip/b.go": "test"})
	if err != nil {
		t.Fatal(err)
	}
	type at struct {
		file string
		line int
		ref  string
	}
	var got []at
	for _, p := range problems {
		got = append(got, at{p.File, p.Line, p.Ref})
	}
	want := []at{
		{"README.md", 1, "docs/" + contr},
		{"docs/guide.md", 2, shared + model},
		{"docs/guide.md", 3, integr},
		{"pkg/a.go", 3, bugs},
		{"pkg/a.go", 4, work + contr},
		{"pkg/a.go", 5, "../../docs/" + model},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %v\nwant %v", got, want)
	}

	// Without the allowlist the skipped file is reported too.
	all, err := Check(root, files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(want)+1 {
		t.Errorf("without the allowlist: %d problems, want %d", len(all), len(want)+1)
	}
}

// TestFilesTracked shows that in a git work tree only tracked files count.
func TestFilesTracked(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a.md": "a\n", "b.md": "b\n"})
	for _, args := range [][]string{{"init", "-q"}, {"add", "a.md"}} {
		cmd := exec.Command("git", append([]string{"-C", root}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(files, []string{"a.md"}) {
		t.Errorf("Files = %v, want [a.md]", files)
	}
}
