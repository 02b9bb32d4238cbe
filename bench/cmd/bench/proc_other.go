//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// Without process groups, a timeout kills the started process only, and no
// peak RSS is known.

func startInGroup(*exec.Cmd) {}

func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func peakRSS(*os.ProcessState) int64 { return 0 }
