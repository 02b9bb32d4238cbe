package replay

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A yield that returns how far the operation got hands its progress to the
// caller: `for ...; { n, err := send(p); sent += n; if err != nil { return
// sent, err } }` says with the would-block how many items were done, and a
// caller that honours the count (the io.Writer contract: "returns the
// number of bytes written and an error") calls again with what is left.
// The calls of earlier iterations, whose progress the returned count
// records, are then not repeated by re-entry, and a loop whose progress is
// held in locals is not restarted from its initial values: the count is
// the local, and it leaves with the yield. A yield that returns a count of
// nothing the loop carries (a constant, a length) hands no progress back.

// maxCountTrace bounds how far a returned value is followed back to the
// loop-carried locals it is computed from.
const maxCountTrace = 6

// returnedProgress returns the loop headers whose carried locals an
// integer non-carrier result of ret is computed from (sent, sent + n), or
// nil.
func (a *analysis) returnedProgress(ret *ssa.Return) map[*ssa.BasicBlock]bool {
	var out map[*ssa.BasicBlock]bool
	carrier := map[int]bool{}
	for _, i := range a.resIdx {
		carrier[i] = true
	}
	for i, v := range ret.Results {
		// A count: a partial result of another type (a slice appended
		// to) says nothing about where the caller resumes.
		if b, ok := v.Type().Underlying().(*types.Basic); carrier[i] || !ok || b.Info()&types.IsInteger == 0 {
			continue
		}
		a.carriedFrom(v, 0, map[ssa.Value]bool{}, func(h *ssa.BasicBlock) {
			if out == nil {
				out = map[*ssa.BasicBlock]bool{}
			}
			out[h] = true
		})
	}
	return out
}

// carriedFrom calls found with the header of every loop whose carried phi
// v is computed from, through additions and conversions.
func (a *analysis) carriedFrom(v ssa.Value, depth int, seen map[ssa.Value]bool, found func(*ssa.BasicBlock)) {
	if depth > maxCountTrace || seen[v] {
		return
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Phi:
		h := v.Block()
		if l := a.loopOf[h.Index]; l != nil {
			for k, e := range v.Edges {
				if l.contains(h.Preds[k]) && e != v {
					if _, isConst := e.(*ssa.Const); !isConst {
						found(h)
						break
					}
				}
			}
		}
		for _, e := range v.Edges {
			a.carriedFrom(e, depth+1, seen, found)
		}
	case *ssa.BinOp:
		if v.Op == token.ADD {
			a.carriedFrom(v.X, depth+1, seen, found)
			a.carriedFrom(v.Y, depth+1, seen, found)
		}
	case *ssa.Convert:
		a.carriedFrom(v.X, depth+1, seen, found)
	}
}

// handedBack reports whether fact f (a repeated or looped call) lies in a
// loop whose carried progress the yield returns.
func (a *analysis) handedBack(f *fact, headers map[*ssa.BasicBlock]bool) bool {
	if len(headers) == 0 || (f.kind != fCall && f.kind != fLoopedCall) {
		return false
	}
	for _, l := range a.loopsOf[f.block.Index] {
		if headers[l.header] {
			return true
		}
	}
	return false
}
