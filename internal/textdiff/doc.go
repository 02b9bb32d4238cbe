// Package textdiff renders the difference between two texts as a unified
// diff, the format `-diff` prints and `patch`/`git apply` read.
//
// The diff is line based: a longest common subsequence over the lines that
// differ once the common head and tail are trimmed. That keeps it exact and
// cheap for what it is used for (suggested fixes, which touch a few lines),
// and it degrades to a plain replace of the middle when the changed region
// is too large for the quadratic table.
package textdiff
