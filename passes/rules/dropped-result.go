package rules

// DroppedResult: the result of a resumable call is discarded (Discarded),
// or looked at but its IO never reaches a return, a store or a call: when
// the call is not finished, the function carries on as if it were.
var DroppedResult = &Rule{
	Name: "dropped-result", Default: true,
	Summary: "the result of a resumable call is discarded, so its IO is never waited on",
	Title:   "an ioresult discarded",
	Class:   "[C9](../../docs/bugs.md#c9-io-result-ignored)",
	Message: func(f *Finding, c Context) string {
		if f.Discarded {
			return "the result of " + f.CallName + " is discarded: its IO is never waited on, so the operation is silently left unfinished; propagate it (return it when it is IO) or drive it to Done"
		}
		if f.Swallowed {
			return "the yield of " + f.CallName + " is swallowed: its error or status is tested, but when it asks to be called again the function carries on, or reports success, as if it had finished; return it when it is the yield (if err != nil { return ..., err })"
		}
		return "the IO of " + f.CallName + " is never propagated: its result is tested or read, but when the call is not finished the function carries on as if it were; return it when it is IO (if err != nil || r.IsIO() { return ... })"
	},
}
