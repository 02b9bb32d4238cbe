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
# bin/.build/gopls-$GOPLS_VERSION; recreated on every run).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
version=${GOPLS_VERSION:-v0.23.0}
out=${1:-$repo/bin/gopls}
case $out in /*) ;; *) out=$PWD/$out ;; esac
build=${GOPLS_BUILD_DIR:-$repo/bin/.build/gopls-$version}
go=${GO:-go}

# 1. Locate gopls in the module cache (downloading it through the proxy if needed).
src=$(cd "$repo" && GOFLAGS=-mod=mod $go mod download -json "golang.org/x/tools/gopls@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ ! -f "$src/internal/settings/analysis.go" ]; then
	echo "build.sh: gopls $version not found in the module cache (got dir '$src')" >&2
	exit 1
fi

# 2. Copy it somewhere writable (module cache files are read-only).
rm -rf "$build"
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

# 4. Require this repository through a replace, and pin golang.org/x/tools to
#    the exact version this gopls requires: gopls uses x/tools internals, so
#    the newer x/tools our go.mod asks for would otherwise win and break it.
tools=$(awk '$1 == "golang.org/x/tools" { print $2; exit }' go.mod)
[ -n "$tools" ] || { echo "build.sh: no golang.org/x/tools requirement in gopls's go.mod" >&2; exit 1; }
$go mod edit \
	-require=github.com/reentrycheck/reentrycheck@v0.0.0-00010101000000-000000000000 \
	-replace=github.com/reentrycheck/reentrycheck="$repo" \
	-replace=golang.org/x/tools="golang.org/x/tools@$tools"

# 5. Build. -mod=mod lets go add the go.sum lines of the new requirement.
GOFLAGS=-mod=mod GOWORK=off $go build -trimpath -o "$out" .
echo "built $out (gopls $version, golang.org/x/tools $tools, reentrycheck from $repo)"
