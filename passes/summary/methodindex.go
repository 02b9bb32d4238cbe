package summary

import (
	"go/types"
	"runtime"
	"sync"
	"weak"
)

// methodIndex lists one package's named non-interface types by the names
// of their methods (those of T and of *T): the candidates implementers
// tests against an interface, found by the interface's rarest method.
//
// An index is computed once per package and process, not per importer: a
// dependency such as a package of generated marshalling code has thousands
// of types, and every package importing it asks about it. It holds names,
// not objects, so that it keeps nothing of the package alive, and it is
// dropped when the package is (an editor type-checks packages again and
// again).
type methodIndex struct {
	types    []string            // in scope order
	byMethod map[string][]string // method name -> type names, in scope order
}

var indexes struct {
	sync.Mutex
	m map[weak.Pointer[types.Package]]*indexEntry
}

type indexEntry struct {
	once sync.Once
	idx  *methodIndex
}

// indexOf returns p's index, computing it on first use.
func indexOf(p *types.Package) *methodIndex {
	key := weak.Make(p)
	indexes.Lock()
	if indexes.m == nil {
		indexes.m = map[weak.Pointer[types.Package]]*indexEntry{}
	}
	e := indexes.m[key]
	if e == nil {
		e = &indexEntry{}
		indexes.m[key] = e
		runtime.AddCleanup(p, func(k weak.Pointer[types.Package]) {
			indexes.Lock()
			delete(indexes.m, k)
			indexes.Unlock()
		}, key)
	}
	indexes.Unlock()
	e.once.Do(func() { e.idx = buildIndex(p) })
	return e.idx
}

func buildIndex(p *types.Package) *methodIndex {
	idx := &methodIndex{byMethod: map[string][]string{}}
	scope := p.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
			continue
		}
		idx.types = append(idx.types, name)
		for _, m := range methodNames(tn) {
			idx.byMethod[m] = append(idx.byMethod[m], name)
		}
	}
	return idx
}
