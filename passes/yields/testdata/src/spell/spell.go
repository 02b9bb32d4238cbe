// Package spell: which functions yield in the error spelling.
package spell

import (
	"errors"
	"fmt"
)

// ErrAgain is the yield.
//
//reentrycheck:yielderr
var ErrAgain = errors.New("again")

var ErrOther = errors.New("other")

func direct() error { // want `direct: error`
	return ErrAgain
}

func wrapped() error { // want `wrapped: error`
	return fmt.Errorf("ctx: %w", ErrAgain)
}

func forwards() (int, error) { // want `forwards: error`
	if err := direct(); err != nil {
		return 0, err
	}
	return 1, nil
}

func narrowedOut() error { // want `narrowedOut: none`
	err := direct()
	if err != ErrAgain {
		return err
	}
	return nil
}

func narrowedIs() error { // want `narrowedIs: none`
	if err := direct(); err != nil && !errors.Is(err, ErrAgain) {
		return err
	}
	return nil
}

func other() error { // want `other: none`
	return ErrOther
}

func param(err error) error { // want `param: none`
	return err
}

func positive(err error) error { // want `positive: error`
	if errors.Is(err, ErrAgain) {
		return err
	}
	return nil
}

func recursive(n int) error { // want `recursive: error`
	if n == 0 {
		return ErrAgain
	}
	return recursive(n - 1)
}

func noCarrier() int { // want `noCarrier: none`
	_ = direct()
	return 0
}

func flattened() error { // want `flattened: none`
	// %v copies the message: errors.Is no longer finds the yield.
	return fmt.Errorf("ctx: %v", ErrAgain)
}
