package mutants

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Counts is one row of the table.
type Counts struct {
	Sites, Compiled, Confirmed, Unobservable, Flagged int
	// UnobservableFlagged counts the unobservable mutants the analyzer
	// flags all the same (not false alarms: the mutation may well be a
	// bug the harness cannot show).
	UnobservableFlagged int
}

// Share is the flagged share of the confirmed mutants, in percent (100
// when none was confirmed).
func (c Counts) Share() float64 {
	if c.Confirmed == 0 {
		return 100
	}
	return 100 * float64(c.Flagged) / float64(c.Confirmed)
}

// Tally counts the results per operator, and in all.
func Tally(rep *Report) (map[string]Counts, Counts) {
	per := map[string]Counts{}
	var total Counts
	for _, r := range rep.Results {
		c := per[r.Op]
		add(&c, r)
		per[r.Op] = c
		add(&total, r)
	}
	return per, total
}

func add(c *Counts, r Result) {
	c.Sites++
	if r.Compiled {
		c.Compiled++
		if r.Confirmed {
			c.Confirmed++
			if r.Flagged {
				c.Flagged++
			}
		} else {
			c.Unobservable++
			if r.Flagged {
				c.UnobservableFlagged++
			}
		}
	}
}

// Print writes the report as text: the table per operator, the findings on
// the unmutated code, and the confirmed mutants the analyzer missed. It
// returns Met.
func Print(w io.Writer, rep *Report, cfg Config) bool {
	per, total := Tally(rep)
	var names []string
	for _, t := range cfg.Targets {
		names = append(names, t.Name)
	}
	fmt.Fprintf(w, "mutation test: targets %s, %d mutants, %s\n\n", strings.Join(names, ", "), len(rep.Results), rep.Elapsed.Round(1e9))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operator\tsites\tcompiled\tunobservable\t(flagged)\tconfirmed\tflagged\tshare\t")
	met := true
	row := func(name string, c Counts) {
		share := "-"
		if c.Confirmed > 0 {
			share = fmt.Sprintf("%.0f%%", c.Share())
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t(%d)\t%d\t%d\t%s\t\n", name, c.Sites, c.Compiled, c.Unobservable, c.UnobservableFlagged, c.Confirmed, c.Flagged, share)
	}
	for _, op := range cfg.Operators {
		c := per[op.Name]
		if c.Share() < 95 {
			met = false
		}
		row(op.Name, c)
	}
	row("total", total)
	tw.Flush()

	fmt.Fprintln(w, "\nfindings on the unmutated code:")
	var targets []string
	for t := range rep.Unmutated {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	for _, t := range targets {
		fds := rep.Unmutated[t]
		fmt.Fprintf(w, "  %s: %d\n", t, len(fds))
		for _, fd := range fds {
			fmt.Fprintf(w, "    %s\n", fd)
			met = false
		}
	}

	fmt.Fprintln(w, "\nconfirmed mutants the analyzer did not flag:")
	missed := 0
	for _, r := range rep.Results {
		if r.Confirmed && !r.Flagged {
			missed++
			fmt.Fprintf(w, "  %s %s:%d %s: %s\n      dynamic: %s\n", r.Op, r.File, r.Line, r.Func, r.Summary, r.Evidence)
		}
	}
	if missed == 0 {
		fmt.Fprintln(w, "  none")
	}
	return met
}

// Met reports whether the target is met: at least 95% of the confirmed
// mutants flagged, for every operator, and no finding on the unmutated
// code.
func Met(rep *Report, cfg Config) bool {
	per, _ := Tally(rep)
	for _, op := range cfg.Operators {
		if per[op.Name].Share() < 95 {
			return false
		}
	}
	for _, fds := range rep.Unmutated {
		if len(fds) > 0 {
			return false
		}
	}
	return true
}

// WriteJSON writes the report as one JSON object: the counts per operator,
// the total, the findings on the unmutated code and every result.
func WriteJSON(w io.Writer, rep *Report, cfg Config) error {
	per, total := Tally(rep)
	type row struct {
		Operator string
		Counts
		Share float64
	}
	var rows []row
	for _, op := range cfg.Operators {
		c := per[op.Name]
		rows = append(rows, row{op.Name, c, c.Share()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Operators []row
		Total     row
		Unmutated map[string][]string
		Results   []Result
		Met       bool
		Seconds   float64
	}{rows, row{"total", total, total.Share()}, rep.Unmutated, rep.Results, Met(rep, cfg), rep.Elapsed.Seconds()})
}
