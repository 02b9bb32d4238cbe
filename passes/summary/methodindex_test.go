package summary

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func checkPackage(t *testing.T, path, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path+".go", src, 0)
	require.NoError(t, err)
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check(path, fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	return pkg
}

// An index is built once per package, lists the concrete types by their
// methods, and goes away with its package.
func TestMethodIndexOncePerPackageAndDropped(t *testing.T) {
	const src = `package p

type R struct{}

func (*R) Read() {}
func (R) Close() {}

type W int

func (W) Write() {}
func (W) Close() {}

type I interface{ Read() }
`
	before := indexedPackages()
	func() { // the package is unreachable once this returns
		pkg := checkPackage(t, "p", src)
		idx := indexOf(pkg)
		assert.Same(t, idx, indexOf(pkg), "computed once")
		assert.Equal(t, []string{"R", "W"}, idx.types, "interfaces are not candidates")
		assert.Equal(t, []string{"R", "W"}, idx.byMethod["Close"])
		assert.Equal(t, []string{"R"}, idx.byMethod["Read"])
		assert.Equal(t, []string{"W"}, idx.byMethod["Write"])
		assert.Equal(t, before+1, indexedPackages())
	}()
	for i := 0; i < 50 && indexedPackages() > before; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	assert.Equal(t, before, indexedPackages(), "the index of an unreachable package is dropped")
}

// indexedPackages reports how many packages have an index.
func indexedPackages() int {
	indexes.Lock()
	defer indexes.Unlock()
	return len(indexes.m)
}
