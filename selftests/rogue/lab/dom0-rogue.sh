# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab's dom0 side of the rogue backend (sourced by dom0-init, which has ktap.sh):
#
#   rogue_session NAME DOMID SCENARIOS END OPMS [DURATION [RECOVER]]
#
# plays the backend of domU NAME's "pci" device (the domU was created without pci=)
# with each scenario of SCENARIOS ('+' joined) in turn, each followed by the sane
# backend on the same node, then a last sane backend with the "done" device IDs and
# --cleanup, which tells the domU's rogue-wait step that it is over. END is the wall
# clock (date +%s) by which everything must have finished; OPMS is the frontend's
# op_timeout_ms; DURATION how long each scenario misbehaves once connected (plan key
# rogue_duration=, default ROGUE_DURATION); RECOVER how long the sane backend after it
# serves (plan key rogue_recover=, default DURATION). A scenario starts only while the run has
# time for twice the longest scenario seen so far (a first guess before the first) and
# the done device; one that is not started is a "not ok". Per scenario it prints KTAP
# results:
#   <name>: rogue <scenario>: backend ran, its checks passed    (the summary line)
#   <name>: rogue <scenario>: guest logged /<regex>/            (rogue --log, if any)
#   <name>: rogue <scenario>: sane backend recovers the device
#                                (sane-adopt after the scenarios that leave the channel
#                                dead, and then: the dead channel revived)
#   <name>: rogue <scenario>: no kernel trouble in the guest    (console from the
#                                scenario's start to the end of its recovery)
# xen-pciback stays loaded for the other runs of the plan; while the rogue plays, new
# backend nodes are not probed by it (drivers_autoprobe of the xen-backend bus is 0).

ROGUE_BIN=${ROGUE_BIN:-/lab/rogue}
ROGUE_DURATION=${ROGUE_DURATION:-20}
# the done device: the domU's rogue-wait step ends when it has come and gone
ROGUE_DONE_IDS=524f:d0e0
ROGUE_TROUBLE='Oops|BUG:|WARNING:|Call Trace|soft lockup|hard LOCKUP|rcu_sched self-detected|rcu: INFO|blocked for more than|general protection'

# _rogue_run TAG ARGS...: one rogue run, its lines as comments; the summary's result
# (pass, fail, died, error) or rc=N in ROGUE_RES
_rogue_run() {
	local tag=$1 rc
	shift
	"$ROGUE_BIN" "$@" >/tmp/rogue.out 2>&1
	rc=$?
	sed "s/^/# $tag: /" /tmp/rogue.out
	ROGUE_RES=$(sed -n 's/^ROGUE: summary .* result=\([a-z]*\) .*/\1/p' /tmp/rogue.out | tail -1)
	[ $rc = 0 ] || ROGUE_RES="rc=$rc${ROGUE_RES:+ $ROGUE_RES}"
}

rogue_session() {
	local name=$1 domid=$2 list=$3 end=$4 opms=$5 dur=${6:-$ROGUE_DURATION} rdur=${7:-}
	local con s re i mark mark0 left tmo t ap rec t0 took need
	con=/var/log/xen/console/guest-$name.log
	if [ ! -x "$ROGUE_BIN" ]; then
		ktap_not_ok "$name: rogue: $ROGUE_BIN is in dom0 (see selftests/rogue/README.md)"
		return
	fi
	rdur=${rdur:-$dur}
	ap=/sys/bus/xen-backend/drivers_autoprobe
	[ -w $ap ] && echo 0 >$ap
	# each rogue run's own limit (it fails the run when reached)
	tmo=$((dur * 3 + opms * 3 / 1000 + 60))
	# a scenario with its recovery: the longest seen so far, a guess before the first
	need=$((dur + rdur + opms * 2 / 1000 + 30))
	for s in ${list//+/ }; do
		left=$((end - $(date +%s)))
		if [ $left -lt $((2 * need + dur + 60)) ]; then
			ktap_not_ok "$name: rogue $s: not run, $left s left in the run (a scenario takes up to $need s)"
			continue
		fi
		t0=$(date +%s)
		# many devices take minutes to enumerate under emulation
		t=$tmo
		case $s in roots-64) t=$((tmo + 300)) ;; devs-256) t=$((tmo + 640)) ;; esac
		mark=$(wc -l <"$con" 2>/dev/null || echo 0)
		mark0=$mark
		_rogue_run "rogue $s" "$s" --domid "$domid" --timeout $t \
			--duration "$dur" --op-timeout-ms "$opms"
		case $ROGUE_RES in
		pass | died) ktap_ok "$name: rogue $s: backend ran, its checks passed ($ROGUE_RES)" ;;
		*) ktap_not_ok "$name: rogue $s: backend ran, its checks passed ($ROGUE_RES)" ;;
		esac
		re=$("$ROGUE_BIN" --log "$s")
		if [ -n "$re" ]; then
			# the guest's console needs a moment to reach its log, and a held answer
			# may only come when the rogue goes: look for up to 8 s
			i=0
			until tail -n +$((mark + 1)) "$con" | grep -qE "$re" || [ $i -ge 40 ]; do
				sleep 0.2
				i=$((i + 1))
			done
			if tail -n +$((mark + 1)) "$con" | grep -qE "$re"; then
				ktap_ok "$name: rogue $s: guest logged /$re/"
			else
				ktap_not_ok "$name: rogue $s: guest logged /$re/"
			fi
		fi
		# a channel left dead with an op in flight is taken over and revived; any
		# other state is recovered through a close and a new handshake
		rec=sane
		case $s in never-answer | never-clear | notify-no-clear | die-mid-op) rec=sane-adopt ;; esac
		mark=$(wc -l <"$con" 2>/dev/null || echo 0)
		# (after many devices the frontend's teardown of them takes as long as their
		# enumeration: the recovery gets the scenario's limit)
		_rogue_run "$rec after $s" $rec --domid "$domid" --timeout $t \
			--duration "$rdur" --op-timeout-ms "$opms"
		if [ "$ROGUE_RES" = pass ]; then
			ktap_ok "$name: rogue $s: $rec backend recovers the device"
		else
			ktap_not_ok "$name: rogue $s: $rec backend recovers the device ($ROGUE_RES)"
		fi
		if [ $rec = sane-adopt ]; then
			sleep 2
			if tail -n +$((mark + 1)) "$con" | grep -q 'backend answered again'; then
				ktap_ok "$name: rogue $s: the dead channel revived"
			else
				ktap_not_ok "$name: rogue $s: the dead channel revived"
			fi
		fi
		# trouble while the scenario played or while the device recovered
		if tail -n +$((mark0 + 1)) "$con" | grep -E "$ROGUE_TROUBLE" >/tmp/rogue.trouble; then
			ktap_not_ok "$name: rogue $s: no kernel trouble in the guest"
			head -20 /tmp/rogue.trouble | sed 's/^/# trouble: /'
		else
			ktap_ok "$name: rogue $s: no kernel trouble in the guest"
		fi
		took=$(($(date +%s) - t0))
		echo "# $name: rogue $s: $took s with its recovery"
		# the many-device scenarios (a limit of their own) say nothing of the others
		[ "$t" != "$tmo" ] || [ $took -le $need ] || need=$took
	done
	_rogue_run "rogue done" sane --domid "$domid" --timeout $tmo --duration 5 \
		--op-timeout-ms "$opms" --ids $ROGUE_DONE_IDS --cleanup
	if [ "$ROGUE_RES" = pass ]; then
		ktap_ok "$name: rogue: the done device came and went"
	else
		ktap_not_ok "$name: rogue: the done device came and went ($ROGUE_RES)"
	fi
	[ -w $ap ] && echo 1 >$ap
}
