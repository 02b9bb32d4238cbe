package summary

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// methodNames reads declared methods instead of computing a method set
// wherever nothing can be promoted; it must name exactly what the method
// set of *T has, for every kind of named type.
func TestMethodNamesMatchMethodSets(t *testing.T) {
	const src = `package p

import "sync"

type Plain struct{ n int }

func (Plain) A()  {}
func (*Plain) B() {}

type Embeds struct {
	Plain
	sync.Mutex
	x int
}

func (*Embeds) C() {}

type EmbedsPtr struct{ *Plain }

type Defined Plain // no methods of Plain

func (Defined) D() {}

type DefinedEmbeds Embeds // keeps Plain's and Mutex's promoted methods

type Gen[T any] struct{ v T }

func (g *Gen[T]) Get() T { return g.v }

type Int int

func (Int) String() string { return "" }

type Fn func()

type Empty struct{}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	require.NoError(t, err)
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	for _, name := range pkg.Scope().Names() {
		tn := pkg.Scope().Lookup(name).(*types.TypeName)
		mset := types.NewMethodSet(types.NewPointer(tn.Type()))
		var want []string
		for i := 0; i < mset.Len(); i++ {
			want = append(want, mset.At(i).Obj().Name())
		}
		got := methodNames(tn)
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 {
			assert.Empty(t, got, "type %s", name)
			continue
		}
		assert.Equal(t, want, got, "type %s", name)
	}
}
