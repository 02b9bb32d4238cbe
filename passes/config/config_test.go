package config

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRulesSelection(t *testing.T) {
	for _, tc := range []struct {
		rules   string
		on, off []string
	}{
		{"default", []string{"mutation-before-yield", "repeated-call", "premature-transition", "dropped-result"}, []string{"blind-overwrite"}},
		{"all", []string{"blind-overwrite", "mutation-before-yield"}, nil},
		{"default,-repeated-call", []string{"mutation-before-yield"}, []string{"repeated-call", "blind-overwrite"}},
		{"mutation-before-yield", []string{"mutation-before-yield"}, []string{"repeated-call", "dropped-result"}},
		{"", nil, []string{"mutation-before-yield"}},
	} {
		c, err := Parse(&Flags{Rules: tc.rules})
		require.NoError(t, err, tc.rules)
		for _, r := range tc.on {
			assert.True(t, c.Enabled(r), "%q should enable %s", tc.rules, r)
		}
		for _, r := range tc.off {
			assert.False(t, c.Enabled(r), "%q should not enable %s", tc.rules, r)
		}
		// Directive problems are always reported.
		assert.True(t, c.Enabled(CategoryIgnore))
		assert.True(t, c.Enabled(CategoryDirective))
	}
	_, err := Parse(&Flags{Rules: "default,nosuch"})
	require.ErrorContains(t, err, `unknown rule "nosuch"`)
}

func TestEntrySyntax(t *testing.T) {
	for _, bad := range []string{"Result", "example.com/rt", "example.com/rt.", ".Result", "a b.C"} {
		var l List
		require.NoError(t, l.Set(bad))
		_, err := Parse(&Flags{IOResult: l, Rules: "default"})
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), `-ioresult entry "`+bad+`"`)
	}
	var l List
	require.NoError(t, l.Set("gopkg.in/yaml.v3.Node, example.com/rt.Result"))
	require.Equal(t, []string{"gopkg.in/yaml.v3.Node", "example.com/rt.Result"}, l.Entries)
	_, err := Parse(&Flags{IOResult: l, Rules: "default"})
	require.NoError(t, err)
}

// A fake package graph: example.com/rt declares Result (a type), Done (a
// function) and Cursor with method Next.
func fakePackages() *types.Package {
	rt := types.NewPackage("example.com/rt", "rt")
	result := types.NewTypeName(token.NoPos, rt, "Result", nil)
	types.NewNamed(result, types.NewStruct(nil, nil), nil)
	rt.Scope().Insert(result)
	done := types.NewFunc(token.NoPos, rt, "Done", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	rt.Scope().Insert(done)
	cursorName := types.NewTypeName(token.NoPos, rt, "Cursor", nil)
	cursor := types.NewNamed(cursorName, types.NewStruct(nil, nil), nil)
	recv := types.NewVar(token.NoPos, rt, "c", types.NewPointer(cursor))
	next := types.NewFunc(token.NoPos, rt, "Next", types.NewSignatureType(recv, nil, nil, nil, nil, false))
	cursor.AddMethod(next)
	rt.Scope().Insert(cursorName)
	rt.MarkComplete()
	user := types.NewPackage("example.com/user", "user")
	user.SetImports([]*types.Package{rt})
	return user
}

func TestCheckResolvesEntries(t *testing.T) {
	pkg := fakePackages()
	ok := []Flags{
		{IOResult: List{[]string{"example.com/rt.Result"}}},
		{Done: List{[]string{"example.com/rt.Done"}}},
		{Idempotent: List{[]string{"example.com/rt.Cursor.Next"}}},
		{Completion: List{[]string{"example.com/other.Thing"}}}, // not visible from here: not checkable
	}
	for _, f := range ok {
		f.Rules = "default"
		c, err := Parse(&f)
		require.NoError(t, err)
		require.NoError(t, c.Check(pkg))
	}
	bad := map[string]Flags{
		"has no declaration Nope":         {IOResult: List{[]string{"example.com/rt.Nope"}}},
		"Done is not a type":              {IOResult: List{[]string{"example.com/rt.Done"}}},
		"Result is not a function":        {Done: List{[]string{"example.com/rt.Result"}}},
		"type Cursor has no method Close": {Idempotent: List{[]string{"example.com/rt.Cursor.Close"}}},
		"want importpath.Type":            {Completion: List{[]string{"example.com/rt.Cursor.Next"}}},
	}
	for want, f := range bad {
		f.Rules = "default"
		c, err := Parse(&f)
		require.NoError(t, err)
		err = c.Check(pkg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
}

func TestQualifiedNameAndMatching(t *testing.T) {
	pkg := fakePackages()
	rt := pkg.Imports()[0]
	result := rt.Scope().Lookup("Result").(*types.TypeName)
	cursor := rt.Scope().Lookup("Cursor").(*types.TypeName)
	next := cursor.Type().(*types.Named).Method(0)
	assert.Equal(t, "example.com/rt.Result", QualifiedName(result))
	assert.Equal(t, "example.com/rt.Cursor.Next", QualifiedName(next))

	c, err := Parse(&Flags{IOResult: List{[]string{"example.com/rt.Result"}}, Idempotent: List{[]string{"example.com/rt.Cursor.Next"}}, Rules: "default"})
	require.NoError(t, err)
	assert.True(t, c.IOResult(result))
	assert.False(t, c.Completion(result))
	assert.True(t, c.Idempotent(next))
	assert.False(t, c.Done(next))
	assert.True(t, c.HasTypeFlags())
}

func TestRegisterBindsFlags(t *testing.T) {
	saved := *Global
	t.Cleanup(func() { *Global = saved })
	*Global = Flags{Rules: "default"}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	Register(fs)
	require.NoError(t, fs.Parse([]string{"-ioresult=a.B", "-ioresult=c.D,e.F", "-rules=all"}))
	assert.Equal(t, []string{"a.B", "c.D", "e.F"}, Global.IOResult.Entries)
	assert.Equal(t, "all", Global.Rules)
}

// -yielderr entries may name unexported sentinels (hpack's errNeedMore) and
// error types of a package's own error space, whose interface leaves out
// the Error method (gVisor's tcpip.Error); other names are refused.
func TestCheckYieldErrEntries(t *testing.T) {
	const src = `package tcpip

type Error interface {
	isError()
	String() string
}

type ErrWouldBlock struct{}

func (*ErrWouldBlock) isError()       {}
func (*ErrWouldBlock) String() string { return "would block" }

type sentinel struct{}

func (sentinel) Error() string { return "need more" }

var errNeedMore error = sentinel{}

type plain struct{}

func (plain) String() string { return "plain" }

var count int
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "tcpip.go", src, 0)
	require.NoError(t, err)
	pkg, err := (&types.Config{}).Check("example.com/tcpip", fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	for _, e := range []string{"example.com/tcpip.ErrWouldBlock", "example.com/tcpip.errNeedMore", "example.com/tcpip.sentinel"} {
		c, err := Parse(&Flags{YieldErr: List{[]string{e}}, Rules: "default"})
		require.NoError(t, err)
		assert.NoError(t, c.Check(pkg), e)
	}
	for e, want := range map[string]string{
		"example.com/tcpip.plain": "type plain does not implement error, nor an error interface of its package",
		"example.com/tcpip.count": "count is not an error",
		"example.com/tcpip.Error": "type Error does not implement error",
	} {
		c, err := Parse(&Flags{YieldErr: List{[]string{e}}, Rules: "default"})
		require.NoError(t, err)
		err = c.Check(pkg)
		require.Error(t, err, e)
		assert.Contains(t, err.Error(), want)
	}
}
