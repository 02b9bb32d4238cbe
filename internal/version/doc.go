// Package version says what was built: the module version when installed
// with `go install ...@version`, else the VCS revision stamped by `go build`
// in a checkout, and the Go toolchain. The CLI's `version` command and the
// SARIF tool metadata print it.
package version
