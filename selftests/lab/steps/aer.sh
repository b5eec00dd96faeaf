# SPDX-License-Identifier: GPL-2.0
# AER step (sourced by domU-init): dom0 injects a non-fatal uncorrectable error (Completer
# Abort) into e1000e with aer_inject; dom0's AER core hands the recovery to xen-pciback,
# which forwards error_detected / slot_reset / resume to this guest's frontend, which
# calls e1000e's error handlers. The guest must stay up with e1000e bound and its link up.

aer_dmesg_since() { # LINES: the kernel lines printed after the first LINES
	dmesg | tail -n +$(($1 + 1))
}

aer_net() { # BDF: the net device of e1000e, if bound
	ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -1
}

step_aer() {
	local b dev n lines a0 r0 a1 step got
	needs_dev e1000e aer || return
	b=$(bdf_of e1000e) || { ktap_not_ok "aer: e1000e present"; return; }
	modprobe e1000e
	wait_bound e1000e 30
	n=0
	while [ -z "$(aer_net "$b")" ] && [ $n -lt 100 ]; do
		usleep 100000
		n=$((n + 1))
	done
	dev=$(aer_net "$b")
	[ -n "$dev" ] || { ktap_not_ok "aer: e1000e bound with a net device before the error"; return; }
	ip link set "$dev" up
	if [ "$FE" = ours ]; then
		ktap_check "aer: our frontend told the backend it handles AER (debugfs aer_handler 1)" \
			[ "$(hp_counter aer_handler)" = 1 ]
	fi
	a0=$(hp_counter aer_answered)
	r0=$(hp_counter aer_refused)
	lines=$(dmesg | wc -l)
	cue aer e1000e
	if [ "$FE" = ours ]; then
		# error_detected, then (e1000e asks for a reset) slot_reset and resume
		# bounded by wall time: each round of this loop is slow under emulation
		n=$(($(ms) + 150000))
		while ! aer_dmesg_since "$lines" | grep -q 'AER resume from the backend answered' &&
			[ "$(ms)" -lt $n ]; do
			usleep 500000
		done
		a1=$(hp_counter aer_answered)
		aer_dmesg_since "$lines" | sed 's/^/# /'
		ktap_check "aer: frontend answered the backend's AER requests (aer_answered $a0 -> $a1)" \
			[ "$a1" -ge $((a0 + 3)) ]
		ktap_check "aer: no AER request refused (aer_refused $r0 -> $(hp_counter aer_refused))" \
			same "$(hp_counter aer_refused)" "$r0"
		# the callbacks, in the order the AER core asks for them
		got=$(aer_dmesg_since "$lines" | sed -n "s/.*$b: AER \([a-z_]*\) from the backend answered.*/\1/p" |
			tr '\n' ' ')
		for step in error_detected slot_reset resume; do
			case " $got" in
			*" $step "*) ktap_ok "aer: e1000e's $step ran" ;;
			*) ktap_not_ok "aer: e1000e's $step ran (callbacks seen: ${got:-none})" ;;
			esac
		done
		ktap_check "aer: callbacks in order error_detected, slot_reset, resume (seen: $got)" \
			sh -c "echo ' $got' | grep -qE ' error_detected (mmio_enabled )?slot_reset resume '"
	else
		# the in-tree frontend logs nothing at its default level: give dom0 time
		sleep 30
		aer_dmesg_since "$lines" | sed 's/^/# /'
	fi
	ktap_check "aer: e1000e still bound to its driver" [ -e "/sys/bus/pci/devices/$b/driver" ]
	dev=$(aer_net "$b")
	[ -n "$dev" ] || { ktap_not_ok "aer: e1000e's net device still there"; return; }
	n=0
	while [ "$(cat "/sys/class/net/$dev/carrier" 2>/dev/null)" != 1 ] && [ $n -lt 150 ]; do
		usleep 100000
		n=$((n + 1))
	done
	ktap_check "aer: $dev link up after the recovery" \
		[ "$(cat "/sys/class/net/$dev/carrier" 2>/dev/null)" = 1 ]
	ktap_check "aer: the guest kernel reported no oops, bug or warning" \
		sh -c "! dmesg | grep -qE 'Oops: |BUG: |WARNING: CPU'"
}
