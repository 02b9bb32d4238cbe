package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Side is one of the two commands a comparison runs.
type Side struct {
	Name string
	Args []string
	Env  []string
	// Fresh, if set, prepares every run of this side (for go vet, a fresh
	// copy of the warm build cache) and returns the environment to add and
	// a cleanup. Its cost is not measured.
	Fresh func() (env []string, cleanup func(), err error)
}

// Pair is a comparison: the baseline and reentrycheck over the same input,
// run in alternating rounds so that both see the same machine load.
type Pair struct {
	Title string
	Dir   string
	Base  Side
	Subj  Side
}

// Outcome is what the rounds of a pair gave.
type Outcome struct {
	Pair       Pair
	Base, Subj []Result
}

// stopped is the first run of rs that did not finish, if any.
func stopped(rs []Result) (Result, bool) {
	for _, r := range rs {
		if !r.Status.Finished() {
			return r, true
		}
	}
	return Result{}, false
}

// compare runs p for b.rounds alternating rounds. A side whose run did not
// finish (timeout, memory cap, error) is not run again: its later rounds
// would only repeat the wait.
func (b *bencher) compare(p Pair) (Outcome, error) {
	o := Outcome{Pair: p}
	b.logf("== %s  (in %s)", p.Title, p.Dir)
	for i := 1; i <= b.rounds; i++ {
		var line []string
		for _, s := range []struct {
			side *Side
			rs   *[]Result
		}{{&p.Base, &o.Base}, {&p.Subj, &o.Subj}} {
			if _, ok := stopped(*s.rs); ok {
				continue
			}
			r, err := b.measure(p, *s.side, i)
			if err != nil {
				return o, err
			}
			*s.rs = append(*s.rs, r)
			line = append(line, fmt.Sprintf("%s %s", s.side.Name, b.brief(r)))
		}
		if len(line) == 0 {
			break
		}
		b.logf("   round %d: %s  (load %s)", i, strings.Join(line, ", "), loadavg())
	}
	return o, nil
}

// measure makes one run of side s of p.
func (b *bencher) measure(p Pair, s Side, round int) (Result, error) {
	env := slices.Clone(s.Env)
	if s.Fresh != nil {
		extra, cleanup, err := s.Fresh()
		if err != nil {
			return Result{}, err
		}
		defer cleanup()
		env = append(env, extra...)
	}
	b.seq++
	out := filepath.Join(b.work, "out", fmt.Sprintf("%03d-%s-%d.txt", b.seq, s.Name, round))
	return Measure(Run{Dir: p.Dir, Env: env, Args: s.Args, Out: out}, b.limits)
}

// brief is one run in a progress line.
func (b *bencher) brief(r Result) string {
	if !r.Status.Finished() {
		return r.Describe(b.limits)
	}
	s := fmt.Sprintf("%.2fs %dMB %d findings", r.Wall.Seconds(), r.RSS>>10, r.Findings)
	if r.Internal > 0 {
		s += fmt.Sprintf(" %d INTERNAL ERRORS", r.Internal)
	}
	if r.Note != "" {
		s += fmt.Sprintf(" [%s]", r.Note)
	}
	return s
}

// median of the finished runs' wall times and peak RSS; ok is false when a
// run did not finish.
func median(rs []Result) (wall time.Duration, rssKB int64, ok bool) {
	if _, bad := stopped(rs); bad || len(rs) == 0 {
		return 0, 0, false
	}
	ws := make([]float64, len(rs))
	ms := make([]float64, len(rs))
	for i, r := range rs {
		ws[i], ms[i] = float64(r.Wall), float64(r.RSS)
	}
	return time.Duration(mid(ws)), int64(mid(ms)), true
}

// mid is the median of xs (the mean of the middle two for an even count).
func mid(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Summary is the medians and ratios of an outcome, as table cells.
type Summary struct {
	BaseTime, SubjTime, TimeRatio string
	BaseRSS, SubjRSS, RSSRatio    string
	Findings, Internal            string
	Rounds                        string // per-round time ratios
	// Beyond is reentrycheck's median time minus the baseline's, in
	// seconds; valid only if BeyondOK.
	Beyond   float64
	BeyondOK bool
}

func (b *bencher) summarize(o Outcome) Summary {
	var s Summary
	bw, bm, bok := median(o.Base)
	sw, sm, sok := median(o.Subj)
	cell := func(rs []Result, ok bool, w time.Duration, m int64) (string, string) {
		if ok {
			return fmt.Sprintf("%.2f s", w.Seconds()), fmt.Sprintf("%d MB", m>>10)
		}
		if r, bad := stopped(rs); bad {
			d := r.Describe(b.limits)
			return d, "—"
		}
		return "not run", "—"
	}
	s.BaseTime, s.BaseRSS = cell(o.Base, bok, bw, bm)
	s.SubjTime, s.SubjRSS = cell(o.Subj, sok, sw, sm)
	s.TimeRatio, s.RSSRatio = "—", "—"
	if bok && sok {
		s.TimeRatio = fmt.Sprintf("**%.2fx**", float64(sw)/float64(bw))
		s.RSSRatio = fmt.Sprintf("**%.2fx**", float64(sm)/float64(bm))
		s.Beyond, s.BeyondOK = (sw - bw).Seconds(), true
	}
	var rounds []string
	for i := 0; i < min(len(o.Base), len(o.Subj)); i++ {
		if o.Base[i].Status.Finished() && o.Subj[i].Status.Finished() {
			rounds = append(rounds, fmt.Sprintf("%.2f", o.Subj[i].Wall.Seconds()/o.Base[i].Wall.Seconds()))
		}
	}
	s.Rounds = strings.Join(rounds, " ")
	s.Findings, s.Internal = "—", "—"
	if n := len(o.Subj); n > 0 && o.Subj[n-1].Status.Finished() {
		last := o.Subj[n-1]
		s.Findings = fmt.Sprint(last.Findings)
		s.Internal = fmt.Sprint(last.Internal)
	}
	return s
}
