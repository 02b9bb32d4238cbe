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

// A policy defers only some operations: here only the second submission
// waits for a Step, so code under test yields at exactly that I/O.
func ExampleDeferNth() {
	io := memio.NewDeferringWith(nil, memio.DeferNth(2))
	f, _ := io.Open("db", rt.OpenCreate)
	for i := range 3 {
		c, _ := f.WriteAt([]byte{'a' + byte(i)}, int64(i), rt.NewWrite(nil))
		fmt.Printf("write %d finished=%v\n", i+1, c.Finished())
	}
	fmt.Println("pending:", io.Pending())
	// Output:
	// write 1 finished=true
	// write 2 finished=false
	// write 3 finished=true
	// pending: 1
}
