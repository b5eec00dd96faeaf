# SPDX-License-Identifier: GPL-2.0
#
# ktap.sh - KTAP output for the lab's shell steps and for the kselftest programs,
# sourced by domU-init (busybox sh). Every result is one top-level line, "ok N - name"
# or "not ok N - name", so the host can count them; a program's own subtests are
# lifted to top level as "program: subtest".

KTAP_N=0
KTAP_FAILED=0

ktap_ok() {
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N - $*"
}

ktap_not_ok() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_FAILED=$((KTAP_FAILED + 1))
	echo "not ok $KTAP_N - $*"
}

ktap_skip() {
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N - $* # SKIP"
}

# ktap_check NAME CMD...: one result from a command's exit status
ktap_check() {
	name=$1
	shift
	if "$@"; then ktap_ok "$name"; else ktap_not_ok "$name"; fi
}

# ktap_run_selftest PROGRAM [ARGS...]: run a kselftest program (exit 0 pass, 1 fail,
# 4 skip) and lift its KTAP results to top level
ktap_run_selftest() {
	prog=$1
	base=${prog##*/}
	shift
	out=/tmp/ktap.$base.out
	"$prog" "$@" >"$out" 2>&1
	rc=$?
	seen=0
	while IFS= read -r l; do
		case $l in
		"ok "*)
			seen=1
			ktap_ok "$base: $(echo "$l" | sed -E 's/^ok [0-9]+ (- )?//')"
			;;
		"not ok "*)
			seen=1
			ktap_not_ok "$base: $(echo "$l" | sed -E 's/^not ok [0-9]+ (- )?//')"
			;;
		*) echo "# $base: $l" ;;
		esac
	done <"$out"
	case $rc in
	0) [ $seen = 1 ] || ktap_ok "$base" ;;
	4) [ $seen = 1 ] || ktap_skip "$base" ;;
	*) ktap_not_ok "$base: exit status $rc" ;;
	esac
	rm -f "$out"
}
