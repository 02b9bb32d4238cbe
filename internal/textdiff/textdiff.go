package textdiff

import (
	"fmt"
	"strings"
)

// contextLines is the number of unchanged lines shown around each change,
// as in `diff -u`.
const contextLines = 3

// maxTable bounds the LCS table (cells); beyond it the changed middle is
// shown as one deletion followed by one insertion.
const maxTable = 4 << 20

type opKind byte

const (
	opEqual  opKind = ' '
	opDelete opKind = '-'
	opInsert opKind = '+'
)

type op struct {
	kind opKind
	line string // with its trailing newline, if it has one
}

// Unified returns the unified diff that turns old into new, with oldLabel and
// newLabel on the --- and +++ lines. It returns "" when the texts are equal.
func Unified(oldLabel, newLabel, old, new string) string {
	if old == new {
		return ""
	}
	ops := lineOps(splitLines(old), splitLines(new))
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", oldLabel, newLabel)
	for _, h := range hunks(ops) {
		writeHunk(&b, ops, h)
	}
	return b.String()
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lineOps computes an edit script from a to b.
func lineOps(a, b []string) []op {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	var ops []op
	for _, l := range a[:head] {
		ops = append(ops, op{opEqual, l})
	}
	ops = append(ops, middleOps(a[head:len(a)-tail], b[head:len(b)-tail])...)
	for _, l := range a[len(a)-tail:] {
		ops = append(ops, op{opEqual, l})
	}
	return ops
}

// middleOps diffs the region where a and b differ, by longest common
// subsequence. Deletions come before insertions at each change, as diff does.
func middleOps(a, b []string) []op {
	var ops []op
	if (len(a)+1)*(len(b)+1) > maxTable {
		for _, l := range a {
			ops = append(ops, op{opDelete, l})
		}
		for _, l := range b {
			ops = append(ops, op{opInsert, l})
		}
		return ops
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{opEqual, a[i]})
			i++
			j++
		case j == len(b) || (i < len(a) && lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			ops = append(ops, op{opDelete, a[i]})
			i++
		default:
			ops = append(ops, op{opInsert, b[j]})
			j++
		}
	}
	return ops
}

// hunk is a half-open range of ops to print together.
type hunk struct{ start, end int }

// hunks groups changes whose context would touch or overlap.
func hunks(ops []op) []hunk {
	var hs []hunk
	for i, o := range ops {
		if o.kind == opEqual {
			continue
		}
		start := max(0, i-contextLines)
		end := min(len(ops), i+1+contextLines)
		if n := len(hs); n > 0 && start <= hs[n-1].end {
			hs[n-1].end = end
			continue
		}
		hs = append(hs, hunk{start, end})
	}
	return hs
}

func writeHunk(b *strings.Builder, ops []op, h hunk) {
	// 1-based first line numbers of the hunk in each text.
	oldLine, newLine := 1, 1
	for _, o := range ops[:h.start] {
		if o.kind != opInsert {
			oldLine++
		}
		if o.kind != opDelete {
			newLine++
		}
	}
	var oldCount, newCount int
	for _, o := range ops[h.start:h.end] {
		if o.kind != opInsert {
			oldCount++
		}
		if o.kind != opDelete {
			newCount++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", rangeSpec(oldLine, oldCount), rangeSpec(newLine, newCount))
	for _, o := range ops[h.start:h.end] {
		b.WriteByte(byte(o.kind))
		b.WriteString(o.line)
		if !strings.HasSuffix(o.line, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeSpec formats a hunk range: an empty range names the line before it.
func rangeSpec(line, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", line-1)
	case 1:
		return fmt.Sprint(line)
	}
	return fmt.Sprintf("%d,%d", line, count)
}
