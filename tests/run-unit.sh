#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-unit.sh AREA PROGRAM [AREA PROGRAM...]: run the unit programs of the areas
# as one KTAP document. The plan comes first: each program's own tests (it says
# how many with --plan) plus one line per area for how the program ended. The
# results are renumbered and prefixed with the area; whatever else a program
# prints (stderr too, so a sanitizer report) becomes a "#" line. A program that
# stops short gets a "not ok" line for every test it did not report, so there
# are always exactly as many result lines as the plan says. Exits non-zero
# when anything failed.
set -uo pipefail

if [ $# = 0 ] || [ $(($# % 2)) != 0 ]; then
	echo "usage: $0 AREA PROGRAM [AREA PROGRAM...]" >&2
	exit 2
fi

args=("$@")
plans=()
total=0
for ((i = 0; i < ${#args[@]}; i += 2)); do
	p=$("${args[i + 1]}" --plan 2>/dev/null)
	if ! [[ $p =~ ^[0-9]+$ ]] || [ "$p" = 0 ]; then
		p=0	# no usable plan: only the area's closing line, which fails
	fi
	plans+=("$p")
	total=$((total + p + 1))
done

rcfile=$(mktemp)
trap 'rm -f "$rcfile"' EXIT

echo "KTAP version 1"
echo "1..$total"
n=0
fail=0
for ((i = 0; i < ${#args[@]}; i += 2)); do
	area=${args[i]}
	prog=${args[i + 1]}
	plan=${plans[i / 2]}
	seen=0
	bad=0
	header=0
	while IFS= read -r line; do
		if [[ $line =~ ^(not ok|ok)\ ([0-9]+)(\ -\ (.*))?$ ]]; then
			seen=$((seen + 1))
			if [ "$seen" -gt "$plan" ]; then
				echo "# $area: result beyond the plan: $line"
				bad=1
				continue
			fi
			[ "${BASH_REMATCH[1]}" = ok ] || bad=1
			[ "${BASH_REMATCH[2]}" = "$seen" ] || {
				echo "# $area: result $seen is numbered ${BASH_REMATCH[2]}"
				bad=1
			}
			n=$((n + 1))
			echo "${BASH_REMATCH[1]} $n - $area: ${BASH_REMATCH[4]}"
		elif [ "$header" = 0 ] && [ "$line" = "KTAP version 1" ]; then
			header=1
		elif [ "$header" = 1 ] && [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
			header=2
			[ "${BASH_REMATCH[1]}" = "$plan" ] || {
				echo "# $area: plan 1..${BASH_REMATCH[1]}, --plan said $plan"
				bad=1
			}
		elif [[ $line == "#"* ]]; then
			echo "$line"
		else
			echo "# $line"
		fi
	done < <("$prog" 2>&1; echo $? >"$rcfile")
	rc=$(cat "$rcfile" 2>/dev/null)
	[ "$header" = 2 ] || {
		echo "# $area: no KTAP header and plan first"
		bad=1
	}
	reported=$((seen < plan ? seen : plan))
	while [ "$seen" -lt "$plan" ]; do
		seen=$((seen + 1))
		n=$((n + 1))
		echo "not ok $n - $area: test $seen of $plan never reported"
		bad=1
	done
	n=$((n + 1))
	if [ "$bad" = 0 ] && [ "${rc:-x}" = 0 ] && [ "$plan" -gt 0 ]; then
		echo "ok $n - $area: $plan of $plan tests ran, exit status 0"
	else
		echo "not ok $n - $area: $reported of $plan tests reported," \
			"exit status ${rc:-unknown}"
		fail=1
	fi
	[ "$bad" = 0 ] || fail=1
done
exit $fail
