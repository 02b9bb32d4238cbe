// Package config holds reentrycheck's user configuration: the four
// declaration flags of the contract (-ioresult, -done, -completion,
// -idempotent), rule selection (-rules) and the opt-in report of blind
// overwrites (-blind).
//
// The flags are registered on the public analyzer's FlagSet, so every driver
// (standalone, go vet with the "reentrycheck." prefix, golangci-lint settings)
// sets the same values. The Analyzer in this package parses and validates them
// once per package and hands a *Config to every other pass that requires it.
package config
