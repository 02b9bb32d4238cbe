// Command kvlog runs the kvlog example: a few Puts and Gets on the deferring
// memory backend (every completion waits for the next Step, so every I/O is
// a yield and a re-entry) and on OS files in a temporary directory, then
// reopens each log and reads it back through recovery.
//
//	go run ./examples/kvlog/cmd/kvlog
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/reentrycheck/reentrycheck/examples/kvlog"
	"github.com/reentrycheck/reentrycheck/runtime/memio"
	"github.com/reentrycheck/reentrycheck/runtime/osio"
	"github.com/reentrycheck/reentrycheck/runtime/rt"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kvlog:", err)
		os.Exit(1)
	}
}

// puts is what the demo writes, in order; "color" is written twice.
var puts = [][2]string{
	{"color", "red"},
	{"shape", "circle"},
	{"size", "large"},
	{"color", "blue"},
}

func run(w io.Writer) error {
	mem := memio.NewDeferring()
	if err := demo(w, "memory (deferring)", mem, mem, "kv.log"); err != nil {
		return err
	}
	fmt.Fprintf(w, "  deferring backend steps: %d\n", mem.Steps())

	dir, err := os.MkdirTemp("", "kvlog-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	return demo(w, "OS files", osio.New(), osio.New(), filepath.Join(dir, "kv.log"))
}

// demo writes and reads a log on first, then reopens it on second (a
// restart over the same bytes) and reads it back.
func demo(w io.Writer, name string, first, second rt.IO, path string) error {
	ctx := context.Background()
	fmt.Fprintf(w, "%s:\n", name)

	l, err := kvlog.Open(first, path, nil)
	if err != nil {
		return err
	}
	for _, kv := range puts {
		p := l.Put([]byte(kv[0]), []byte(kv[1]))
		off, err := rt.BlockWith(ctx, first, p.Resume, p)
		if err != nil {
			return fmt.Errorf("put %s: %w", kv[0], err)
		}
		fmt.Fprintf(w, "  put %s=%s at offset %d\n", kv[0], kv[1], off)
	}
	if err := show(ctx, w, first, l, "  get"); err != nil {
		return err
	}
	if _, err := rt.Block(ctx, first, l.Get([]byte("weight")).Resume); errors.Is(err, kvlog.ErrNotFound) {
		fmt.Fprintf(w, "  get weight: not found\n")
	} else {
		return fmt.Errorf("get weight: want not found, got %v", err)
	}
	if err := l.Close(); err != nil {
		return err
	}

	re, err := kvlog.Open(second, path, nil)
	if err != nil {
		return err
	}
	defer re.Close()
	n, err := rt.Block(ctx, second, re.Recover().Resume)
	if err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	fmt.Fprintf(w, "  reopened: %d records, %d keys, tail at %d\n", n, re.Len(), re.Tail())
	return show(ctx, w, second, re, "  after recovery, get")
}

// show reads every key of l and prints it.
func show(ctx context.Context, w io.Writer, io rt.IO, l *kvlog.Log, prefix string) error {
	for _, k := range l.Keys() {
		v, err := rt.Block(ctx, io, l.Get([]byte(k)).Resume)
		if err != nil {
			return fmt.Errorf("get %s: %w", k, err)
		}
		fmt.Fprintf(w, "%s %s = %s\n", prefix, k, v)
	}
	return nil
}
