//go:build linux

package main

import (
	"strings"
	"testing"
)

// The count is read from cachegrind's summary line, with its thousands
// separators, among valgrind's other messages.
func TestParseIRefs(t *testing.T) {
	out := "==12== Cachegrind, a cache and branch-prediction profiler\n" +
		"--12-- WARNING: unhandled amd64-linux syscall: 434\n" +
		"==12== \n==12== I   refs:      1,234,567,890\n"
	n, err := parseIRefs(out)
	if err != nil || n != 1234567890 {
		t.Fatalf("parseIRefs = %d, %v; want 1234567890", n, err)
	}
	if _, err := parseIRefs("==12== Cachegrind\n"); err == nil {
		t.Fatal("no summary line: want an error")
	}
}

// The table gives the ratio, the instructions beyond the baseline and
// their growth per doubling, only between sizes that double and only when
// both are positive.
func TestTable(t *testing.T) {
	got := table("bugdense", []measurement{
		{n: 1000, baseIns: 200e6, subjIns: 250e6, spread: 0.012, baseRSS: 20 << 10, subjRSS: 30 << 10},
		{n: 2000, baseIns: 400e6, subjIns: 510e6, baseRSS: 40 << 10, subjRSS: 50 << 10},
		{n: 3000, baseIns: 600e6, subjIns: 500e6, baseRSS: 40 << 10, subjRSS: 40 << 10},
		{n: 6000, baseIns: 1200e6, subjIns: 1300e6, baseRSS: 80 << 10, subjRSS: 80 << 10},
	})
	for _, want := range []string{
		"| bugdense | 1000 | 200 M | 250 M | 1.2% | **1.25x** | 50 M | — | 20 MB | 30 MB | 1.50x |",
		"| bugdense | 2000 | 400 M | 510 M | 0.0% | **1.27x** | 110 M | 2.20x | 40 MB | 50 MB | 1.25x |",
		"| bugdense | 3000 | 600 M | 500 M | 0.0% | **0.83x** | -100 M | — |",
		"| bugdense | 6000 | 1200 M | 1300 M | 0.0% | **1.08x** | 100 M | — |", // 3000's was negative
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

func TestParseSizes(t *testing.T) {
	ns, err := parseSizes("1000, 2000")
	if err != nil || len(ns) != 2 || ns[0] != 1000 || ns[1] != 2000 {
		t.Fatalf("parseSizes = %v, %v", ns, err)
	}
	for _, bad := range []string{"", "1000,x", "0"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q): want an error", bad)
		}
	}
}

// The median is the middle count, the lower middle of an even number, and
// the input is left in its order; the spread is (max - min) / median.
func TestMedianSpread(t *testing.T) {
	counts := []int64{300, 100, 200}
	if m := median(counts); m != 200 {
		t.Errorf("median(%v) = %d, want 200", counts, m)
	}
	if counts[0] != 300 {
		t.Errorf("median reordered its input: %v", counts)
	}
	if m := median([]int64{40, 10, 30, 20}); m != 20 {
		t.Errorf("median of four = %d, want 20", m)
	}
	if m := median([]int64{7}); m != 7 {
		t.Errorf("median of one = %d, want 7", m)
	}
	if s := spread(counts); s != 1 {
		t.Errorf("spread(%v) = %v, want 1", counts, s)
	}
	if s := spread([]int64{5, 5}); s != 0 {
		t.Errorf("spread of equal counts = %v, want 0", s)
	}
}
