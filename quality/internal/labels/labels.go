// Package labels reads the corpus's labels: every resumable function of the
// corpus carries, in its doc comment, one line
//
//	// quality: bug C1 <what the bug is>
//	// quality: ok C1 <which tricky shape it is>
//
// "bug" marks a function with exactly one re-entrancy bug of the class
// given; "ok" marks a correct function, and its class names the bug class
// whose territory it imitates (the shape a linter might confuse with that
// bug), so that correct functions can be counted per class too.
package labels

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// Label is one labelled function.
type Label struct {
	Pkg   string // package path (or name, when parsed from files alone)
	Func  string // "Type.Method" or "Func"
	Bug   bool   // true: one bug of Class; false: correct
	Class string // "C1" ... "C12"
	Note  string // the rest of the label line
	File  string // file name
	Start int    // first line of the declaration, doc comment excluded
	End   int    // last line of the declaration
}

// Key is "pkg.Func".
func (l Label) Key() string { return l.Pkg + "." + l.Func }

// Prefix starts a label line.
const Prefix = "quality:"

// FuncName is the corpus name of a declaration: "Type.Method" for a method
// (pointer receivers and type parameters dropped), the name otherwise.
func FuncName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// Parse returns the labels of the function declarations in files, and an
// error for a malformed label line.
func Parse(pkg string, fset *token.FileSet, files []*ast.File) ([]Label, error) {
	var out []Label
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Doc == nil {
				continue
			}
			for _, c := range fd.Doc.List {
				text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
				if !strings.HasPrefix(text, Prefix) {
					continue
				}
				fields := strings.Fields(strings.TrimPrefix(text, Prefix))
				if len(fields) < 2 || (fields[0] != "bug" && fields[0] != "ok") || !strings.HasPrefix(fields[1], "C") {
					return nil, fmt.Errorf("%s: malformed label %q", fset.Position(c.Pos()), c.Text)
				}
				out = append(out, Label{
					Pkg:   pkg,
					Func:  FuncName(fd),
					Bug:   fields[0] == "bug",
					Class: fields[1],
					Note:  strings.Join(fields[2:], " "),
					File:  fset.Position(fd.Pos()).Filename,
					Start: fset.Position(fd.Pos()).Line,
					End:   fset.Position(fd.End()).Line,
				})
			}
		}
	}
	return out, nil
}
