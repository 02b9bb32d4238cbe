package rules

import (
	"fmt"
	"strings"
)

// catalogue is every rule, in the order of the catalogue (docs/rules.md),
// of -rules' help and of SARIF's rule list.
var catalogue = []*Rule{
	MutationBeforeYield,
	RepeatedCall,
	PrematureTransition,
	DroppedResult,
	LocalProgress,
	LostCopy,
	HeldAcrossYield,
	CallbackIgnoresError,
	TooLarge,
	BlindOverwrite,
	Ignore,
	Directive,
}

// All returns every rule, in catalogue order.
func All() []*Rule { return append([]*Rule(nil), catalogue...) }

// Judged returns the rules that judge pending facts at yield points.
func Judged() []*Rule {
	var out []*Rule
	for _, r := range catalogue {
		if r.Judge != nil {
			out = append(out, r)
		}
	}
	return out
}

// Lookup returns the rule of a category, or nil.
func Lookup(name string) *Rule {
	for _, r := range catalogue {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Catalogue renders the rule catalogue, docs/rules.md, from the rules: the
// introduction, one row and one section per rule (its <name>.md), and the
// closing sections on suppression, directives and known limits. A test
// keeps docs/rules.md equal to it.
func Catalogue() string {
	intro, _ := docs.ReadFile("intro.md")
	outro, _ := docs.ReadFile("outro.md")
	var table strings.Builder
	table.WriteString("| rule | default | class | one line |\n|---|---|---|---|\n")
	for _, r := range catalogue {
		def := "off"
		switch {
		case r.Always:
			def = "always"
		case r.Default:
			def = "on"
		}
		anchor := r.Name
		if r.Anchor != "" {
			anchor = r.Anchor
		}
		fmt.Fprintf(&table, "| [%s](#%s) | %s | %s | %s |\n", r.Name, anchor, def, r.Class, r.Title)
	}
	var b strings.Builder
	b.WriteString(strings.Replace(string(intro), "{{TABLE}}\n", table.String(), 1))
	for _, r := range catalogue {
		if doc := r.Doc(); doc != "" {
			fmt.Fprintf(&b, "\n## %s\n\n%s", r.Name, doc)
		}
	}
	b.WriteString("\n")
	b.Write(outro)
	// The templates link the other docs relative to where they live, beside
	// the rules; the catalogue lives in docs/ with them.
	return strings.ReplaceAll(b.String(), "](../../docs/", "](")
}
