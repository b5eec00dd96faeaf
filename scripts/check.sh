#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - everything "make check" runs: the module build (W=1), sparse, checkpatch,
# the userspace unit tests and fuzz targets, and the lab scenarios against the real
# xen-pciback. Every result is a KTAP line; the last line is "N passed, N failed".
# Exits non-zero when anything failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export CACHE=${CACHE:-$top/.cache}
mkdir -p "$CACHE/check"
results=$CACHE/check/results.ktap
: >"$results"

emit() { # emit STAGE < KTAP lines: renumber and prefix them, keep a copy for the count
	local stage=$1 line n
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			n=$(($(wc -l <"$results") + 1))
			line=$(echo "$line" | sed -E "s/^(not ok|ok) [0-9]+ (- )?/\1 $n - $stage: /")
			echo "$line" | tee -a "$results"
			;;
		*) echo "# $line" ;;
		esac
	done
}

# one result from a command; its output is shown only when it failed
single() { # single STAGE NAME CMD...
	local stage=$1 name=$2 log=$CACHE/check/$1.log
	shift 2
	if "$@" >"$log" 2>&1; then
		echo "ok 1 - $name" | emit "$stage"
	else
		tail -40 "$log" | sed 's/^/# /'
		echo "not ok 1 - $name" | emit "$stage"
	fi
}

build_clean() { # the module builds, and without a single warning
	make -s clean >/dev/null 2>&1
	make modules 2>&1 | tee "$CACHE/check/build.out"
	[ "${PIPESTATUS[0]}" = 0 ] && [ -f xen-pcifront.ko ] &&
		! grep -qE 'warning:|error:' "$CACHE/check/build.out"
}

sparse_clean() {
	make -s clean >/dev/null 2>&1
	make sparse 2>&1 | tee "$CACHE/check/sparse.out"
	[ "${PIPESTATUS[0]}" = 0 ] && ! grep -qE ': (warning|error):' "$CACHE/check/sparse.out"
}

echo "KTAP version 1"
single sparse "sparse (make C=2) reports nothing" sparse_clean
single build "xen-pcifront.ko builds with W=1 and no warnings" build_clean
single style "checkpatch --strict is clean" make -s style

make -s unit 2>&1 | emit unit
make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}" 2>&1 | emit fuzz

"$top/selftests/lab/lab.sh" check 2>&1 | emit lab

n=$(wc -l <"$results")
echo "1..$n"
passed=$(grep -c '^ok .*' "$results" | tr -d ' ')
skipped=$(grep -c '^ok .*# SKIP' "$results" | tr -d ' ')
failed=$(grep -c '^not ok' "$results" | tr -d ' ')
passed=$((passed - skipped))
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary" | tee "$CACHE/check/summary"
[ "$failed" = 0 ] && [ "$n" -gt 0 ]
