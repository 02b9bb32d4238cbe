// Package plain sees no directive and nothing a flag names: the driver
// must not load it from source. It mutates state before a call that looks
// like a yield, with types of its own that nothing declares.
package plain

import "strings"

// Result looks like a resumable result but is declared nowhere.
type Result struct{ io bool }

// Counter counts.
type Counter struct{ n int }

// Step would be a finding if Result were an ioresult type.
func (c *Counter) Step(s string) (Result, error) {
	c.n++
	if r := poll(); r.io {
		return r, nil
	}
	return Result{}, nil
}

func poll() Result { return Result{io: strings.HasPrefix("a", "b")} }
