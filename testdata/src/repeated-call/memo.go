package repeated

import "rt"

// Loader reads a block once and keeps it: a second call after its Done is
// a hit that returns at once.
type Loader struct {
	f      *rt.File
	c      *rt.Completion
	loaded bool
	block  []byte
}

func (l *Loader) Load() (rt.IOResult[[]byte], error) {
	if l.loaded {
		return rt.Done(l.block), nil
	}
	if l.c == nil {
		c, err := l.f.ReadAt(nil, 0)
		if err != nil {
			return rt.IOResult[[]byte]{}, err
		}
		l.c = c
	}
	if !l.c.Finished() {
		return rt.Wait[[]byte](l.c), nil
	}
	l.loaded, l.c = true, nil
	return rt.Done(l.block), nil
}

type Copier struct {
	src  *Loader
	dst  *rt.Cursor
	head []byte
	raw  []byte
}

// Calling the memoized loader again when the insert yields is a hit.
func (c *Copier) Copy() (rt.IOResult[int], error) {
	r, err := c.src.Load()
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	w, err := c.dst.Insert(len(r.Value()))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

// Re-arming the loader between its Done and the yield makes the next call
// read again: the memo no longer holds.
func (c *Copier) RearmBuggy() (rt.IOResult[int], error) {
	r, err := c.src.Load() // want `calls c\.src\.Load, which already returned Done, runs again`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	c.src.loaded = false
	w, err := c.dst.Insert(len(r.Value()))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

// A memo set to a slice with a positive bound is never nil: re-entry
// skips the read that filled it.
func (c *Copier) Header() (rt.IOResult[int], error) {
	if c.head == nil {
		r, err := c.dst.Next()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		c.head = c.raw[:r.Value()+0][:8]
	}
	w, err := c.dst.Insert(len(c.head))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

// A slice with a bound that may be zero may be nil: the memo may stay
// unset, and re-entry reads again.
func (c *Copier) HeaderBuggy() (rt.IOResult[int], error) {
	if c.head == nil {
		r, err := c.dst.Next() // want `calls c\.dst\.Next, which already returned Done, runs again`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		c.head = c.raw[:r.Value()]
	}
	w, err := c.dst.Insert(len(c.head))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}
