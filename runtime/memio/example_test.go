package memio_test

import (
	"context"
	"fmt"

	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

// The deferring backend moves bytes at once but finishes every completion
// at the next Step, so code under test always takes its yield path.
func ExampleDeferringIO() {
	io := memio.NewDeferring()
	f, _ := io.Open("db", rt.OpenCreate)

	c, _ := f.WriteAt([]byte("page"), 0, rt.NewWrite(func(n int, err error) {
		fmt.Println("callback: wrote", n, "bytes, err =", err)
	}))
	stored, _ := io.Store().Bytes("db")
	fmt.Printf("after submit: finished=%v, store=%q\n", c.Finished(), stored)

	_ = io.Step(context.Background())
	fmt.Println("after Step: finished =", c.Finished())
	// Output:
	// after submit: finished=false, store="page"
	// callback: wrote 4 bytes, err = <nil>
	// after Step: finished = true
}
