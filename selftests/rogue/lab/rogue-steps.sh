# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The domU side of the rogue backend (selftests/rogue/README.md): the step
# rogue-wait, for a lab steps directory. While dom0 plays one misbehaving backend
# after the other on this domU's "pci" device, it keeps the guest busy with the
# device (config space reads every half second, MSI/MSI-X rounds from the
# rogue_msi driver when /lab/modules/rogue_msi.ko is there), and ends when dom0's
# last, "done" device (524f:d0e0) has come and gone. Lab key rogue_wait=S bounds
# the wait (3000 s).

rogue_devs() { # the config files of the rogue's modelled devices
	grep -l 0x524f /sys/bus/pci/devices/*/vendor 2>/dev/null | sed 's/vendor$/config/'
}

rogue_has_done() { # the done device (524f:d0e0) is present
	for v in /sys/bus/pci/devices/*/vendor; do
		[ "$(cat "$v" 2>/dev/null)" = 0x524f ] &&
			[ "$(cat "${v%vendor}device" 2>/dev/null)" = 0xd0e0 ] && return 0
	done
	return 1
}

step_rogue_wait() {
	local limit n reader msi=
	limit=$(lab_key rogue_wait 3000)
	if [ -f /lab/modules/rogue_msi.ko ] && insmod /lab/modules/rogue_msi.ko period_ms=1000; then
		msi=1
		ktap_ok "rogue: rogue_msi driver loaded"
	else
		note "rogue: no rogue_msi driver; the MSI scenarios will see no enable ops"
	fi
	(
		while :; do
			for c in $(rogue_devs); do
				dd if="$c" of=/dev/null bs=256 count=1 2>/dev/null
			done
			sleep 0.5
		done
	) &
	reader=$!
	n=0
	while ! rogue_has_done && [ $n -lt $((limit * 2)) ]; do
		sleep 0.5
		n=$((n + 1))
	done
	if rogue_has_done; then
		ktap_ok "rogue: dom0's scenarios ran to the end (done device after $((n / 2)) s)"
		n=0
		while rogue_has_done && [ $n -lt 120 ]; do
			sleep 0.5
			n=$((n + 1))
		done
		if rogue_has_done; then
			ktap_not_ok "rogue: the done device went away within 60 s"
		else
			ktap_ok "rogue: the done device went away"
		fi
	else
		ktap_not_ok "rogue: dom0's scenarios ran to the end (no done device within $limit s)"
	fi
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	if [ -n "$msi" ]; then
		ktap_check "rogue: rogue_msi driver unloaded" rmmod rogue_msi
		# the modelled BAR is memory this guest was never given: every MSI-X enable a
		# sane backend grants must be refused before the PCI core reads the table
		[ "$FE" = ours ] && ktap_check "rogue: MSI-X with its table in memory the guest may not map was refused" \
			sh -c "dmesg | grep -q 'MSI-X table not mapped'"
	fi
	lspci -nn 2>/dev/null | sed 's/^/# lspci: /'
}
