package yields

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"github.com/reentrycheck/reentrycheck/passes/directives"
	"github.com/reentrycheck/reentrycheck/passes/internal/ssax"
	"github.com/reentrycheck/reentrycheck/passes/ssabuild"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Spelling is how a function says "not finished, call me again".
type Spelling uint8

const (
	None   Spelling = iota // it never yields
	Result                 // it returns an ioresult type
	Error                  // it returns a yield error in an error result
	Value                  // it returns a yield status constant
)

func (s Spelling) String() string {
	return [...]string{"none", "result", "error", "value"}[s]
}

// MayYield is the fact on a function that may yield in the error or status
// spelling: returning its Result-th result's yield value asks the caller to
// call again.
type MayYield struct{ Result int }

// AFact marks MayYield as an analysis fact.
func (*MayYield) AFact() {}

func (m *MayYield) String() string { return fmt.Sprintf("may yield (result %d)", m.Result) }

// Yields answers, for one package, which functions and calls may yield.
type Yields struct {
	pass *analysis.Pass
	dirs *directives.Directives
	set  *directives.YieldSet

	may       map[*ssa.Function]bool   // error and status spellings: may return a yield
	resumable map[*ssa.Function]bool   // after the callers have had their say (status spelling)
	final     bool                     // Call answers with resumable, not may
	cells     map[*ssa.Alloc]cellTrace // result cells traced since final

	// The package's static call sites, the functions whose value is
	// taken and the unexported method names called through interfaces:
	// who can call a function (CallSites).
	sites     map[*ssa.Function][]*ssa.Call
	addrTaken map[*ssa.Function]bool
	invoked   map[string]bool
	goDefer   map[*ssa.Function]bool // called by a go or defer statement
}

// Analyzer decides, per function, whether it may yield in the spellings of
// existing Go code, and exports the answer as a MayYield fact.
var Analyzer = &analysis.Analyzer{
	Name:       "reentrycheckyields",
	Doc:        "finds the functions that may return a yield error or yield status",
	Run:        run,
	Requires:   []*analysis.Analyzer{directives.Analyzer, ssabuild.Analyzer},
	FactTypes:  []analysis.Fact{new(MayYield)},
	ResultType: reflect.TypeFor[*Yields](),
}

func run(pass *analysis.Pass) (any, error) {
	dirs := pass.ResultOf[directives.Analyzer].(*directives.Directives)
	y := &Yields{pass: pass, dirs: dirs, set: dirs.Yields(), may: map[*ssa.Function]bool{}, resumable: map[*ssa.Function]bool{}}
	prog := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.SSA)
	if prog == nil || y.set.Empty() {
		y.final = true
		return y, nil
	}
	y.solve(prog.SrcFuncs)
	y.final = true
	for _, fn := range prog.SrcFuncs {
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || fn.Parent() != nil || !y.resumable[fn] {
			continue
		}
		if i, _ := y.Carrier(fn.Signature); i >= 0 {
			pass.ExportObjectFact(obj, &MayYield{Result: i})
		}
	}
	return y, nil
}

// Compute decides the functions of one package against a set of yield
// declarations, without facts or the result-type spelling: for code that
// builds SSA outside an analysis pass (tests, tools).
func Compute(set *directives.YieldSet, funcs []*ssa.Function) *Yields {
	y := &Yields{set: set, may: map[*ssa.Function]bool{}, resumable: map[*ssa.Function]bool{}}
	if !set.Empty() {
		y.solve(funcs)
	}
	y.final = true
	return y
}

// Set returns the yield declarations visible from the package.
func (y *Yields) Set() *directives.YieldSet { return y.set }

// Carrier returns which result of a function of this signature would carry
// a yield, and in which spelling: the last result that can hold a yield
// error, or else one of a type with yield status constants. It is -1, None
// for signatures that cannot yield in those spellings, and -1, Result for
// an ioresult signature (whose results the replay reads itself).
func (y *Yields) Carrier(sig *types.Signature) (int, Spelling) {
	if sig == nil {
		return -1, None
	}
	if y.dirs != nil && y.dirs.IsResumable(sig) {
		return -1, Result
	}
	if y.set.Empty() {
		return -1, None
	}
	res := sig.Results()
	for i := res.Len() - 1; i >= 0; i-- {
		if y.set.ErrorCarrier(res.At(i).Type()) {
			return i, Error
		}
	}
	for i := res.Len() - 1; i >= 0; i-- {
		if y.set.HasValues(res.At(i).Type()) {
			return i, Value
		}
	}
	return -1, None
}

// Func returns the spelling in which fn yields, None if it cannot.
func (y *Yields) Func(fn *ssa.Function) Spelling {
	i, sp := y.Carrier(fn.Signature)
	switch sp {
	case Result:
		return Result
	case None:
		return None
	}
	if y.funcMay(fn, i) {
		return sp
	}
	return None
}

func (y *Yields) funcMay(fn *ssa.Function, i int) bool {
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	if _, ok := y.may[fn]; ok {
		if y.final {
			return y.resumable[fn]
		}
		return y.may[fn]
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || y.pass == nil {
		return false
	}
	var f MayYield
	return y.pass.ImportObjectFact(obj.Origin(), &f) && f.Result == i
}

// Call reports whether a call may yield: it calls a resumable function in
// any spelling. A call through an interface or a function value may yield
// when its carrier's type is specific to yields (a status type, a named
// error type that can hold a yield error); one returning a plain error is
// taken not to, since most errors are not yields.
func (y *Yields) Call(call *ssa.CallCommon) bool {
	sig := call.Signature()
	i, sp := y.Carrier(sig)
	switch sp {
	case None:
		return false
	case Result:
		return true
	}
	if !call.IsInvoke() {
		if fn := call.StaticCallee(); fn != nil {
			return y.funcMay(fn, i)
		}
	}
	return y.set.Specific(sig.Results().At(i).Type())
}

// Known reports whether a call reaches a function known to yield: an
// ioresult signature, or a static callee that may yield in the error or
// status spelling (not a dynamic call that may yield by its type alone).
func (y *Yields) Known(call *ssa.CallCommon) bool {
	i, sp := y.Carrier(call.Signature())
	switch sp {
	case None:
		return false
	case Result:
		return true
	}
	if call.IsInvoke() {
		return false
	}
	fn := call.StaticCallee()
	return fn != nil && y.funcMay(fn, i)
}

// CarrierOf returns the result index that carries a call's yield, or -1
// when the call cannot yield in the error or status spelling.
func (y *Yields) CarrierOf(call *ssa.CallCommon) int {
	i, sp := y.Carrier(call.Signature())
	if sp == Error || sp == Value {
		return i
	}
	return -1
}

// ---- the fixpoint ----

// solve computes may (a function may return a yield) by a worklist over the
// package's call graph, then lets callers decide: for status constants
// (callersDecide) and for yield errors (driversDecide).
func (y *Yields) solve(funcs []*ssa.Function) {
	carriers := map[*ssa.Function]int{}
	callers := map[*ssa.Function][]*ssa.Function{} // static callee -> callers
	sites := map[*ssa.Function][]*ssa.Call{}       // static callee -> its call sites
	addrTaken := map[*ssa.Function]bool{}
	y.goDefer = map[*ssa.Function]bool{}
	for _, fn := range funcs {
		if i, sp := y.Carrier(fn.Signature); sp == Error || sp == Value {
			carriers[fn] = i
			y.may[fn] = false
		}
		var ops []*ssa.Value
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok && !call.Call.IsInvoke() {
					if g := call.Call.StaticCallee(); g != nil {
						callers[g] = append(callers[g], fn)
						sites[g] = append(sites[g], call)
					}
				} else if c := ssax.Call(instr); c != nil && !c.Common().IsInvoke() {
					if g := c.Common().StaticCallee(); g != nil {
						y.goDefer[g] = true // go or defer: no result to decide on
					}
				}
				ops = instr.Operands(ops[:0])
				for k, op := range ops {
					if op == nil || *op == nil {
						continue
					}
					if g, ok := (*op).(*ssa.Function); ok {
						if call, isCall := instr.(*ssa.Call); isCall && k == 0 && call.Call.Value == g {
							continue // the callee of a static call
						}
						addrTaken[g] = true
					}
				}
			}
		}
	}
	// may: a worklist, callees before callers (so that acyclic chains settle
	// in one visit each). A function's answer only turns from false to
	// true, and only a turn re-queues its callers, so the visits number at
	// most the functions plus the static call sites: no budget is needed.
	drain(postorder(funcs, sites), func(fn *ssa.Function) []*ssa.Function {
		i, ok := carriers[fn]
		if !ok || y.may[fn] || !y.mayReturn(fn, i, nil) {
			return nil
		}
		y.may[fn] = true
		return callers[fn]
	})
	for fn, m := range y.may {
		y.resumable[fn] = m
	}
	y.sites, y.addrTaken = sites, addrTaken
	y.callersDecide(funcs, carriers, sites, addrTaken)
	y.driversDecide(funcs, carriers, sites, addrTaken)
}

// drain runs a worklist from work: visit returns the functions to visit
// again, which are queued unless they are already.
func drain(work []*ssa.Function, visit func(*ssa.Function) []*ssa.Function) {
	queued := make(map[*ssa.Function]bool, len(work))
	for _, fn := range work {
		queued[fn] = true
	}
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		queued[fn] = false
		for _, g := range visit(fn) {
			if !queued[g] {
				queued[g] = true
				work = append(work, g)
			}
		}
	}
}

// postorder lists funcs callees first: a depth-first walk of the static
// calls among them, each function after the functions it calls (cycles cut
// where the walk meets them).
func postorder(funcs []*ssa.Function, sites map[*ssa.Function][]*ssa.Call) []*ssa.Function {
	in := make(map[*ssa.Function]bool, len(funcs))
	for _, fn := range funcs {
		in[fn] = true
	}
	calls := map[*ssa.Function][]*ssa.Function{}
	for g, cs := range sites {
		if !in[g] {
			continue
		}
		for _, c := range cs {
			calls[c.Parent()] = append(calls[c.Parent()], g)
		}
	}
	out := make([]*ssa.Function, 0, len(funcs))
	seen := make(map[*ssa.Function]bool, len(funcs))
	type frame struct {
		fn   *ssa.Function
		next int
	}
	for _, root := range funcs {
		if seen[root] {
			continue
		}
		seen[root] = true
		stack := []frame{{fn: root}}
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(calls[top.fn]) {
				g := calls[top.fn][top.next]
				top.next++
				if !seen[g] {
					seen[g] = true
					stack = append(stack, frame{fn: g})
				}
				continue
			}
			out = append(out, top.fn)
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

// mayReturn reports whether some return of fn may carry a yield in result
// i, adding the calls whose yield it forwards to into (when non-nil).
func (y *Yields) mayReturn(fn *ssa.Function, i int, into map[ssa.Instruction]bool) bool {
	_, sp := y.Carrier(fn.Signature)
	may := false
	live := ssax.Live(fn)
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || i >= len(ret.Results) || !live[b.Index] {
			continue
		}
		srcs := map[ssa.Instruction]bool{}
		if y.Trace(ret.Results[i], b, sp, srcs) {
			may = true
			for s := range srcs {
				if into != nil {
					into[s] = true
				}
			}
		}
	}
	return may
}

// callersDecide implements the rule that a status constant is a yield only
// where callers treat it as one. A function that may return the yield
// constant but whose every caller moves on when it does (`if ret !=
// statusOK { return ret }` and carries on) uses the constant as a plain
// success code: it is a one-shot helper, not a resumable function. Only
// functions whose callers are all visible can be decided so: unexported
// ones whose value is never taken. A caller counts when it forwards the
// status to its own yield and is itself resumable; the answer only ever
// turns from resumable to not.
func (y *Yields) callersDecide(funcs []*ssa.Function, carriers map[*ssa.Function]int, sites map[*ssa.Function][]*ssa.Call, addrTaken map[*ssa.Function]bool) {
	forwardedBy := map[*ssa.Function][]*ssa.Function{}
	for _, g := range funcs {
		i, ok := carriers[g]
		if !ok {
			continue
		}
		srcs := map[ssa.Instruction]bool{}
		y.mayReturn(g, i, srcs)
		for s := range srcs {
			if call, ok := s.(*ssa.Call); ok && !call.Call.IsInvoke() {
				if f := call.Call.StaticCallee(); f != nil {
					forwardedBy[f] = append(forwardedBy[f], g)
				}
			}
		}
	}
	decidable := func(fn *ssa.Function) bool {
		_, sp := y.Carrier(fn.Signature)
		if sp != Value || addrTaken[fn] || len(sites[fn]) == 0 {
			return false
		}
		if obj, _ := fn.Object().(*types.Func); obj != nil && obj.Exported() {
			return false
		}
		return fn.Object() != nil // closures are called through values
	}
	// A worklist: a function turning non-resumable re-queues the functions
	// it forwards, whose only resumable forwarder it may have been. Each
	// turns at most once, so the visits number at most the functions plus
	// the forwarding edges.
	forwards := map[*ssa.Function][]*ssa.Function{}
	for f, gs := range forwardedBy {
		for _, g := range gs {
			forwards[g] = append(forwards[g], f)
		}
	}
	drain(funcs, func(fn *ssa.Function) []*ssa.Function {
		if !y.resumable[fn] || !decidable(fn) {
			return nil
		}
		for _, g := range forwardedBy[fn] {
			if y.resumable[g] {
				return nil
			}
		}
		y.resumable[fn] = false
		return forwards[fn]
	})
}

// ---- tracing a returned value ----

// verdict is what a guard says about a value on one branch.
type verdict int8

const (
	unknown  verdict = 0
	isYield  verdict = 1
	notYield verdict = -1
)

// Trace reports whether v, returned at block at, may be a yield in
// spelling sp, adding to into the calls whose yield it forwards. A value
// the analysis cannot follow is a yield in the status spelling (a status
// type exists to say it) and is not one in the error spelling (most errors
// are not yields); in both, a guard on the way narrows: under `if err !=
// ErrWouldBlock { return err }` the return is no yield, under `if
// errors.Is(err, ErrWouldBlock) { return err }` it is one.
func (y *Yields) Trace(v ssa.Value, at *ssa.BasicBlock, sp Spelling, into map[ssa.Instruction]bool) bool {
	return y.trace(v, at, sp, into, 0, map[ssa.Value]bool{})
}

func (y *Yields) trace(v ssa.Value, at *ssa.BasicBlock, sp Spelling, into map[ssa.Instruction]bool, depth int, seen map[ssa.Value]bool) bool {
	if v == nil || depth > 16 || seen[v] {
		return false
	}
	seen[v] = true
	if y.IsYieldValue(v) {
		return true
	}
	switch g := y.guard(v, at); g {
	case notYield:
		return false
	case isYield:
		if call := callOf(v); call != nil {
			into[call] = true
		}
		return true
	}
	switch v := v.(type) {
	case *ssa.Const:
		return false
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return y.traceCall(call, at, sp, into, depth, seen)
		}
		return sp == Value
	case *ssa.Call:
		return y.traceCall(v, at, sp, into, depth, seen)
	case *ssa.Phi:
		may := false
		for k, e := range v.Edges {
			pred := v.Block().Preds[k]
			if y.trace(e, pred, sp, into, depth+1, seen) {
				may = true
			}
		}
		return may
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if cell, ok := v.X.(*ssa.Alloc); ok && cell.Referrers() != nil {
				if st := ssax.ReachingStore(cell, v); st != nil {
					return y.trace(st.Val, st.Block(), sp, into, depth+1, seen)
				}
				return y.traceCell(cell, sp, into, depth, seen)
			}
			if _, ok := v.X.(*ssa.Global); ok {
				return false // a package-level error that is not a yield
			}
		}
	case *ssa.MakeInterface:
		return y.trace(v.X, at, sp, into, depth+1, seen)
	case *ssa.ChangeType:
		return y.trace(v.X, at, sp, into, depth+1, seen)
	case *ssa.ChangeInterface:
		return y.trace(v.X, at, sp, into, depth+1, seen)
	case *ssa.Alloc:
		return false // a fresh value of a type that is not a yield
	}
	return sp == Value
}

// traceCell is the union over every store into a result cell, each traced
// at its own block. It does not depend on the return that loads the cell,
// so it is computed once per cell: a function with a named result and
// many bare returns costs its stores once, not once per return.
func (y *Yields) traceCell(cell *ssa.Alloc, sp Spelling, into map[ssa.Instruction]bool, depth int, seen map[ssa.Value]bool) bool {
	if m, ok := y.cells[cell]; ok {
		for _, src := range m.srcs {
			into[src] = true
		}
		return m.may
	}
	srcs := map[ssa.Instruction]bool{}
	may := false
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			if y.trace(st.Val, st.Block(), sp, srcs, depth+1, seen) {
				may = true
			}
		}
	}
	m := cellTrace{may: may}
	for src := range srcs {
		into[src] = true
		m.srcs = append(m.srcs, src)
	}
	if !y.final || depth > 1 {
		// The answers may still grow, or the trace was cut short by the
		// depth bound: memoize only complete, final ones (a return's own
		// load of its cell).
		return may
	}
	if y.cells == nil {
		y.cells = map[*ssa.Alloc]cellTrace{}
	}
	y.cells[cell] = m
	return may
}

// cellTrace is the memoized trace of a result cell.
type cellTrace struct {
	may  bool
	srcs []ssa.Instruction
}

// traceCall decides whether a call's carrier result may be a yield: the
// callee may yield, or it wraps a yield (fmt.Errorf with %w, errors.Join).
func (y *Yields) traceCall(call *ssa.Call, at *ssa.BasicBlock, sp Spelling, into map[ssa.Instruction]bool, depth int, seen map[ssa.Value]bool) bool {
	if y.Call(&call.Call) {
		into[call] = true
		return true
	}
	if isWrapper(&call.Call) {
		may := false
		for _, arg := range call.Call.Args {
			for _, e := range varargs(arg) {
				if y.trace(e, at, sp, into, depth+1, seen) {
					may = true
				}
			}
		}
		return may
	}
	return false
}

// isWrapper reports whether a call builds an error that errors.Is sees
// through to its arguments: errors.Join, and fmt.Errorf with a %w verb (a
// %v or %s only copies the message, and the yield is gone). A format that
// is not a constant is taken to wrap.
func isWrapper(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	if fn == nil || fn.Pkg == nil {
		return false
	}
	switch fn.Pkg.Pkg.Path() + "." + fn.Name() {
	case "errors.Join":
		return true
	case "fmt.Errorf":
		if len(call.Args) > 0 {
			if c, ok := call.Args[0].(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String {
				return strings.Contains(constant.StringVal(c.Value), "%w")
			}
		}
		return true
	}
	return false
}

// varargs returns the values packed into a variadic slice argument, or the
// argument itself.
func varargs(arg ssa.Value) []ssa.Value {
	sl, ok := arg.(*ssa.Slice)
	if !ok {
		return []ssa.Value{arg}
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, rr := range *ia.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// Flattened reports whether v, an error, reaches a call that turns it into
// a message (fmt.Errorf without %w): there the yield it may carry is lost.
func Flattened(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		var boxed ssa.Value
		switch r := r.(type) {
		case *ssa.ChangeInterface:
			boxed = r
		case *ssa.MakeInterface:
			boxed = r
		default:
			continue
		}
		for _, rr := range *boxed.Referrers() {
			st, ok := rr.(*ssa.Store)
			if !ok || st.Val != boxed {
				continue
			}
			ia, ok := st.Addr.(*ssa.IndexAddr)
			if !ok {
				continue
			}
			arr, ok := ia.X.(*ssa.Alloc)
			if !ok {
				continue
			}
			for _, call := range varargCalls(arr) {
				if isErrorf(&call.Call) && !isWrapper(&call.Call) {
					return true
				}
			}
		}
	}
	return false
}

// varargCalls returns the calls that take the local array arr, sliced, as
// their variadic arguments.
func varargCalls(arr *ssa.Alloc) []*ssa.Call {
	var out []*ssa.Call
	for _, ar := range *arr.Referrers() {
		sl, ok := ar.(*ssa.Slice)
		if !ok {
			continue
		}
		for _, sr := range *sl.Referrers() {
			if call, ok := sr.(*ssa.Call); ok {
				out = append(out, call)
			}
		}
	}
	return out
}

func isErrorf(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "fmt" && fn.Name() == "Errorf"
}

// callOf returns the call whose result v is (directly or as a component).
func callOf(v ssa.Value) *ssa.Call {
	switch v := v.(type) {
	case *ssa.Call:
		return v
	case *ssa.Extract:
		c, _ := v.Tuple.(*ssa.Call)
		return c
	}
	return nil
}

// IsYieldValue reports whether v is certainly a yield: a yield error
// variable, an error constant declared a yield, a value of a yield error
// type, or a yield status constant.
func (y *Yields) IsYieldValue(v ssa.Value) bool {
	for depth := 0; depth < 4 && v != nil; depth++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
				return y.set.ErrObject(g.Object()) != ""
			}
			return false
		case *ssa.Const:
			if x.Value == nil {
				return false
			}
			return y.set.Value(x.Type(), x.Value) != "" || y.set.ErrConst(x.Type(), x.Value) != ""
		case *ssa.MakeInterface:
			if y.set.ErrType(x.X.Type()) != "" {
				return true
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return false
		}
	}
	return false
}

// classify says what a value compared with another tells: equal to a yield,
// or to something that is not one (nil, another constant, another sentinel).
func (y *Yields) classify(v ssa.Value) verdict {
	if y.IsYieldValue(v) {
		return isYield
	}
	switch x := v.(type) {
	case *ssa.Const:
		return notYield
	case *ssa.MakeInterface:
		if _, ok := x.X.(*ssa.Const); ok {
			return notYield
		}
	case *ssa.UnOp:
		if _, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
			return notYield // another sentinel error
		}
	}
	return unknown
}

// guard reports what the branches block at lies under say about v: the
// comparisons `v == Y`, `v != Y` (Y a yield, nil, or another constant or
// sentinel), errors.Is(v, Y), and type assertions v.(*T) with T a yield
// error type. It looks at v's own uses, not up the dominator tree, so its
// cost does not grow with the function.
func (y *Yields) guard(v ssa.Value, at *ssa.BasicBlock) verdict {
	if got := y.guardOf(v, at); got != unknown {
		return got
	}
	// A field read again holds what an earlier read of it held when
	// nothing in between can write it: the guard on that read applies.
	if l, ok := v.(*ssa.UnOp); ok {
		for _, same := range ssax.SameLoads(l) {
			if got := y.guardOf(same, at); got != unknown {
				return got
			}
		}
	}
	return unknown
}

// guardOf is guard for the uses of v itself.
func (y *Yields) guardOf(v ssa.Value, at *ssa.BasicBlock) verdict {
	refs := v.Referrers()
	if refs == nil {
		return unknown
	}
	for _, r := range *refs {
		var cond ssa.Value
		var onTrue, onFalse verdict
		switch r := r.(type) {
		case *ssa.BinOp:
			if r.Op != token.EQL && r.Op != token.NEQ {
				continue
			}
			other := r.Y
			if other == v {
				other = r.X
			}
			k := y.classify(other)
			if k == unknown {
				continue
			}
			onTrue, onFalse = k, unknown
			if k == isYield {
				onFalse = notYield
			}
			if r.Op == token.NEQ {
				onTrue, onFalse = onFalse, onTrue
			}
			cond = r
		case *ssa.Call:
			if !isErrorsIs(&r.Call) || len(r.Call.Args) != 2 || r.Call.Args[0] != v {
				continue
			}
			k := y.classify(r.Call.Args[1])
			switch k {
			case isYield:
				onTrue, onFalse = isYield, notYield
			case notYield:
				onTrue = notYield
			default:
				continue
			}
			cond = r
		case *ssa.TypeAssert:
			if !r.CommaOk || y.set.ErrType(r.AssertedType) == "" {
				continue
			}
			ok := okOf(r)
			if ok == nil {
				continue
			}
			onTrue, onFalse, cond = isYield, notYield, ok
		default:
			continue
		}
		if got := branchVerdict(cond, at, onTrue, onFalse); got != unknown {
			return got
		}
	}
	return unknown
}

// GuardedYield reports whether block at lies under a guard saying that v
// is the yield (v == ErrWouldBlock, errors.Is(v, ...), ret == StatusMore,
// a type assertion to the yield type that held).
func (y *Yields) GuardedYield(v ssa.Value, at *ssa.BasicBlock) bool {
	return y.guard(v, at) == isYield
}

// branchVerdict finds the ifs that test cond (possibly negated) and
// returns the verdict of the branch that every path to at takes.
func branchVerdict(cond ssa.Value, at *ssa.BasicBlock, onTrue, onFalse verdict) verdict {
	for neg := 0; neg < 3 && cond != nil; neg++ {
		refs := cond.Referrers()
		if refs == nil {
			return unknown
		}
		var next ssa.Value
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.If:
				d := r.Block()
				if onTrue != unknown && ssax.EdgeDominates(d, d.Succs[0], at) {
					return onTrue
				}
				if onFalse != unknown && ssax.EdgeDominates(d, d.Succs[1], at) {
					return onFalse
				}
			case *ssa.UnOp:
				if r.Op == token.NOT {
					next = r
				}
			}
		}
		cond, onTrue, onFalse = next, onFalse, onTrue
	}
	return unknown
}

func okOf(ta *ssa.TypeAssert) ssa.Value {
	if ta.Referrers() == nil {
		return nil
	}
	for _, r := range *ta.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 1 {
			return ex
		}
	}
	return nil
}

func isErrorsIs(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "errors" && fn.Name() == "Is"
}

// TestedCall returns the call whose carrier result cond compares with a
// yield (err == ErrWouldBlock, errors.Is(err, ErrWouldBlock), a type
// assertion to a yield error type, ret != statusMore), or nil: the test of
// the ready! idiom in these spellings.
func (y *Yields) TestedCall(cond ssa.Value) *ssa.Call {
	for depth := 0; depth < 4 && cond != nil; depth++ {
		switch c := cond.(type) {
		case *ssa.UnOp:
			if c.Op != token.NOT {
				return nil
			}
			cond = c.X
			continue
		case *ssa.BinOp:
			if c.Op != token.EQL && c.Op != token.NEQ {
				return nil
			}
			switch {
			case y.IsYieldValue(c.Y):
				return callOf(c.X)
			case y.IsYieldValue(c.X):
				return callOf(c.Y)
			}
			return nil
		case *ssa.Call:
			if isErrorsIs(&c.Call) && len(c.Call.Args) == 2 && y.IsYieldValue(c.Call.Args[1]) {
				return callOf(c.Call.Args[0])
			}
			return nil
		case *ssa.Extract:
			if ta, ok := c.Tuple.(*ssa.TypeAssert); ok && c.Index == 1 && y.set.ErrType(ta.AssertedType) != "" {
				return callOf(ta.X)
			}
			return nil
		}
		return nil
	}
	return nil
}
