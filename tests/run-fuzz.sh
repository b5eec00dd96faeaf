#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-fuzz.sh MODE N CORPORA LOGS < LIST: run libFuzzer targets one after the
# other (never two at once) and print one KTAP line each with the number of
# executions.
#   MODE N    "time N": each target for N seconds (make fuzz);
#             "runs N": each target until it has made N executions in this
#             invocation, in as many sessions as it takes (make fuzz-long);
#             FUZZ_LONG_SECONDS, if set, bounds each target's time there and
#             a target stopped by it short of N is "not ok"
#   CORPORA   kept across runs: CORPORA/<target>/ is the corpus (the seeds
#             are read too and what they add is kept), CORPORA/crashes/<target>/
#             the failing inputs, CORPORA/<target>.execs one line per session
#             (date, mode, executions, seconds)
#   LOGS      the fuzzers' output, LOGS/<target>.log
#   LIST      lines "NAME BINARY SEEDDIR MAXLEN"
# FUZZ_ONLY, if set, is a space-separated list of the target names to run.
# A target that is not built, crashes, hangs, leaks or reports no execution
# count is "not ok". Exits non-zero if any target is.
set -uo pipefail

if [ $# != 4 ] || { [ "$1" != time ] && [ "$1" != runs ]; } || ! [[ $2 =~ ^[0-9]+$ ]]; then
	echo "usage: $0 time|runs N CORPORA LOGS < LIST" >&2
	exit 2
fi
mode=$1
want=$2
corpora=$3
logs=$4
mkdir -p "$corpora/crashes" "$logs" || exit 1

mapfile -t all
list=()
for entry in "${all[@]}"; do
	name=${entry%% *}
	[ -z "${FUZZ_ONLY:-}" ] || [[ " $FUZZ_ONLY " == *" $name "* ]] || continue
	list+=("$entry")
done
echo "KTAP version 1"
echo "1..${#list[@]}"
[ ${#list[@]} -gt 0 ] || { echo "# no fuzz targets listed"; exit 1; }

# executions a session reports: the final stats, else the last status line
execs_of() { # execs_of LOG
	local n
	n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)$/\1/p' "$1" | tail -n 1)
	[ -n "$n" ] || n=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$1" | tail -n 1)
	echo "$n"
}

fail=0
i=0
for entry in "${list[@]}"; do
	i=$((i + 1))
	read -r name bin seeds maxlen <<<"$entry"
	if [ -z "${maxlen:-}" ]; then
		echo "not ok $i - malformed fuzz list line: $entry"
		fail=1
		continue
	fi
	if [ ! -x "$bin" ]; then
		echo "not ok $i - $name: not built (needs clang with libFuzzer)"
		fail=1
		continue
	fi
	corpus=$corpora/$name
	crashes=$corpora/crashes/$name
	log=$logs/$name.log
	mkdir -p "$corpus" "$crashes"
	dirs=("$corpus")
	[ -d "$seeds" ] && dirs+=("$seeds")

	total=0
	start=$(date +%s)
	sessions=0
	status=ok
	why=
	: >"$log"
	while :; do
		left=$((want - total))
		args=(-print_final_stats=1 -max_len="$maxlen" -timeout=10
		      -artifact_prefix="$crashes/")
		if [ "$mode" = time ]; then
			args+=(-max_total_time="$want")
		else
			args+=(-runs="$left")
			if [ -n "${FUZZ_LONG_SECONDS:-}" ]; then
				spent=$(($(date +%s) - start))
				[ "$spent" -lt "$FUZZ_LONG_SECONDS" ] || break
				args+=(-max_total_time=$((FUZZ_LONG_SECONDS - spent)))
			fi
		fi
		t0=$(date +%s)
		"$bin" "${args[@]}" "${dirs[@]}" >"$log.session" 2>&1
		rc=$?
		t1=$(date +%s)
		cat "$log.session" >>"$log"
		n=$(execs_of "$log.session")
		sessions=$((sessions + 1))
		echo "$(date -u +%FT%TZ) $mode ${n:-?} $((t1 - t0))" >>"$corpora/$name.execs"
		if [ "$rc" != 0 ]; then
			status="not ok"
			art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log.session" | tail -n 1)
			why=$(grep -m1 -E 'ERROR: |runtime error: |deadly signal|timeout' "$log.session")
			why="exit status $rc${why:+: $why}${art:+, input saved as $art}"
			total=$((total + ${n:-0}))
			break
		fi
		if [ -z "$n" ] || [ "$n" = 0 ]; then
			status="not ok"
			why="no execution count in the output"
			break
		fi
		total=$((total + n))
		[ "$mode" = time ] && break
		[ "$total" -lt "$want" ] || break
	done
	rm -f "$log.session"
	secs=$(($(date +%s) - start))
	if [ "$status" = ok ] && [ "$mode" = runs ] && [ "$total" -lt "$want" ]; then
		status="not ok"
		why="stopped by FUZZ_LONG_SECONDS=$FUZZ_LONG_SECONDS short of $want"
	fi
	rate=$((total / (secs > 0 ? secs : 1)))
	files=$(find "$corpus" -type f | wc -l)
	cum=$(awk '$3 ~ /^[0-9]+$/ { s += $3 } END { printf "%d", s }' "$corpora/$name.execs")
	echo "$status $i - $name: $total executions in $secs s ($rate/s, $sessions session(s))," \
		"corpus $files files${why:+; $why}"
	echo "# $name: $cum executions over all recorded sessions; log $log"
	if [ "$status" != ok ]; then
		tail -n 20 "$log" | sed 's/^/# /'
		fail=1
	fi
done
exit $fail
