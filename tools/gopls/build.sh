#!/usr/bin/env bash
# Builds a gopls with reentrycheck compiled into its analyzer list.
#
# gopls cannot load third-party analyzers at run time (golang/go#59869): its
# list is compiled in. So this script copies the gopls module out of the module
# cache, adds one entry (reentrycheck) to that list, points the module at this
# repository with a replace, and builds it. Nothing of gopls is committed here.
#
# Usage: tools/gopls/build.sh [output path]   (default: bin/gopls)
# Environment: GOPLS_VERSION (default v0.23.0), GOPLS_BUILD_DIR (default
# bin/.build/gopls-$GOPLS_VERSION; recreated on every run), REENTRYCHECK_FLAGS
# (analyzer flags compiled into the binary, e.g. "-ioresult=example.com/aio.Result";
# gopls has no way to pass flags to an analyzer at run time).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
version=${GOPLS_VERSION:-v0.23.0}
out=${1:-$repo/bin/gopls}
case $out in /*) ;; *) out=$PWD/$out ;; esac
build=${GOPLS_BUILD_DIR:-$repo/bin/.build/gopls-$version}
go=${GO:-go}

# 1. Locate gopls in the module cache (downloading it through the proxy if
#    needed), from outside any module so that no go.mod is touched.
json=$(cd / && GOFLAGS= GOWORK=off $go mod download -json "golang.org/x/tools/gopls@$version") || {
	echo "build.sh: go mod download golang.org/x/tools/gopls@$version failed: $json" >&2
	exit 1
}
src=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ ! -f "$src/internal/settings/analysis.go" ]; then
	echo "build.sh: gopls $version not found in the module cache (got dir '$src')" >&2
	exit 1
fi

# 2. Copy it somewhere writable (module cache files are read-only).
if [ -d "$build" ]; then chmod -R u+w "$build" && rm -rf "$build"; fi
mkdir -p "$(dirname "$build")"
cp -R "$src" "$build"
chmod -R u+w "$build"
cd "$build"

# 3. Add the analyzer to gopls's list. The list is the composite literal that
#    follows `for _, a := range []*Analyzer{` in initAnalyzers; our entry goes
#    first so that it is on by default, with warning severity like nilness.
f=internal/settings/analysis.go
anchor='for _, a := range \[\]\*Analyzer{'
if [ "$(grep -c "$anchor" "$f")" != 1 ]; then
	echo "build.sh: $f of gopls $version no longer has exactly one '$anchor'; update this script" >&2
	exit 1
fi
sed -i \
	-e "s|^import (|import (\n\treentrycheck \"github.com/reentrycheck/reentrycheck/analyzer\"|" \
	-e "s|^\(\t*\)$anchor\$|&\n\1\t{analyzer: reentrycheck.Analyzer}, // added by reentrycheck's tools/gopls/build.sh|" \
	"$f"
grep -q 'reentrycheck.Analyzer}' "$f" || { echo "build.sh: patching $f failed" >&2; exit 1; }

# 3b. Compile in the analyzer flags, if any. They are fixed at build time on
#     purpose: gopls keys its analysis cache on its executable, not on flags,
#     so flags read at run time could replay results computed with others.
#     The file goes into package main, so only main is recompiled for it.
if [ -n "${REENTRYCHECK_FLAGS:-}" ]; then
	case $REENTRYCHECK_FLAGS in *'`'*) echo "build.sh: REENTRYCHECK_FLAGS must not contain a backquote" >&2; exit 1 ;; esac
	cat > reentrycheck_flags.go <<GO
package main

// Written by reentrycheck's tools/gopls/build.sh from REENTRYCHECK_FLAGS.

import (
	"log"
	"strings"

	reentrycheck "github.com/reentrycheck/reentrycheck/analyzer"
	"github.com/reentrycheck/reentrycheck/passes/config"
)

func init() {
	const flags = \`$REENTRYCHECK_FLAGS\`
	if err := reentrycheck.Analyzer.Flags.Parse(strings.Fields(flags)); err != nil {
		log.Fatalf("reentrycheck flags compiled into gopls (%s): %v", flags, err)
	}
	if _, err := config.Parse(config.Global); err != nil {
		log.Fatalf("reentrycheck flags compiled into gopls (%s): %v", flags, err)
	}
}
GO
fi

# 4. Require this repository through a replace, and pin golang.org/x/tools to
#    the exact version this gopls requires: gopls uses x/tools internals, so
#    the newer x/tools our go.mod asks for would otherwise win and break it.
tools=$(awk '$1 == "golang.org/x/tools" { print $2; exit }' go.mod)
[ -n "$tools" ] || { echo "build.sh: no golang.org/x/tools requirement in gopls's go.mod" >&2; exit 1; }
$go mod edit \
	-require=github.com/reentrycheck/reentrycheck@v0.0.0-00010101000000-000000000000 \
	-replace=github.com/reentrycheck/reentrycheck="$repo" \
	-replace=golang.org/x/tools="golang.org/x/tools@$tools"

# 5. Build. -mod=mod lets go add the go.sum lines of the new requirement;
#    -buildvcs=false because the copy may sit inside an unrelated git checkout.
GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off $go build -trimpath -o "$out" .
# Running it once checks that the compiled-in flags parse.
"$out" version >/dev/null
echo "built $out (gopls $version, golang.org/x/tools $tools, reentrycheck from $repo)"
