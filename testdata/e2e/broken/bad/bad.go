// Package bad does not type-check: the analyzer must say so and exit 1.
package bad

func Broken() int {
	return undefinedName + 1
}
