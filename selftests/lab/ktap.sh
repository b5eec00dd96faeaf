# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# ktap.sh - the lab's one KTAP writer for shell, sourced by domU-init (busybox sh), by
# dom0-init (bash, with KTAP_PREFIX="[d0] ") and by the harness self-test. Every result
# is one top-level line, "ok N - name" or "not ok N - name", so the host can count
# them; a program's own results are lifted to top level as "program: name".
#
#   ktap_ok NAME / ktap_not_ok NAME / ktap_skip NAME REASON   one result
#   ktap_check NAME CMD...       one result from a command's exit status
#   ktap_lift NAME FILE [RC]     lift the KTAP a program wrote to FILE (its exit status
#                                RC; none for output that is not a program's)
#   ktap_run_selftest PROG ARGS  run a kselftest program and lift its results
#   ktap_step NAME FN            run one step; a step that reports nothing is a failure
#   ktap_plan                    the closing plan line, "1..N"
#
# A skip is only for "this does not apply here"; a program that skips itself where it is
# run on purpose (exit status 4) is a failure.

KTAP_N=0
KTAP_FAILED=0
KTAP_PREFIX=${KTAP_PREFIX:-}
# KTAP_COUNTER=FILE: the count lives in FILE, so results printed by subshells (dom0's
# console relay) are counted too
KTAP_COUNTER=${KTAP_COUNTER:-}

_ktap_next() {
	if [ -n "$KTAP_COUNTER" ]; then
		KTAP_N=$(($(cat "$KTAP_COUNTER" 2>/dev/null || echo 0) + 1))
		echo "$KTAP_N" >"$KTAP_COUNTER"
	else
		KTAP_N=$((KTAP_N + 1))
	fi
}

ktap_ok() {
	_ktap_next
	echo "${KTAP_PREFIX}ok $KTAP_N - $*"
}

ktap_not_ok() {
	_ktap_next
	KTAP_FAILED=$((KTAP_FAILED + 1))
	echo "${KTAP_PREFIX}not ok $KTAP_N - $*"
}

ktap_skip() { # NAME REASON
	_ktap_next
	echo "${KTAP_PREFIX}ok $KTAP_N - $1 # SKIP $2"
}

ktap_check() {
	_kc_name=$1
	shift
	if "$@"; then ktap_ok "$_kc_name"; else ktap_not_ok "$_kc_name"; fi
}

ktap_plan() {
	[ -z "$KTAP_COUNTER" ] || KTAP_N=$(cat "$KTAP_COUNTER" 2>/dev/null || echo 0)
	echo "${KTAP_PREFIX}1..$KTAP_N"
}

# ktap_lift NAME FILE [RC]: every result in FILE becomes a top-level result "NAME: ...";
# LAB-METRIC lines pass through, the rest become comments. A program that printed no
# result, fewer than its own plan line declared, or exited with a status its results
# do not explain, gets a failure of its own.
ktap_lift() {
	_kl_name=$1 _kl_file=$2 _kl_rc=${3:--}
	_kl_seen=0 _kl_bad=0 _kl_plan=
	while IFS= read -r _kl_l || [ -n "$_kl_l" ]; do
		case $_kl_l in
		"ok "[0-9]*)
			_kl_seen=$((_kl_seen + 1))
			ktap_ok "$_kl_name: $(echo "$_kl_l" | sed -E 's/^ok [0-9]+ (- )?//')"
			;;
		"not ok "[0-9]*)
			_kl_seen=$((_kl_seen + 1))
			_kl_bad=$((_kl_bad + 1))
			ktap_not_ok "$_kl_name: $(echo "$_kl_l" | sed -E 's/^not ok [0-9]+ (- )?//')"
			;;
		1..[0-9]*) _kl_plan=${_kl_l#1..} _kl_plan=${_kl_plan%% *}; echo "# $_kl_name: $_kl_l" ;;
		LAB-METRIC*) echo "$_kl_l" ;;
		*) echo "# $_kl_name: $_kl_l" ;;
		esac
	done <"$_kl_file"
	if [ "$_kl_seen" = 0 ]; then
		ktap_not_ok "$_kl_name: printed no result$([ "$_kl_rc" = - ] || echo " (exit status $_kl_rc)")"
	elif [ -n "$_kl_plan" ] && [ "$_kl_plan" != "$_kl_seen" ]; then
		ktap_not_ok "$_kl_name: declared 1..$_kl_plan, printed $_kl_seen results (exit status $_kl_rc)"
	elif [ "$_kl_rc" = - ]; then
		: # no exit status (a debugfs file): the results say it all
	elif [ "$_kl_rc" = 4 ]; then
		ktap_not_ok "$_kl_name: skipped itself (exit status 4) where it was run on purpose"
	elif [ "$_kl_rc" != 0 ] && [ "$_kl_bad" = 0 ]; then
		ktap_not_ok "$_kl_name: exit status $_kl_rc with every result ok"
	elif [ "$_kl_rc" = 0 ] && [ "$_kl_bad" != 0 ]; then
		ktap_not_ok "$_kl_name: exit status 0 despite $_kl_bad failed results"
	fi
}

# ktap_run_selftest PROGRAM [ARGS...]: run a kselftest program (exit 0 pass, 1 fail) and
# lift its results to top level
ktap_run_selftest() {
	_kr_prog=$1
	shift
	_kr_out=/tmp/ktap.${_kr_prog##*/}.out
	"$_kr_prog" "$@" >"$_kr_out" 2>&1
	ktap_lift "${_kr_prog##*/}" "$_kr_out" $?
	rm -f "$_kr_out"
}

# ktap_step NAME FN: run step FN in this shell; it must report at least one result
ktap_step() {
	_ks_before=$KTAP_N
	"$2"
	[ "$KTAP_N" -gt "$_ks_before" ] || ktap_not_ok "step $1: reported no result"
}
