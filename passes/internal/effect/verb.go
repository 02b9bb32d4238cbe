package effect

// Verb says what an effect does, for messages. Effects carry it as data
// (with Target, Name and Inner) and What spells it: no code reads meaning
// back out of the text.
type Verb uint8

const (
	VerbNone             Verb = iota
	VerbUpdates               // updates T from its old value
	VerbAppends               // appends to T
	VerbIncrements            // increments T
	VerbDecrements            // decrements T
	VerbOverwrites            // overwrites T
	VerbStoresElem            // stores into an element of T
	VerbInserts               // inserts into T
	VerbDeletes               // deletes from T
	VerbCopies                // copies into T
	VerbSends                 // sends on T
	VerbCloses                // closes T
	VerbClears                // clears T
	VerbResets                // resets T
	VerbRestores              // restores T
	VerbRestoresOnReturn      // restores T when returning (a deferred write-back)
	VerbCalls                 // calls N (a re-pollable call)
	VerbSubmits               // submits I/O (N returns a completion)
	VerbSubmitsIn             // submits I/O (in N)
	VerbCallsMutating         // calls N, which mutates T (N Inner)
	VerbCallsGlobals          // calls N, which mutates package state
	VerbCallsClosure          // calls a closure that mutates T
	VerbLocks                 // locks T
	VerbSets                  // sets T (a helper's recorded write)
	VerbCopyOf                // N is a copy of T
)

// IsSubmit reports whether the verb is a submission of I/O.
func (v Verb) IsSubmit() bool { return v == VerbSubmits || v == VerbSubmitsIn }

// IsDirect reports whether the verb is a write made by the instruction
// itself, not through a callee: only those describe a callee in its
// caller's message, so descriptions never nest.
func (v Verb) IsDirect() bool {
	switch v {
	case VerbNone, VerbCalls, VerbSubmits, VerbSubmitsIn, VerbCallsMutating, VerbCallsGlobals, VerbCallsClosure, VerbSets, VerbCopyOf:
		return false
	}
	return true
}

// What spells the effect as a verb phrase: "appends to s.items".
func (e Effect) What() string {
	t, n := e.Target, e.Name
	switch e.Verb {
	case VerbUpdates:
		return "updates " + t + " from its old value"
	case VerbAppends:
		return "appends to " + t
	case VerbIncrements:
		return "increments " + t
	case VerbDecrements:
		return "decrements " + t
	case VerbOverwrites:
		return "overwrites " + t
	case VerbStoresElem:
		return "stores into an element of " + t
	case VerbInserts:
		return "inserts into " + t
	case VerbDeletes:
		return "deletes from " + t
	case VerbCopies:
		return "copies into " + t
	case VerbSends:
		return "sends on " + t
	case VerbCloses:
		return "closes " + t
	case VerbClears:
		return "clears " + t
	case VerbResets:
		return "resets " + t
	case VerbRestores:
		return "restores " + t
	case VerbRestoresOnReturn:
		return "restores " + t + " when returning"
	case VerbCalls:
		return "calls " + n
	case VerbSubmits:
		return "submits I/O (" + n + " returns a completion)"
	case VerbSubmitsIn:
		return "submits I/O (in " + n + ")"
	case VerbCallsMutating:
		if e.Inner != "" {
			return "calls " + n + ", which mutates " + t + " (" + e.Inner + ")"
		}
		return "calls " + n + ", which mutates " + t
	case VerbCallsGlobals:
		return "calls " + n + ", which mutates package state"
	case VerbCallsClosure:
		return "calls a closure that mutates " + t
	case VerbLocks:
		return "locks " + t
	case VerbSets:
		return "sets " + t
	case VerbCopyOf:
		return n + " is a copy of " + t
	}
	return n
}
