package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"sort"
	"strings"

	"github.com/reentrycheck/reentrycheck/quality/internal/labels"
)

// Label is a labelled corpus function.
type Label = labels.Label

func parseLabels(pkg string, fset *token.FileSet, files []*ast.File) ([]Label, error) {
	return labels.Parse(pkg, fset, files)
}

// Finding is one analyzer diagnostic.
type Finding struct {
	File    string
	Line    int
	Rule    string // the diagnostic's category
	Message string
}

// RuleClass maps each rule to the bug class it is meant to find.
var RuleClass = map[string]string{
	"mutation-before-yield":  "C1",
	"repeated-call":          "C2",
	"premature-transition":   "C3",
	"local-progress":         "C4",
	"lost-copy":              "C5",
	"dropped-result":         "C9",
	"held-across-yield":      "C10",
	"callback-ignores-error": "C12",
}

// Verdict is one labelled function with the findings inside it.
type Verdict struct {
	Label    Label
	Findings []Finding
}

// contains reports whether f lies in the function's declaration.
func (v Verdict) contains(f Finding) bool {
	return v.Label.File == f.File && v.Label.Start <= f.Line && f.Line <= v.Label.End
}

// Flagged reports whether any finding fell in the function.
func (v Verdict) Flagged() bool { return len(v.Findings) > 0 }

// FlaggedBy reports whether a finding of a rule of class fell in it.
func (v Verdict) FlaggedBy(class string) bool {
	for _, f := range v.Findings {
		if RuleClass[f.Rule] == class {
			return true
		}
	}
	return false
}

// ClassRow is one line of the per-class table.
type ClassRow struct {
	Class     string
	Buggy     int     // functions labelled bug of this class
	Correct   int     // functions labelled ok in this class's territory
	Flagged   int     // buggy ones flagged by any rule (true positives)
	RightRule int     // of those, flagged by this class's rule
	Missed    int     // buggy ones not flagged (false negatives)
	FalsePos  int     // correct ones (any class) flagged by this class's rule
	CorrectFl int     // correct ones of this class flagged by any rule
	Recall    float64 // Flagged / Buggy
	Precision float64 // functions flagged by this class's rule that are buggy / all functions it flagged
}

// Measurement is the command's result.
type Measurement struct {
	Functions    int
	Buggy        int
	Correct      int
	TruePos      int // buggy functions flagged
	FalsePos     int // correct functions flagged
	Recall       float64
	Precision    float64
	Classes      []ClassRow
	TruePosList  []Verdict `json:"-"` // buggy, flagged
	FalseNeg     []Verdict // buggy, not flagged
	FalsePosList []Verdict // correct, flagged
	Unattributed []Finding // findings outside every labelled function
}

// flaggedElsewhere lists the buggy functions that were flagged, but by no
// rule of their own class.
func (m Measurement) flaggedElsewhere() []Verdict {
	var out []Verdict
	for _, v := range m.TruePosList {
		if !v.FlaggedBy(v.Label.Class) {
			out = append(out, v)
		}
	}
	return out
}

// Measure attributes findings to labels (same file, line within the
// declaration) and computes the figures.
func Measure(ls []Label, fs []Finding) Measurement {
	vs := make([]Verdict, len(ls))
	for i, l := range ls {
		vs[i].Label = l
	}
	for _, f := range fs {
		for i := range vs {
			if vs[i].contains(f) {
				vs[i].Findings = append(vs[i].Findings, f)
			}
		}
	}
	var m Measurement
	for _, f := range fs {
		in := false
		for _, v := range vs {
			in = in || v.contains(f)
		}
		if !in {
			m.Unattributed = append(m.Unattributed, f)
		}
	}
	rows := map[string]*ClassRow{}
	row := func(c string) *ClassRow {
		if rows[c] == nil {
			rows[c] = &ClassRow{Class: c}
		}
		return rows[c]
	}
	for c := range RuleClass {
		row(RuleClass[c])
	}
	flaggedBy := map[string][2]int{} // class -> {buggy flagged by its rule, correct flagged by its rule}
	for _, v := range vs {
		m.Functions++
		r := row(v.Label.Class)
		if v.Label.Bug {
			m.Buggy++
			r.Buggy++
			if v.Flagged() {
				m.TruePos++
				m.TruePosList = append(m.TruePosList, v)
				r.Flagged++
				if v.FlaggedBy(v.Label.Class) {
					r.RightRule++
				}
			} else {
				r.Missed++
				m.FalseNeg = append(m.FalseNeg, v)
			}
		} else {
			m.Correct++
			r.Correct++
			if v.Flagged() {
				m.FalsePos++
				r.CorrectFl++
				m.FalsePosList = append(m.FalsePosList, v)
			}
		}
		for c := range rows {
			if v.FlaggedBy(c) {
				n := flaggedBy[c]
				if v.Label.Bug {
					n[0]++
				} else {
					n[1]++
				}
				flaggedBy[c] = n
			}
		}
	}
	for c, r := range rows {
		n := flaggedBy[c]
		r.FalsePos = n[1]
		r.Recall = ratio(r.Flagged, r.Buggy)
		r.Precision = ratio(n[0], n[0]+n[1])
		m.Classes = append(m.Classes, *r)
	}
	sort.Slice(m.Classes, func(i, j int) bool { return classNum(m.Classes[i].Class) < classNum(m.Classes[j].Class) })
	m.Recall = ratio(m.TruePos, m.Buggy)
	m.Precision = ratio(m.TruePos, m.TruePos+m.FalsePos)
	return m
}

func classNum(c string) int {
	n := 0
	_, _ = fmt.Sscanf(strings.TrimPrefix(c, "C"), "%d", &n)
	return n
}

// ratio is a/b, and 1 when b is 0 (nothing to find, nothing wrongly found).
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Print writes the report as text.
func (m Measurement) Print(w io.Writer) {
	fmt.Fprintf(w, "corpus: %d functions, %d buggy, %d correct\n\n", m.Functions, m.Buggy, m.Correct)
	fmt.Fprintf(w, "%-5s %6s %8s %8s %6s %7s %9s %9s %7s %9s\n",
		"class", "buggy", "correct", "flagged", "right", "missed", "FP(rule)", "ok-flagd", "recall", "precision")
	for _, r := range m.Classes {
		fmt.Fprintf(w, "%-5s %6d %8d %8d %6d %7d %9d %9d %7.2f %9.2f\n",
			r.Class, r.Buggy, r.Correct, r.Flagged, r.RightRule, r.Missed, r.FalsePos, r.CorrectFl, r.Recall, r.Precision)
	}
	fmt.Fprintf(w, "\noverall: recall %.2f (%d of %d bugs flagged, %d missed), precision %.2f (%d of %d correct functions flagged)\n",
		m.Recall, m.TruePos, m.Buggy, m.Buggy-m.TruePos, m.Precision, m.FalsePos, m.Correct)
	fmt.Fprintf(w, "\nfalse negatives (%d):\n", len(m.FalseNeg))
	for _, v := range m.FalseNeg {
		fmt.Fprintf(w, "  %s [bug %s] %s\n", short(v.Label), v.Label.Class, v.Label.Note)
	}
	other := m.flaggedElsewhere()
	fmt.Fprintf(w, "\nbugs flagged, but not by their class's rule (%d):\n", len(other))
	for _, v := range other {
		fmt.Fprintf(w, "  %s [bug %s] %s\n", short(v.Label), v.Label.Class, v.Label.Note)
		for _, f := range v.Findings {
			fmt.Fprintf(w, "      line %d [%s] %s\n", f.Line, f.Rule, f.Message)
		}
	}
	fmt.Fprintf(w, "\nfalse positives (%d):\n", len(m.FalsePosList))
	for _, v := range m.FalsePosList {
		fmt.Fprintf(w, "  %s [ok %s] %s\n", short(v.Label), v.Label.Class, v.Label.Note)
		for _, f := range v.Findings {
			fmt.Fprintf(w, "      line %d [%s] %s\n", f.Line, f.Rule, f.Message)
		}
	}
	if len(m.Unattributed) > 0 {
		fmt.Fprintf(w, "\nfindings outside labelled functions (%d):\n", len(m.Unattributed))
		for _, f := range m.Unattributed {
			fmt.Fprintf(w, "  %s:%d [%s] %s\n", f.File, f.Line, f.Rule, f.Message)
		}
	}
}

func short(l Label) string {
	p := l.Pkg
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[i+1:]
	}
	return p + "." + l.Func
}

// Markdown writes the per-class table and the overall line as Markdown.
func (m Measurement) Markdown(w io.Writer) {
	fmt.Fprintln(w, "| class | buggy | correct | flagged | right rule | missed | FP (rule) | correct flagged | recall | precision |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range m.Classes {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d | %.2f | %.2f |\n",
			r.Class, r.Buggy, r.Correct, r.Flagged, r.RightRule, r.Missed, r.FalsePos, r.CorrectFl, r.Recall, r.Precision)
	}
	fmt.Fprintf(w, "\n**Overall: recall %.2f (%d of %d bugs flagged, %d missed), precision %.2f (%d of %d correct functions flagged).**\n",
		m.Recall, m.TruePos, m.Buggy, m.Buggy-m.TruePos, m.Precision, m.FalsePos, m.Correct)
}
