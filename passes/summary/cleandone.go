package summary

import (
	"github.com/reentrycheck/reentrycheck/passes/callee"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/yields"
	"golang.org/x/tools/go/ssa"
)

// cleanDone reports whether a resumable function writes nothing on any
// path that can end in Done: every write lies on the way to a yield or to
// an error. A call of it that returned Done therefore changed nothing, and
// calling it again (a poll of a readiness check, a query that may say
// "not yet") repeats nothing either, whatever it answers the second time.
//
// A return is Done unless it provably is not: it carries a yield (a yield
// error or status constant, the IO variant built by its constructor) or a
// non-nil error (an error value built on the spot, or one tested non-nil
// on the way). Anything the function cannot tell counts as Done, and any
// write it cannot place (a deferred one included) counts as a write.
func (s *Summaries) cleanDone(fn *ssa.Function) bool {
	if len(fn.Blocks) == 0 || fn.Recover != nil {
		return false
	}
	if _, sp := s.yields.Carrier(fn.Signature); sp == yields.None {
		return false
	}
	reach := s.doneReach(fn)
	if reach == nil {
		return false // never Done: nothing to say about its Done
	}
	// compute recorded which blocks write (the creating branch of a
	// get-or-create aside, lock methods aside, re-pollable calls of impure
	// functions included), with the callees' final summaries.
	writes := s.writes[fn]
	if writes == nil {
		return false
	}
	for i, w := range writes {
		if w && reach[i] {
			return false
		}
	}
	return true
}

// doneReach returns, per block of fn, whether a return that may be Done
// (for a function that cannot yield: a success, no error) is reachable from
// it; nil when none is. Memoized per function: it reads the SSA only.
func (s *Summaries) doneReach(fn *ssa.Function) []bool {
	if r, ok := s.dones[fn]; ok {
		return r
	}
	carrier, sp := s.yields.Carrier(fn.Signature)
	ioIdx := s.dirs.IOResultIndexes(fn.Signature)
	live := ssax.Live(fn)
	reach := make([]bool, len(fn.Blocks))
	var stack []*ssa.BasicBlock
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if ok && live[b.Index] && s.mayBeDone(ret, carrier, sp, ioIdx) {
			reach[b.Index] = true
			stack = append(stack, b)
		}
	}
	if len(stack) == 0 {
		reach = nil
	}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range b.Preds {
			if !reach[p.Index] && live[p.Index] {
				reach[p.Index] = true
				stack = append(stack, p)
			}
		}
	}
	s.dones[fn] = reach
	return reach
}

// mayBeDone reports whether a return may be a Done exit.
func (s *Summaries) mayBeDone(ret *ssa.Return, carrier int, sp yields.Spelling, ioIdx []int) bool {
	for i, r := range ret.Results {
		errLike := ssax.IsError(r.Type()) || (i == carrier && sp == yields.Error)
		if errLike && ssax.NonNilError(r, ret.Block()) {
			return false // an error exit
		}
		if i == carrier && s.yields.IsYieldValue(r) {
			return false
		}
	}
	if sp == yields.Result {
		for _, i := range ioIdx {
			call, ok := ret.Results[i].(*ssa.Call)
			if !ok {
				continue
			}
			// Built from a completion by a function that is not Done's
			// constructor (Wait(c)) and forwards no other result: the IO
			// variant.
			if fn := callee.Object(&call.Call); fn != nil && !s.dirs.IsDone(fn) && s.builtFromCompletion(&call.Call) {
				return false
			}
		}
	}
	return true
}

// builtFromCompletion reports whether a call (not a method call) is given a
// completion and no ioresult: a constructor of the IO variant.
func (s *Summaries) builtFromCompletion(call *ssa.CallCommon) bool {
	if call.IsInvoke() || call.Signature().Recv() != nil {
		return false
	}
	completion := false
	for _, a := range call.Args {
		switch {
		case s.dirs.IsIOResult(a.Type()):
			return false
		case s.dirs.IsCompletion(a.Type()):
			completion = true
		}
	}
	return completion
}
