package config

import (
	"flag"
	"fmt"
	"go/types"
	"reflect"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/rules"
	"golang.org/x/tools/go/analysis"
)

// The always-on categories: problems with the directives themselves. The
// rules, these two included, are described by package rules.
var (
	CategoryIgnore    = rules.Ignore.Name    // an ignore directive without a reason, or one that suppresses nothing
	CategoryDirective = rules.Directive.Name // a malformed or misplaced //reentrycheck: directive
)

// Kind says what an entry of a declaration flag must name.
type Kind int

const (
	KindType     Kind = iota // -ioresult, -completion
	KindFunc                 // -done, -idempotent
	KindYieldErr             // -yielderr: an error variable, a constant or a type
	KindConst                // -yieldvalue: a constant
)

// List is a flag.Value holding a comma-separated list; repeating the flag appends.
type List struct{ Entries []string }

func (l *List) String() string { return strings.Join(l.Entries, ",") }

// Set implements flag.Value.
func (l *List) Set(s string) error {
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			l.Entries = append(l.Entries, e)
		}
	}
	return nil
}

// Flags is the raw state of the command-line flags.
type Flags struct {
	IOResult, Done, Completion, Idempotent List
	YieldErr, YieldValue                   List
	Rules                                  string

	// WithoutFixes is not a flag: a driver whose output shows no
	// suggested fix (the standalone command's text output) sets
	// it, so that the analyzer does not build fixes only to have them
	// dropped.
	WithoutFixes bool
}

// Declaration is one declaration flag with its raw entries.
type Declaration struct {
	Flag    string
	Kind    Kind
	Entries []string
}

// Declarations lists the declaration flags (every flag but -rules) in the
// order they are documented.
func (f *Flags) Declarations() []Declaration {
	return []Declaration{
		{"ioresult", KindType, f.IOResult.Entries},
		{"done", KindFunc, f.Done.Entries},
		{"completion", KindType, f.Completion.Entries},
		{"idempotent", KindFunc, f.Idempotent.Entries},
		{"yielderr", KindYieldErr, f.YieldErr.Entries},
		{"yieldvalue", KindConst, f.YieldValue.Entries},
	}
}

// Global is bound to the public analyzer's FlagSet by Register.
var Global = &Flags{Rules: "default"}

// Register adds the flags to fs, bound to Global.
func Register(fs *flag.FlagSet) {
	fs.Var(&Global.IOResult, "ioresult", "comma-separated `importpath.Type` list of resumable result types (like //reentrycheck:ioresult)")
	fs.Var(&Global.Done, "done", "comma-separated `importpath.Func` or importpath.Type.Method list of functions whose ioresult is always Done (like //reentrycheck:done)")
	fs.Var(&Global.Completion, "completion", "comma-separated `importpath.Type` list of completion types (like //reentrycheck:completion)")
	fs.Var(&Global.Idempotent, "idempotent", "comma-separated `importpath.Func` or importpath.Type.Method list of idempotent functions (like //reentrycheck:idempotent)")
	fs.Var(&Global.YieldErr, "yielderr", "comma-separated `importpath.Name` list of errors that mean \"call me again\": a variable, a constant (syscall.EAGAIN) or an error type (like //reentrycheck:yielderr)")
	fs.Var(&Global.YieldValue, "yieldvalue", "comma-separated `importpath.Name` list of status constants that mean \"call me again\" (like //reentrycheck:yieldvalue)")
	var names []string
	for _, r := range rules.All() {
		if !r.Always {
			names = append(names, r.Name)
		}
	}
	fs.StringVar(&Global.Rules, "rules", "default", "comma-separated rules to report: 'default', 'all', rule names ("+strings.Join(names, ", ")+"), or -name to drop one")
}

// Config is the validated configuration that passes consult.
type Config struct {
	ioresult, done, completion, idempotent map[string]bool
	yieldErr, yieldValue                   map[string]bool
	enabled                                map[string]bool
	withoutFixes                           bool

	// Err is the first problem with the flags. The passes that build facts
	// carry on with what is valid; the public analyzer reports Err, so the
	// user sees the entry named rather than a failed prerequisite.
	Err error
}

// Parse validates the raw flags (syntax only) and builds a Config.
func Parse(f *Flags) (*Config, error) {
	c := &Config{enabled: map[string]bool{}, withoutFixes: f.WithoutFixes}
	var err error
	if c.ioresult, err = entries("ioresult", f.IOResult.Entries); err != nil {
		return nil, err
	}
	if c.done, err = entries("done", f.Done.Entries); err != nil {
		return nil, err
	}
	if c.completion, err = entries("completion", f.Completion.Entries); err != nil {
		return nil, err
	}
	if c.idempotent, err = entries("idempotent", f.Idempotent.Entries); err != nil {
		return nil, err
	}
	if c.yieldErr, err = entries("yielderr", f.YieldErr.Entries); err != nil {
		return nil, err
	}
	if c.yieldValue, err = entries("yieldvalue", f.YieldValue.Entries); err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, r := range rules.All() {
		if !r.Always {
			known[r.Name] = true
		}
	}
	for _, w := range strings.Split(f.Rules, ",") {
		w = strings.TrimSpace(w)
		switch {
		case w == "":
		case w == "default":
			for _, r := range rules.All() {
				if r.Default {
					c.enabled[r.Name] = true
				}
			}
		case w == "all":
			for _, r := range rules.All() {
				c.enabled[r.Name] = true
			}
		case strings.HasPrefix(w, "-") && known[w[1:]]:
			delete(c.enabled, w[1:])
		case known[w]:
			c.enabled[w] = true
		default:
			return nil, fmt.Errorf("-rules: unknown rule %q (known: %s)", w, strings.Join(sortedKeys(known), ", "))
		}
	}
	return c, nil
}

func entries(flagName string, raw []string) (map[string]bool, error) {
	m := map[string]bool{}
	for _, e := range raw {
		slash := strings.LastIndex(e, "/")
		if !strings.Contains(e[slash+1:], ".") || strings.HasSuffix(e, ".") || strings.HasPrefix(e, ".") ||
			strings.ContainsAny(e, " \t\"'") {
			return nil, fmt.Errorf("-%s entry %q: want importpath.Name or importpath.Type.Method", flagName, e)
		}
		m[e] = true
	}
	return m, nil
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Fixes reports whether findings carry their suggested fixes.
func (c *Config) Fixes() bool { return !c.withoutFixes }

// Enabled reports whether diagnostics of the named rule are wanted. A name
// that is not a rule is an internal error, reported by the caller: it never
// silently drops a diagnostic.
func (c *Config) Enabled(rule string) bool {
	if r := rules.Lookup(rule); r != nil && r.Always {
		return true
	}
	return c.enabled[rule]
}

// QualifiedName is the flag spelling of obj: importpath.Name for package-level
// objects and importpath.Type.Method for methods ("" for anything else).
func QualifiedName(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil {
		return ""
	}
	if fn, ok := obj.(*types.Func); ok {
		fn = fn.Origin()
		sig := fn.Type().(*types.Signature)
		if recv := sig.Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			switch t := types.Unalias(t).(type) {
			case *types.Named:
				return fn.Pkg().Path() + "." + t.Origin().Obj().Name() + "." + fn.Name()
			case *types.Interface:
				return "" // interface methods are reached through their named type below
			}
			return ""
		}
		return fn.Pkg().Path() + "." + fn.Name()
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// HasTypeFlags reports whether -ioresult or -completion names any type.
func (c *Config) HasTypeFlags() bool { return len(c.ioresult)+len(c.completion) > 0 }

// IOResult reports whether the flags declare tn a resumable result type.
func (c *Config) IOResult(tn *types.TypeName) bool {
	return len(c.ioresult) > 0 && c.ioresult[QualifiedName(tn)]
}

// Completion reports whether the flags declare tn a completion type.
func (c *Config) Completion(tn *types.TypeName) bool {
	return len(c.completion) > 0 && c.completion[QualifiedName(tn)]
}

// Done reports whether the flags declare fn a done function.
func (c *Config) Done(fn *types.Func) bool { return len(c.done) > 0 && c.done[QualifiedName(fn)] }

// Idempotent reports whether the flags declare fn idempotent.
func (c *Config) Idempotent(fn *types.Func) bool {
	return len(c.idempotent) > 0 && c.idempotent[QualifiedName(fn)]
}

// YieldErr reports whether the flags declare obj (a package-level variable,
// constant or type name) a yield error.
func (c *Config) YieldErr(obj types.Object) bool {
	return len(c.yieldErr) > 0 && c.yieldErr[QualifiedName(obj)]
}

// YieldValue reports whether the flags declare k a yield status constant.
func (c *Config) YieldValue(k *types.Const) bool {
	return len(c.yieldValue) > 0 && c.yieldValue[QualifiedName(k)]
}

// YieldEntries returns the -yielderr and -yieldvalue entries, sorted.
func (c *Config) YieldEntries() (errs, values []string) {
	return sortedKeys(c.yieldErr), sortedKeys(c.yieldValue)
}

// Resolve returns the package-level object an entry names among the
// packages given by path, or nil. The import path is the longest prefix
// before a dot that is one of them, since paths may contain dots.
func Resolve(entry string, byPath map[string]*types.Package) types.Object {
	for i := len(entry) - 1; i > 0; i-- {
		if entry[i] != '.' {
			continue
		}
		if pkg := byPath[entry[:i]]; pkg != nil {
			return pkg.Scope().Lookup(entry[i+1:])
		}
	}
	return nil
}

// HasYieldFlags reports whether -yielderr or -yieldvalue names anything.
func (c *Config) HasYieldFlags() bool { return len(c.yieldErr)+len(c.yieldValue) > 0 }

// Check verifies, for every entry whose package is pkg or one of its
// (transitive) imports, that the entry names an object of the right kind.
// Entries naming packages outside that closure cannot be checked here.
func (c *Config) Check(pkg *types.Package) error {
	if len(c.ioresult)+len(c.completion)+len(c.done)+len(c.idempotent)+len(c.yieldErr)+len(c.yieldValue) == 0 {
		return nil
	}
	seen := map[*types.Package]bool{}
	byPath := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		byPath[p.Path()] = p
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	walk(pkg)
	check := func(flagName string, m map[string]bool, kind Kind) error {
		for _, e := range sortedKeys(m) {
			if err := checkEntry(e, kind, byPath); err != nil {
				return fmt.Errorf("-%s entry %q: %v", flagName, e, err)
			}
		}
		return nil
	}
	for _, x := range []struct {
		name string
		m    map[string]bool
		kind Kind
	}{{"ioresult", c.ioresult, KindType}, {"completion", c.completion, KindType}, {"done", c.done, KindFunc}, {"idempotent", c.idempotent, KindFunc},
		{"yielderr", c.yieldErr, KindYieldErr}, {"yieldvalue", c.yieldValue, KindConst}} {
		if err := check(x.name, x.m, x.kind); err != nil {
			return err
		}
	}
	return nil
}

// checkEntry resolves e against the packages it could name. The import path
// is the longest prefix that is a known package, since paths may contain dots.
func checkEntry(e string, kind Kind, byPath map[string]*types.Package) error {
	for i := len(e) - 1; i > 0; i-- {
		if e[i] != '.' {
			continue
		}
		pkg := byPath[e[:i]]
		if pkg == nil {
			continue
		}
		rest := strings.Split(e[i+1:], ".")
		obj := pkg.Scope().Lookup(rest[0])
		if obj == nil {
			return fmt.Errorf("package %s has no declaration %s", pkg.Path(), rest[0])
		}
		switch {
		case len(rest) == 1 && kind == KindType:
			if _, ok := obj.(*types.TypeName); !ok {
				return fmt.Errorf("%s is not a type", rest[0])
			}
		case len(rest) == 1 && kind == KindFunc:
			if _, ok := obj.(*types.Func); !ok {
				return fmt.Errorf("%s is not a function (name a method as Type.Method)", rest[0])
			}
		case len(rest) == 1 && kind == KindConst:
			if _, ok := obj.(*types.Const); !ok {
				return fmt.Errorf("%s is not a constant", rest[0])
			}
		case len(rest) == 1 && kind == KindYieldErr:
			if err := yieldErrObject(obj); err != nil {
				return err
			}
		case len(rest) == 2 && kind == KindFunc:
			tn, ok := obj.(*types.TypeName)
			if !ok {
				return fmt.Errorf("%s is not a type", rest[0])
			}
			m, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, pkg, rest[1])
			if _, ok := m.(*types.Func); !ok {
				return fmt.Errorf("type %s has no method %s", rest[0], rest[1])
			}
		default:
			switch kind {
			case KindType:
				return fmt.Errorf("want importpath.Type")
			case KindYieldErr, KindConst:
				return fmt.Errorf("want importpath.Name")
			}
			return fmt.Errorf("want importpath.Func or importpath.Type.Method")
		}
		return nil
	}
	return nil // its package is not visible from here
}

// yieldErrObject checks that obj can be a yield error: a variable or constant
// whose type implements error, or a type whose values (or pointers to them)
// do.
func yieldErrObject(obj types.Object) error {
	errType := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	switch obj := obj.(type) {
	case *types.Var, *types.Const:
		if !types.Implements(obj.Type(), errType) {
			return fmt.Errorf("%s is not an error (its type %s does not implement error)", obj.Name(), obj.Type())
		}
	case *types.TypeName:
		if !ErrorType(obj) {
			return fmt.Errorf("type %s does not implement error, nor an error interface of its package", obj.Name())
		}
	default:
		return fmt.Errorf("%s is not an error variable, constant or type", obj.Name())
	}
	return nil
}

// ErrorType reports whether tn can be a yield error type: its values (or
// pointers to them) implement error, or a non-empty interface declared in
// tn's own package. The second is a package's own error space, such as
// gVisor's tcpip.Error, which leaves out the Error method on purpose so
// that its values are never passed as error.
func ErrorType(tn *types.TypeName) bool {
	return types.Implements(tn.Type(), errorInterface) || types.Implements(types.NewPointer(tn.Type()), errorInterface) ||
		len(ErrorSpaces(tn)) > 0
}

// ErrorSpaces returns the named interfaces with methods, declared in tn's
// package, that tn's values or pointers implement: the results through
// which the package passes values of tn besides error.
func ErrorSpaces(tn *types.TypeName) []*types.TypeName {
	if tn.Pkg() == nil {
		return nil
	}
	var out []*types.TypeName
	scope := tn.Pkg().Scope()
	for _, name := range scope.Names() {
		it, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || it == tn || it.IsAlias() {
			continue
		}
		iface, ok := it.Type().Underlying().(*types.Interface)
		if !ok || iface.NumMethods() == 0 || !iface.IsMethodSet() {
			continue
		}
		if types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface) {
			out = append(out, it)
		}
	}
	return out
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// Analyzer parses and validates the flags once per package.
var Analyzer = &analysis.Analyzer{
	Name:       "reentrycheckconfig",
	Doc:        "parses and validates reentrycheck's flags",
	Run:        run,
	ResultType: reflect.TypeFor[*Config](),
}

func run(pass *analysis.Pass) (any, error) {
	c, err := Parse(Global)
	if err != nil {
		return &Config{enabled: map[string]bool{}, Err: err}, nil
	}
	c.Err = c.Check(pass.Pkg)
	return c, nil
}
