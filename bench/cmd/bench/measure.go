package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Status is how a measured run ended.
type Status string

const (
	OK       Status = "ok"       // exit 0
	Findings Status = "findings" // exit 3, or go vet's exit 1 with only findings in its output
	Failed   Status = "error"    // any other exit: load, usage or analysis error
	Timeout  Status = "timeout"  // killed at the per-run timeout
	MemCap   Status = "memcap"   // killed when a process of the run exceeded the memory cap
)

// Finished reports whether the run completed (with or without findings).
func (s Status) Finished() bool { return s == OK || s == Findings }

// Run is one command to measure.
type Run struct {
	Dir  string
	Env  []string // added to the environment
	Args []string
	Out  string // file that receives stdout and stderr
}

// Result is what one measured run gave.
type Result struct {
	Status   Status
	Code     int           // exit code (-1 when killed)
	Wall     time.Duration // wall time
	RSS      int64         // peak RSS in KB of the largest process of the run (getrusage)
	Findings int           // diagnostic lines (file:line:col: ...) in the output
	Internal int           // "internal error" reports in the output
	Note     string        // the first output line that is not a finding (an error, a warning)
}

// Limits bound every run: wall time, and peak RSS of any one process
// (0: no cap).
type Limits struct {
	Timeout  time.Duration
	MaxRSSMB int64
}

// Describe says how a run ended, for tables: "did not finish (timeout
// 600s)" and the like.
func (r Result) Describe(l Limits) string {
	switch r.Status {
	case Timeout:
		return fmt.Sprintf("did not finish (timeout %ds)", int(l.Timeout.Seconds()))
	case MemCap:
		return fmt.Sprintf("did not finish (memory cap %d MB)", l.MaxRSSMB)
	case Failed:
		return fmt.Sprintf("failed (exit %d: %s)", r.Code, r.Note)
	}
	return string(r.Status)
}

// running is the process group of the run in progress, 0 between runs.
var running atomic.Int64

// Measure runs r in its own process group and waits for it, killing the
// whole group at the timeout or when one of its processes exceeds the
// memory cap. Wall time is measured here; peak RSS comes from the kernel's
// rusage of the child, which covers every descendant it waited for (go vet's
// tool runs included): it is the RSS of the largest single process, as
// GNU time's %M reports it, not a sum over concurrent processes.
func Measure(r Run, l Limits) (Result, error) {
	out, err := os.Create(r.Out)
	if err != nil {
		return Result{}, err
	}
	defer out.Close()
	cmd := exec.Command(r.Args[0], r.Args[1:]...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.Stdout, cmd.Stderr = out, out
	startInGroup(cmd)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("starting %s: %w", r.Args[0], err)
	}
	pgid := cmd.Process.Pid
	running.Store(int64(pgid))
	defer running.Store(0)
	done := make(chan struct{})
	killed := make(chan Status, 1)
	go watch(pgid, l, start, done, killed)
	waitErr := cmd.Wait()
	wall := time.Since(start)
	close(done)
	checkpoint()

	res := Result{Wall: wall, Code: cmd.ProcessState.ExitCode(), RSS: peakRSS(cmd.ProcessState)}
	var exit *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exit) {
		return Result{}, waitErr
	}
	select {
	case s := <-killed:
		res.Status = s
	default:
	}
	if err := out.Sync(); err != nil {
		return Result{}, err
	}
	if err := res.classify(r.Out); err != nil {
		return Result{}, err
	}
	return res, nil
}

// watch kills process group pgid at the timeout or when one of its
// processes exceeds the memory cap, and says which on killed.
func watch(pgid int, l Limits, start time.Time, done <-chan struct{}, killed chan<- Status) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		why := Status("")
		if l.Timeout > 0 && time.Since(start) > l.Timeout {
			why = Timeout
		} else if l.MaxRSSMB > 0 && groupMaxRSS(pgid) > l.MaxRSSMB<<10 {
			why = MemCap
		}
		if why != "" {
			killed <- why
			killGroup(pgid)
			return
		}
	}
}

// groupMaxRSS is the largest resident set, in KB, of the processes of
// process group pgid (from /proc/PID/stat; 0 without /proc, so the memory
// cap needs Linux).
func groupMaxRSS(pgid int) int64 {
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	page := int64(os.Getpagesize()) >> 10
	var max int64
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ... ; comm may contain spaces.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 22 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		if rss, err := strconv.ParseInt(f[21], 10, 64); err == nil && rss*page > max {
			max = rss * page
		}
	}
	return max
}

// findingLine matches a diagnostic, file:line:col: message; relatedLine
// the related information go vet prints after it, file:line:col: \tmessage.
var (
	findingLine = regexp.MustCompile(`^[^\s#][^:]*:\d+:\d+: [^\t]`)
	relatedLine = regexp.MustCompile(`^[^\s#][^:]*:\d+:\d+: \t`)
)

// classify reads the output of a run that was not killed and sets Status,
// Findings, Internal and Note. Exit 0 is OK, exit 3 is Findings (the
// standalone checkers), and exit 1 is Findings too when every line is a
// finding, an indented related line or a "# package" header (go vet).
func (r *Result) classify(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	other := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "internal error") {
			r.Internal++
		}
		switch {
		case findingLine.MatchString(line):
			r.Findings++
		case line == "", line[0] == ' ', line[0] == '\t', strings.HasPrefix(line, "# "), relatedLine.MatchString(line):
		default:
			if other == "" {
				other = line
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	r.Note = other
	if len(r.Note) > 200 {
		r.Note = r.Note[:200] + "..."
	}
	switch {
	case r.Status != "": // killed
	case r.Code == 0:
		r.Status = OK
	case r.Code == 3, r.Code == 1 && r.Findings > 0 && other == "":
		r.Status = Findings
	default:
		r.Status = Failed
	}
	return nil
}
