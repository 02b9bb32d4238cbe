// Package corpus holds small, correct resumable operations written in the
// model, for the mutation test (bench/mutants) to break: shapes kvlog does
// not have (sub-operations run one after the other, counters kept after a
// propagate block, a cursor updated through a pointer, groups built once
// and waited on). Its reentry tests are the dynamic harness; they pass on
// the code as written, and the analyzer reports nothing on it.
package corpus
