#!/usr/bin/env bash
# bench/xtools.sh: what reentrycheck costs on a large real module, as a ratio
# to an analyzer that only builds SSA (bench/cmd/ssaonly), measured in the
# same run.
#
#   bash bench/xtools.sh [ROUNDS]        (default 5; also ROUNDS=N in the env)
#
# It copies golang.org/x/tools@v0.52.0 (already a dependency, so it is in the
# module cache) to a temporary directory, builds both checkers, and runs
# `ssaonly ./...` and `reentrycheck ./...` there in alternating rounds, so
# that both sides see the same machine load. Each run's wall time and maximum
# RSS come from /usr/bin/time. It prints every run, the medians, and the
# ratios reentrycheck/ssaonly. It reports; it asserts nothing (exit 0), since
# wall-clock thresholds on a shared machine would only be flaky.
# Target (docs/benchmarks.md): at most 1.10x in time and in memory.
set -euo pipefail

rounds="${1:-${ROUNDS:-5}}"
module=golang.org/x/tools
version=v0.52.0
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timer=/usr/bin/time
if [[ ! -x $timer ]]; then
	echo "xtools.sh: $timer (GNU time) is needed for wall time and max RSS" >&2
	exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/reentrycheck-xtools.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

# --- the module under analysis and the two binaries --------------------------
src="$(cd "$repo" && go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [[ -z $src || ! -d $src ]]; then
	echo "xtools.sh: $module@$version is not in the module cache (go mod download failed)" >&2
	exit 1
fi
cp -R "$src" "$work/xtools"
chmod -R u+w "$work/xtools"
(cd "$work/xtools" && go mod download)
(cd "$repo" && go build -o "$work/ssaonly" ./bench/cmd/ssaonly && go build -o "$work/reentrycheck" ./cmd/reentrycheck)

cd "$work/xtools"
npkgs="$(go list ./... | wc -l)"
nlines="$(find . -name '*.go' -not -path '*/testdata/*' -print0 | xargs -0 cat | wc -l)"
ntest="$(find . -name '*_test.go' -not -path '*/testdata/*' -print0 | xargs -0 cat | wc -l)"
# Warm the build cache (export data, cgo) so that no round pays for it.
go list -export -deps -test ./... >/dev/null

echo "module:  $module@$version, $npkgs packages, $nlines lines of Go ($((nlines - ntest)) outside tests; testdata excluded)"
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3-), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds:  $rounds, alternating ssaonly / reentrycheck, both with tests (the default)"
echo

# run NAME: one timed run; appends "seconds kilobytes" to $work/NAME.runs.
# ssaonly exits 0 (it reports nothing); reentrycheck exits 0 or 3 (findings).
run() {
	local name=$1 rc=0
	"$timer" -f '%e %M' -o "$work/$name.time" "$work/$name" ./... >"$work/$name.out" 2>&1 || rc=$?
	if [[ $rc -ne 0 && $rc -ne 3 ]]; then
		echo "xtools.sh: $name ./... exited $rc:" >&2
		tail -20 "$work/$name.out" >&2
		exit 1
	fi
	tail -1 "$work/$name.time" >>"$work/$name.runs"
	read -r secs kb <"$work/$name.time"
	printf '  %-12s %7.2f s  %8.0f MB   (load %s)\n' "$name" "$secs" "$((kb / 1024))" "$(cut -d' ' -f1 /proc/loadavg)"
}

for ((i = 1; i <= rounds; i++)); do
	echo "round $i"
	run ssaonly
	run reentrycheck
done

# median COLUMN FILE
median() {
	sort -g -k"$1,$1" "$2" | awk -v c="$1" '{v[NR] = $c} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
t0="$(median 1 "$work/ssaonly.runs")" m0="$(median 2 "$work/ssaonly.runs")"
t1="$(median 1 "$work/reentrycheck.runs")" m1="$(median 2 "$work/reentrycheck.runs")"

# Per-round ratios show how much the load moved between the two halves.
rt="$(paste -d' ' "$work/ssaonly.runs" "$work/reentrycheck.runs" | awk '{printf "%.2f ", $3 / $1}')"
rm_="$(paste -d' ' "$work/ssaonly.runs" "$work/reentrycheck.runs" | awk '{printf "%.2f ", $4 / $2}')"

echo
echo "findings: $(grep -c '^[^[:space:]].*:[0-9]*:[0-9]*: ' "$work/reentrycheck.out" || true) (last reentrycheck run)"
printf 'median   ssaonly      %7.2f s  %6.0f MB\n' "$t0" "$(awk -v k="$m0" 'BEGIN {print k / 1024}')"
printf 'median   reentrycheck %7.2f s  %6.0f MB\n' "$t1" "$(awk -v k="$m1" 'BEGIN {print k / 1024}')"
awk -v a="$t1" -v b="$t0" -v c="$m1" -v d="$m0" 'BEGIN {printf "ratio    reentrycheck/ssaonly: time %.3fx, max RSS %.3fx (of medians; target <= 1.10x)\n", a / b, c / d}'
echo "per round: time ${rt% }; max RSS ${rm_% }"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
