package ssabuild

import (
	"go/token"
	"go/types"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// noReturn's table, function by function: the functions and methods that
// never return, and near misses (a name in the wrong package, a method
// name that only a method has).
func TestNoReturnTable(t *testing.T) {
	fn := func(path, name string, method bool) *types.Func {
		pkg := types.NewPackage(path, filepath.Base(path))
		var recv *types.Var
		if method {
			recv = types.NewParam(token.NoPos, pkg, "x", types.NewPointer(types.NewStruct(nil, nil)))
		}
		return types.NewFunc(token.NoPos, pkg, name, types.NewSignatureType(recv, nil, nil, nil, nil, false))
	}
	for _, c := range []struct {
		path, name string
		method     bool
		want       bool
	}{
		{"os", "Exit", false, true},
		{"syscall", "Exit", false, true},
		{"runtime", "Goexit", false, true},
		{"log", "Fatalf", false, true},
		{"log", "Panicln", false, true},
		{"log", "Panic", true, true}, // (*log.Logger).Panic
		{"log", "Skipf", true, true},
		{"testing", "FailNow", true, true},
		{"testing", "Fatal", true, true},
		{"testing", "Fatal", false, false}, // only the method
		{"testing", "SkipNow", false, false},
		{"os", "Getpid", false, false},
		{"example.com/os", "Exit", false, false},
		{"runtime", "Exit", false, false},
		{"log", "Print", true, false},
	} {
		assert.Equal(t, c.want, noReturn(fn(c.path, c.name, c.method)), "%s.%s method=%v", c.path, c.name, c.method)
	}
	assert.False(t, noReturn(types.NewFunc(token.NoPos, nil, "Exit", types.NewSignatureType(nil, nil, nil, nil, nil, false))), "no package")
}
