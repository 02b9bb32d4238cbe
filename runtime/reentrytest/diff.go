package reentrytest

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"unicode/utf8"
)

// maxDiffs caps the differences Diff lists; one more line says how many
// were left out.
const maxDiffs = 20

// Diff compares two values structurally and returns one line per
// difference, each naming the path to it (".Field[2].Key"), or nil when
// they are equal. It follows pointers, interfaces, structs (unexported
// fields included), slices, arrays and maps (keys in sorted order), and
// guards against cycles.
//
// It is deliberately more lenient than reflect.DeepEqual in two ways that
// matter when comparing the persistent state of two independent runs: a
// nil slice or map equals an empty one, and functions and channels are not
// compared (their identity differs between runs by construction).
func Diff(want, got any) []string {
	d := &differ{seen: make(map[visit]bool)}
	d.diff("", reflect.ValueOf(want), reflect.ValueOf(got))
	if d.dropped > 0 {
		d.out = append(d.out, fmt.Sprintf("... and %d more differences", d.dropped))
	}
	return d.out
}

type visit struct {
	a, b uintptr
	t    reflect.Type
}

type differ struct {
	out     []string
	dropped int
	seen    map[visit]bool
}

func (d *differ) report(path, format string, args ...any) {
	if len(d.out) >= maxDiffs {
		d.dropped++
		return
	}
	if path == "" {
		path = "(value)"
	}
	d.out = append(d.out, path+": "+fmt.Sprintf(format, args...))
}

func (d *differ) diff(path string, a, b reflect.Value) {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			d.report(path, "%s != %s", show(a), show(b))
		}
		return
	}
	if a.Type() != b.Type() {
		d.report(path, "type %s != %s", a.Type(), b.Type())
		return
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.report(path, "%s != %s", show(a), show(b))
			}
			return
		}
		v := visit{a.Pointer(), b.Pointer(), a.Type()}
		if d.seen[v] {
			return
		}
		d.seen[v] = true
		d.diff(path, a.Elem(), b.Elem())
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.report(path, "%s != %s", show(a), show(b))
			}
			return
		}
		d.diff(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			d.diff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
		}
	case reflect.Slice:
		if a.Type().Elem().Kind() == reflect.Uint8 {
			if string(a.Bytes()) != string(b.Bytes()) {
				d.report(path, "%s != %s", show(a), show(b))
			}
			return
		}
		if a.Len() > 0 && b.Len() > 0 {
			v := visit{a.Pointer(), b.Pointer(), a.Type()}
			if d.seen[v] && a.Len() == b.Len() {
				return
			}
			d.seen[v] = true
		}
		d.list(path, a, b)
	case reflect.Array:
		d.list(path, a, b)
	case reflect.Map:
		d.maps(path, a, b)
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		// Not comparable across runs.
	default:
		if sa, sb := scalar(a), scalar(b); sa != sb {
			d.report(path, "%s != %s", sa, sb)
		}
	}
}

// list compares slices and arrays element by element.
func (d *differ) list(path string, a, b reflect.Value) {
	if a.Len() != b.Len() {
		d.report(path, "length %d != %d", a.Len(), b.Len())
	}
	for i := range min(a.Len(), b.Len()) {
		d.diff(path+"["+strconv.Itoa(i)+"]", a.Index(i), b.Index(i))
	}
	for i := b.Len(); i < a.Len(); i++ {
		d.report(path+"["+strconv.Itoa(i)+"]", "%s missing", show(a.Index(i)))
	}
	for i := a.Len(); i < b.Len(); i++ {
		d.report(path+"["+strconv.Itoa(i)+"]", "extra %s", show(b.Index(i)))
	}
}

// maps compares maps key by key, in sorted key order.
func (d *differ) maps(path string, a, b reflect.Value) {
	keys := make(map[string]reflect.Value)
	for _, k := range a.MapKeys() {
		keys[show(k)] = k
	}
	for _, k := range b.MapKeys() {
		keys[show(k)] = k
	}
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		k := keys[n]
		va, vb := a.MapIndex(k), b.MapIndex(k)
		p := path + "[" + n + "]"
		switch {
		case !va.IsValid():
			d.report(p, "extra %s", show(vb))
		case !vb.IsValid():
			d.report(p, "%s missing", show(va))
		default:
			d.diff(p, va, vb)
		}
	}
}

// scalar renders a value of a basic kind without calling Interface, which
// unexported struct fields forbid.
func scalar(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Complex64, reflect.Complex128:
		return strconv.FormatComplex(v.Complex(), 'g', -1, 128)
	case reflect.String:
		return strconv.Quote(v.String())
	}
	return "<" + v.Type().String() + ">"
}

// show renders any value briefly, for messages.
func show(v reflect.Value) string {
	if !v.IsValid() {
		return "<nothing>"
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return "nil"
		}
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := v.Bytes()
			if len(b) > 64 {
				return fmt.Sprintf("%s... (%d bytes)", quoteBytes(b[:64]), len(b))
			}
			return quoteBytes(b)
		}
		return fmt.Sprintf("%s of length %d", v.Type(), v.Len())
	case reflect.Pointer:
		return "&" + show(v.Elem())
	case reflect.Interface:
		return show(v.Elem())
	case reflect.Struct, reflect.Map, reflect.Array:
		if v.CanInterface() {
			s := fmt.Sprintf("%+v", v.Interface())
			if len(s) > 80 {
				s = s[:80] + "..."
			}
			return s
		}
		return "<" + v.Type().String() + ">"
	}
	return scalar(v)
}

func quoteBytes(b []byte) string {
	if utf8.Valid(b) {
		return strconv.Quote(string(b))
	}
	return fmt.Sprintf("%x", b)
}
