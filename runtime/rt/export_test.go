package rt

// NewTestIO exposes the package's tiny in-memory test backend to the
// examples (package rt_test). In deferred mode every completion finishes in
// the next Step, so every I/O yields; otherwise completions finish inline.
// Real programs use a backend package (memio, osio, sim).
func NewTestIO(deferred bool) IO { return newFakeIO(deferred) }
