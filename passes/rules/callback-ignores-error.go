package rules

// CallbackIgnoresError: a completion callback writes state that outlives
// it without reading its error. Callbacks run on failure too.
var CallbackIgnoresError = &Rule{
	Name: "callback-ignores-error", Default: true,
	Summary: "a completion callback publishes state without reading its error, but callbacks run on failure too",
	Title:   "a completion callback publishes state without reading its error",
	Class:   "[C12](../../docs/bugs.md#c12-error-paths-and-completion-callbacks)",
	Related: "the callback",
	Message: func(f *Finding, c Context) string {
		return "completion callback " + f.Effect.What() + " but never tests its error: callbacks run on failure too, so this publishes a success that did not happen; check the error first"
	},
}
