// Command genprobe writes the scaling probe module (package bench/probe):
// one resumable method of N statements, bug-dense, a correct state
// machine or a correct straight body, with its own tiny annotated runtime.
//
//	genprobe -shape bugdense|correct|straight -n 4000 -o DIR
//
// It prints one line describing the probe, the expected finding count
// included.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/reentrycheck/reentrycheck/bench/probe"
)

func main() {
	shape := flag.String("shape", string(probe.BugDense), "bugdense, correct or straight")
	n := flag.Int("n", 1000, "statements of the resumable method")
	out := flag.String("o", "", "directory to write the module into (required)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("genprobe: ")
	if *out == "" || flag.NArg() > 0 {
		log.Fatal("usage: genprobe -shape bugdense|correct|straight -n N -o DIR")
	}
	info, err := probe.Write(*out, probe.Shape(*shape), *n)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d statements, %d states, %d propagated calls, %d findings expected\n",
		info.Shape, info.Statements, info.Arms, info.Calls, info.Expected)
}
