package effect

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// LockMethod reports whether a static method call acquires or releases a
// lock held by its receiver (the call's first argument): Lock, RLock,
// Unlock and RUnlock of the sync package's locks, of any type with the
// methods of sync.Locker, and a type's paired LockX/UnlockX methods over a
// lock it holds. Such a call's own writes are the lock's bookkeeping.
func LockMethod(c *ssa.CallCommon) (lock, unlock bool) {
	obj, t := staticMethod(c)
	if obj == nil || obj.Pkg() == nil {
		return false, false
	}
	lock, unlock = lockName(obj.Name())
	if !lock && !unlock {
		return false, false
	}
	if obj.Pkg().Path() != "sync" && !isLocker(t) && !pairedLockMethod(t, obj.Name()) {
		return false, false
	}
	return lock, unlock
}

// staticMethod returns the method a static method call calls and its
// receiver's type (a pointer's element), or nil.
func staticMethod(c *ssa.CallCommon) (*types.Func, types.Type) {
	fn := c.StaticCallee()
	if fn == nil || c.IsInvoke() || len(c.Args) == 0 {
		return nil, nil
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil, nil
	}
	recv := obj.Type().(*types.Signature).Recv()
	if recv == nil {
		return nil, nil
	}
	t := recv.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return obj, t
}

// lockName classifies a method name as acquiring or releasing a lock:
// Lock, RLock and their variants (NestedLock, LockUser) acquire, the
// matching Unlock names release. DowngradeLock trades a held write lock
// for a read lock: the lock stays held, as after an acquire. TryLock
// acquires only when it says so, and is left out.
func lockName(name string) (lock, unlock bool) {
	name = strings.TrimPrefix(name, "Nested")
	switch {
	case strings.HasPrefix(name, "Unlock"), strings.HasPrefix(name, "RUnlock"):
		return false, true
	case strings.HasPrefix(name, "Lock"), strings.HasPrefix(name, "RLock"), name == "DowngradeLock":
		return true, false
	}
	return false, false
}

// pairedLockMethod reports whether name is one half of an acquire/release
// pair of t's methods (LockUser and UnlockUser) and t holds a lock in one
// of its fields: a type that locks itself through its own lock.
func pairedLockMethod(t types.Type, name string) bool {
	base := strings.TrimPrefix(strings.TrimPrefix(name, "Nested"), "R")
	if rest, ok := strings.CutPrefix(base, "Unlock"); ok {
		base = rest
	} else {
		base = strings.TrimPrefix(base, "Lock")
	}
	if base == "" {
		return false
	}
	if ptrMethod(t, "Lock"+base) == nil || ptrMethod(t, "Unlock"+base) == nil {
		return false
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		if isLocker(st.Field(i).Type()) {
			return true
		}
	}
	return false
}

// isLocker reports whether t, or a pointer to it, has the methods Lock()
// and Unlock() of sync.Locker: a lock, whatever implements it (the
// standard mutexes, a debug or lock-ordering wrapper, a package's own
// mutex, an endpoint that locks itself), and its methods' writes are the
// lock's, not state.
func isLocker(t types.Type) bool {
	for _, name := range []string{"Lock", "Unlock"} {
		m := ptrMethod(t, name)
		if m == nil {
			return false
		}
		sig := m.Type().(*types.Signature)
		if sig.Params().Len() != 0 || sig.Results().Len() != 0 {
			return false
		}
	}
	return true
}

// ptrMethod returns the method of *t called name (an exported name), or
// nil. It looks the one name up instead of computing *t's method set: it
// is asked of every type that a call's receiver has.
func ptrMethod(t types.Type, name string) *types.Func {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), false, nil, name)
	m, _ := obj.(*types.Func)
	return m
}
