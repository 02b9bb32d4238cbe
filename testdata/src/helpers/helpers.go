// Package helpers mutates what it is given; it knows nothing of the
// async model, and its summaries reach other packages as facts.
package helpers

import "sync"

type Log struct {
	lines []string
	n     int
}

func (l *Log) Add(s string) { // want Add:`clobbers\(0\)`
	l.lines = append(l.lines, s)
}

func (l *Log) Len() int { return len(l.lines) }

func (l *Log) Mark() { // want Mark:`overwrites\(0\)`
	l.n = 7
}

// Push appends through a pointer parameter.
func Push(xs *[]int, x int) { // want Push:`clobbers\(0\)`
	*xs = append(*xs, x)
}

// Indirect mutates through another helper.
func Indirect(l *Log) { // want Indirect:`clobbers\(0\)`
	l.Add("x")
}

var counter int

// Tick mutates package state.
func Tick() { // want Tick:"globals"
	counter++
}

// Reset is idempotent as declared: no summary.
//
//reentrycheck:idempotent
func Reset(l *Log) { l.lines = append(l.lines[:0], "reset") }

// Walk and walkOdd recurse into each other: the induction must still
// terminate with both summaries.
func Walk(l *Log, n int) { // want Walk:`clobbers\(0\)`
	if n > 0 {
		walkOdd(l, n-1)
	}
	l.n++
}

func walkOdd(l *Log, n int) { // want walkOdd:`clobbers\(0\)`
	if n > 0 {
		Walk(l, n-1)
	}
}

// Guard is locked and unlocked through helpers: their summaries record the
// lock operation, so a caller's lock held or released through them is seen.
type Guard struct {
	mu sync.Mutex
	N  int
}

func (g *Guard) Enter() { g.mu.Lock() } // want Enter:`acquires\(0\.mu\)`

func (g *Guard) Leave() { g.mu.Unlock() } // want Leave:`releases\(0\.mu\)`

// Peek locks and unlocks: it leaves the lock as it found it, and records
// no lock operation. It is a getter of g.N.
func (g *Guard) Peek() int { // want Peek:`^reads\(0\.N\)$`
	g.mu.Lock()
	n := g.N
	g.mu.Unlock()
	return n
}
