#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sim-check.sh ROGUE-SIM: every scenario of the rogue backend against the simulated
# frontend of sim.c (no Xen). Each run must end by itself well within its --timeout,
# exit 0 and print its summary line; where the simulated frontend must have seen
# something (a timeout, a revival, a refused PIRQ...) its "SIM:" line is checked too.
# The scenario's own checks are printed but only "sane" must pass all of them: the
# simulated frontend is not the real one. KTAP output, then "N passed, N failed".
ROGUE=${1:?usage: sim-check.sh ROGUE-SIM}
OPMS=300
export ROGUE_SIM_OP_MS=$OPMS
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0 n=0

# what the simulated frontend must report after the scenario (ERE on its SIM: line)
sim_expect() {
	case $1 in
	sane | sane-hotplug | event-storm) echo 'timeouts=0 ' ;;
	never-answer | never-clear | notify-no-clear) echo 'timeouts=1 ' ;;
	die-mid-op) echo 'SIM: frontend|^$' ;; # the simulated frontend dies with the process
	late) echo 'timeouts=1 .*revived=1 ' ;;
	slow-loris) echo 'timeouts=0 ' ;;
	msi-zero-pirq | msi-huge-pirq) echo 'bad_msi=[1-9]' ;;
	msix-dup-pirq | msix-zero-pirq | msix-unechoed | msix-bad-value) echo 'bad_msix=[1-9]' ;;
	ealready) echo 'ealready_retries=[1-9]' ;;
	garbage-4k) echo 'bad_values=[1-9]' ;;
	state-flip) echo 'restarts=[1-9]' ;;
	aer-*) echo 'aer=[1-9]' ;;
	roots-64) echo 'devices=64 ' ;;
	devs-256) echo 'devices=256 ' ;;
	*) echo 'SIM: frontend' ;;
	esac
}

result() { # OK NAME
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		pass=$((pass + 1))
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
	fi
}

echo "KTAP version 1"
names=$("$ROGUE" --list | awk '{ print $1 }')
echo "1..$(($(echo "$names" | wc -l) * 3 + 8))"
for s in $names; do
	t0=$(date +%s)
	# slow-loris answers 1% before the timeout: give that 1% a few milliseconds
	ms=$OPMS dur=2
	[ "$s" = slow-loris ] && ms=1500 dur=5
	ROGUE_SIM_OP_MS=$ms timeout 60 "$ROGUE" "$s" --domid 7 --op-timeout-ms $ms --duration $dur \
		--timeout 40 >"$TMP/out" 2>"$TMP/err"
	rc=$? t=$(($(date +%s) - t0))
	sed 's/^/# /' "$TMP/out" | grep -E 'check|summary|note' | head -20
	sed 's/^/# /' "$TMP/err"
	ok=0
	[ $rc = 0 ] && [ $t -lt 40 ] && ok=1
	result $ok "$s: ends by itself, exit 0 (rc $rc, $t s)"
	ok=0
	grep -q '^ROGUE: summary scenario='"$s"' result=\(pass\|fail\)' "$TMP/out" && ok=1
	[ "$s" = sane ] && ! grep -q 'result=pass' "$TMP/out" && ok=0
	[ "$s" = die-mid-op ] && grep -q 'result=died' "$TMP/out" && ok=1
	result $ok "$s: summary line"
	ok=0
	grep -qE "$(sim_expect "$s")" "$TMP/err" && ok=1
	[ "$s" = die-mid-op ] && ok=1
	result $ok "$s: the simulated frontend saw $(sim_expect "$s")"
done
# chains: a misbehaving backend, then a sane one on the same node (the lab's order)
for c in never-answer,sane never-answer,sane-adopt late,sane-adopt state-flip,sane \
	aer-close-race,sane garbage-4k,sane notify-no-clear,sane devs-256,sane; do
	timeout 90 "$ROGUE" "$c" --domid 7 --op-timeout-ms $OPMS --duration 2 --timeout 40 \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	grep -E 'summary' "$TMP/out" | cut -c1-120 | sed 's/^/# /'
	sed 's/^/# /' "$TMP/err"
	ok=0
	[ $rc = 0 ] && [ "$(grep -c '^ROGUE: summary' "$TMP/out")" = 2 ] &&
		tail -1 "$TMP/out" | grep -q 'result=pass' && ok=1
	result $ok "$c: the sane backend after it passes (rc $rc)"
done
echo "# $pass passed, $fail failed"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
