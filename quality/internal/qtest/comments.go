package qtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/reentrycheck/reentrycheck/quality/internal/labels"
)

// yieldCalls are the rt calls whose result, returned, may be a yield.
var yieldCalls = map[string]bool{"Wait": true, "Forward": true, "Yield": true, "TransitionIO": true}

// YieldComments lists the yield points of labelled functions in dir (a
// return of rt.Wait, rt.Forward, rt.Yield or rt.TransitionIO; error exits
// are written "return rt.IOResult[T]{}, err" in the corpus) that
// do not carry their comment: "Re-entrancy:" in correct functions,
// "Re-entrancy:" or "Bug:" in buggy ones, in a comment ending at most four
// lines above the return.
func YieldComments(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, n, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		ls, err := labels.Parse("", fset, []*ast.File{f})
		if err != nil {
			return nil, err
		}
		byLine := map[int]labels.Label{}
		for _, l := range ls {
			byLine[l.Start] = l
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			l, ok := byLine[fset.Position(fd.Pos()).Line]
			if !ok {
				continue
			}
			ast.Inspect(fd.Body, func(nd ast.Node) bool {
				ret, ok := nd.(*ast.ReturnStmt)
				if !ok || len(ret.Results) == 0 || !isYieldCall(ret.Results[0]) {
					return true
				}
				line := fset.Position(ret.Pos()).Line
				if !commented(fset, f, line, l.Bug) {
					missing = append(missing, fmt.Sprintf("%s:%d (%s)", filepath.Base(n), line, l.Func))
				}
				return true
			})
		}
	}
	return missing, nil
}

func isYieldCall(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := call.Fun
	switch x := fn.(type) {
	case *ast.IndexExpr:
		fn = x.X
	case *ast.IndexListExpr:
		fn = x.X
	}
	sel, ok := fn.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "rt" && yieldCalls[sel.Sel.Name]
}

func commented(fset *token.FileSet, f *ast.File, line int, bug bool) bool {
	for _, cg := range f.Comments {
		end := fset.Position(cg.End()).Line
		if end < line-4 || end >= line {
			continue
		}
		text := cg.Text()
		if strings.Contains(text, "Re-entrancy:") || (bug && strings.Contains(text, "Bug:")) {
			return true
		}
	}
	return false
}
