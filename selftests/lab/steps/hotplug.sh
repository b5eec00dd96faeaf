# SPDX-License-Identifier: GPL-2.0
# Hotplug steps (sourced by domU-init): dom0's xl pci-detach / pci-attach on a running
# guest, slot power from sysfs, xl save/restore, and the soak with leak metrics.
# Plan keys: soak_cycles=N (hp-soak cycles, default 50), soak_dma_every=N (default 100),
# slab_kb=N (allowed growth of unreclaimable slab over the soak, default 1024).

HP_SOAK=$(lab_key soak_cycles 50)
HP_DMA_EVERY=$(lab_key soak_dma_every 100)
HP_SLAB_KB=$(lab_key slab_kb 1024)

# every nvme check writes 1 MiB at its own offset (the host checks each pattern at the end)
HP_OFF=$((NVME_BASE + 128))
hp_nvme_rt() { # TAG
	nvme_round_trip "$1" $HP_OFF 1
	HP_OFF=$((HP_OFF + 1))
	[ $HP_OFF -lt $((NVME_BASE + 256)) ] || HP_OFF=$((NVME_BASE + 128))
}

hp_counter() { # debugfs hotplug counter of our first frontend; empty if there is none
	local f
	for f in $XPF_DBG/pci-*/hotplug; do
		[ -r "$f" ] && awk -v k="$1" '$1 == k { print $2 }' "$f" && return 0
	done
}

hp_wait_counter() { # NAME OLD SECONDS: wait until the hotplug counter NAME moves from OLD
	local n=0
	while [ "$(hp_counter "$1")" = "$2" ] && [ $n -lt $(($3 * 10)) ]; do
		usleep 100000
		n=$((n + 1))
	done
}

hp_seqnum() { cat /sys/kernel/uevent_seqnum; }

hp_bound() { # NAME: the device has a driver (edu has none in this kernel)
	case $1 in
	edu) return 0 ;;
	*) modprobe "$1" ;; # no earlier step may have loaded it
	esac
	wait_bound "$1" 60
}

hp_verify() { # NAME TAG: the device works after coming back
	case $1 in
	nvme)
		if nvme_up; then
			hp_nvme_rt "$2"
		else
			ktap_not_ok "nvme: $2: /dev/nvme0n1 back"
		fi
		;;
	e1000e)
		local b n=0
		b=$(bdf_of e1000e)
		while [ ! -d /sys/bus/pci/devices/$b/net ] && [ $n -lt 100 ]; do
			usleep 100000
			n=$((n + 1))
		done
		ktap_check "e1000e: $2: driver bound with a net device" [ -d /sys/bus/pci/devices/$b/net ]
		;;
	edu)
		local b r0 r1
		b=$(bdf_of edu)
		read -r r0 r1 _ </sys/bus/pci/devices/$b/resource
		ktap_check "edu: $2: BAR0 1 MiB ($r0-$r1)" [ $((r1 - r0 + 1)) = 1048576 ]
		;;
	esac
}

hp_detach() { # NAME VERB: cue a detach and wait for the device to go
	cue "${2:-detach}" "$1"
	wait_dev "$1" 0 90
}

hp_attach() {
	cue attach "$1"
	wait_dev "$1" 1 90
}

step_hp_idle() { # each device detached while idle, attached again, works again
	local d s0 s1 b slots
	modprobe nvme
	modprobe e1000e
	for d in $DEVS; do
		b=$(bdf_of "$d") || { ktap_not_ok "$d: present before the idle detach"; continue; }
		hp_bound "$d"
		s0=$(hp_seqnum)
		if ! hp_detach "$d"; then
			ktap_not_ok "$d: idle detach: device gone within 90 s"
			continue
		fi
		s1=$(hp_seqnum)
		ktap_check "$d: idle detach: device removed, $((s1 - s0)) uevents" [ $((s1 - s0)) -gt 0 ]
		slots=$(grep -l "^${b%.*}\$" /sys/bus/pci/slots/*/address 2>/dev/null)
		ktap_check "$d: idle detach: its slot is gone from /sys/bus/pci/slots" [ -z "$slots" ]
		if ! hp_attach "$d"; then
			ktap_not_ok "$d: attach after idle detach: device back within 90 s"
			continue
		fi
		ktap_check "$d: attach: device back ($(bdf_of "$d")), uevents $(($(hp_seqnum) - s1))" \
			[ $(($(hp_seqnum) - s1)) -gt 0 ]
		hp_bound "$d" || ktap_not_ok "$d: attach: driver bound again"
		hp_verify "$d" after-idle-detach
	done
}

hp_reads() { # reads completed by nvme0n1 so far
	awk '$3 == "nvme0n1" { print $4 }' /proc/diskstats
}

step_hp_io() { # nvme detached under I/O: the I/O fails cleanly, nothing hangs
	local pid n=0 rc t r0
	needs_dev nvme hp-io || return
	nvme_up || { ktap_not_ok "nvme: up before the detach under I/O"; return; }
	rm -f /tmp/hp-io.rc
	(
		while dd if=/dev/nvme0n1 of=/dev/null bs=64k count=2048 iflag=direct 2>/dev/null; do
			:
		done
		echo ended >/tmp/hp-io.rc
	) &
	pid=$!
	# the reader is under way once the disk's read count moves (bounded: 10 s)
	r0=$(hp_reads)
	n=0
	while [ "$(hp_reads)" = "$r0" ] && [ $n -lt 100 ]; do
		usleep 100000
		n=$((n + 1))
	done
	n=0
	ktap_check "nvme: reader running before the detach (reads $r0 -> $(hp_reads))" \
		sh -c "[ ! -e /tmp/hp-io.rc ] && [ '$(hp_reads)' != '$r0' ]"
	t=$(ms)
	if hp_detach nvme; then
		t=$(($(ms) - t))
		# the toolstack resets the device before it tells us: no I/O timeout may be waited out
		ktap_check "nvme: detach under I/O: device gone in $t ms (bound 20 s)" [ $t -le 20000 ]
	else
		ktap_not_ok "nvme: detach under I/O: device gone within 90 s"
	fi
	while [ ! -e /tmp/hp-io.rc ] && [ $n -lt 300 ]; do
		usleep 100000
		n=$((n + 1))
	done
	if [ -e /tmp/hp-io.rc ]; then
		ktap_ok "nvme: detach under I/O: the reader saw an error and ended ($((n / 10)) s after the device went)"
	else
		ktap_not_ok "nvme: detach under I/O: the reader still runs 30 s after the device went"
		kill $pid 2>/dev/null
	fi
	wait $pid 2>/dev/null
	ktap_check "nvme: detach under I/O: /dev/nvme0n1 gone" [ ! -b /dev/nvme0n1 ]
	dmesg | grep -E 'nvme|pcifront|xen-pcifront' | tail -12 | sed 's/^/# /'
	hp_attach nvme || { ktap_not_ok "nvme: attach after detach under I/O"; return; }
	hp_bound nvme
	hp_verify nvme after-detach-under-io
}

step_hp_force() { # xl pci-detach -f: the device is torn out without the guest's consent, then attached again
	local t
	needs_dev nvme hp-force || return
	nvme_up || { ktap_not_ok "nvme: up before the forced detach"; return; }
	t=$(ms)
	if ! hp_detach nvme detach-force; then
		ktap_not_ok "nvme: forced detach: device gone within 90 s"
		return
	fi
	ktap_ok "nvme: forced detach: device gone in $(($(ms) - t)) ms"
	if ! hp_attach nvme; then
		ktap_not_ok "nvme: attach after the forced detach: device back within 90 s"
		return
	fi
	ktap_ok "nvme: attach after the forced detach: device back at $(bdf_of nvme)"
	hp_bound nvme
	hp_verify nvme after-forced-detach
}

step_hp_two() { # I/O on nvme keeps working while e1000e is cycled
	local pid c=0 ok=1
	needs_dev nvme hp-two && needs_dev e1000e hp-two || return
	nvme_up || { ktap_not_ok "nvme: up before cycling e1000e"; return; }
	rm -f /tmp/hp-two.rc
	(
		while dd if=/dev/nvme0n1 of=/dev/null bs=64k count=256 iflag=direct 2>/dev/null; do
			[ -e /tmp/hp-two.stop ] && exit 0
		done
		echo failed >/tmp/hp-two.rc
	) &
	pid=$!
	while [ $c -lt 3 ]; do
		c=$((c + 1))
		hp_detach e1000e || { ok=0; break; }
		hp_attach e1000e || { ok=0; break; }
	done
	touch /tmp/hp-two.stop
	wait $pid
	rm -f /tmp/hp-two.stop
	ktap_check "e1000e: 3 detach/attach cycles while nvme is busy" [ $ok = 1 ]
	ktap_check "nvme: reads never failed while e1000e was cycled" [ ! -e /tmp/hp-two.rc ]
	hp_verify nvme while-e1000e-cycled
	hp_verify e1000e after-cycles-beside-nvme
}

step_hp_slot() { # /sys/bus/pci/slots/<slot>/power 0 and 1 from inside the guest
	local d b s p
	for d in $DEVS; do
		b=$(bdf_of "$d") || continue
		s=$(grep -l "^${b%.*}\$" /sys/bus/pci/slots/*/address 2>/dev/null | head -1)
		if [ -z "$s" ]; then
			ktap_not_ok "$d: a hotplug slot with address ${b%.*} in /sys/bus/pci/slots"
			ls -l /sys/bus/pci/slots/
			continue
		fi
		s=${s%/address}
		ktap_check "$d: slot ${s##*/} address ${b%.*}, power $(cat $s/power)" [ "$(cat $s/power)" = 1 ]
		hp_bound "$d"
		echo 0 >"$s/power"
		p=$(cat "$s/power" 2>/dev/null)
		ktap_check "$d: slot power 0: device removed in the guest, power reads $p" \
			sh -c "! [ -e /sys/bus/pci/devices/$b ] && [ '$p' = 0 ]"
		echo 1 >"$s/power"
		if wait_dev "$d" 1 30; then
			ktap_ok "$d: slot power 1: device back at $(bdf_of "$d")"
			hp_bound "$d" || ktap_not_ok "$d: slot power 1: driver bound again"
			hp_verify "$d" after-slot-power-cycle
		else
			ktap_not_ok "$d: slot power 1: device back"
		fi
	done
	echo "LAB-HOTPLUG-COUNTERS slot_power_on=$(hp_counter slot_power_on) slot_power_off=$(hp_counter slot_power_off)"
}

# What a user resetting a wedged device does: its sysfs "remove", then a bus rescan.
# The device must come back at the BAR the backend set, on our DMA path, with verified
# I/O and no BAR rewrite refused by pciback.
step_hp_rescan() {
	local b bar0 bar1 ours0 ours1 add0 add1 rm0 rm1
	needs_dev nvme hp-rescan || return
	b=$(bdf_of nvme) || { ktap_not_ok "rescan: nvme present"; return; }
	hp_bound nvme || ktap_not_ok "rescan: nvme driver bound before"
	bar0=$(head -1 /sys/bus/pci/devices/$b/resource)
	ours0=$(dmesg | grep -c "$b: .*DMA through the bounce layer")
	add0=$(hp_counter devices_added)
	rm0=$(hp_counter devices_removed)
	echo 1 >/sys/bus/pci/devices/$b/remove
	ktap_check "rescan: sysfs remove takes nvme away" wait_dev nvme 0 30
	rm1=$(hp_counter devices_removed)
	ktap_check "rescan: the removal went through our teardown (devices_removed $rm0 -> $rm1)" \
		same "$rm1" "$((${rm0:--9} + 1))"
	echo 1 >/sys/bus/pci/rescan
	if ! wait_dev nvme 1 30; then
		ktap_not_ok "rescan: nvme back after /sys/bus/pci/rescan"
		return
	fi
	b=$(bdf_of nvme)
	bar1=$(head -1 /sys/bus/pci/devices/$b/resource)
	ktap_check "rescan: BAR0 where the backend put it ($bar1, was $bar0)" \
		sh -c "[ -n '$bar0' ] && [ '$bar0' = '$bar1' ]"
	add1=$(hp_counter devices_added)
	ktap_check "rescan: the new device went through our setup (devices_added $add0 -> $add1)" \
		same "$add1" "$((${add0:--9} + 1))"
	ours1=$(dmesg | grep -c "$b: .*DMA through the bounce layer")
	ktap_check "rescan: the device got our DMA ops again ($ours0 -> $ours1 messages)" \
		same "$ours1" "$((ours0 + 1))"
	ktap_check "rescan: pciback refused no BAR write, no BAR unclaimed" \
		sh -c "! dmesg | grep -qE 'error updating|cannot be claimed'"
	hp_bound nvme || ktap_not_ok "rescan: nvme driver bound again"
	hp_verify nvme after-rescan
}

hp_restarts() { dmesg | grep -c 'Restarting tasks'; }

hp_save_restore() { # cue a save/restore and wait until this guest runs again (a new domain)
	local k0 n=0
	k0=$(hp_restarts)
	cue save-restore all
	while [ "$(hp_restarts)" = "$k0" ] && [ $n -lt 1800 ]; do
		usleep 100000
		n=$((n + 1))
	done
	[ "$(hp_restarts)" != "$k0" ]
}

step_hp_save() { # every device detached, xl save + xl restore, then attach and use them
	local d ok=1 t r0 n fe
	for d in $DEVS; do
		hp_detach "$d" || { ok=0; ktap_not_ok "$d: detached before save"; }
	done
	[ $ok = 1 ] || return
	sync
	t=$(ms)
	r0=$(hp_counter resumes)
	# after the last detach the toolstack removes our xenbus node and the frontend goes
	n=0
	while [ -e /sys/bus/xen/devices/pci-0 ] && [ $n -lt 50 ]; do
		usleep 100000
		n=$((n + 1))
	done
	fe=no
	[ -e /sys/bus/xen/devices/pci-0 ] && fe=yes
	hp_save_restore || { ktap_not_ok "save/restore: the guest runs again within 180 s"; return; }
	ktap_ok "save/restore: the guest runs again ($(($(ms) - t)) ms; pcifront device at save time: $fe)"
	if [ $fe = yes ]; then
		# our node outlived the detaches: xenbus resumes it (or cannot, without a backend)
		n=0
		while [ "$(hp_counter resumes)" = "$r0" ] && ! dmesg | grep -q 'resume (talk_to_otherend) pci' &&
			[ $n -lt 100 ]; do
			usleep 100000
			n=$((n + 1))
		done
		ktap_check "save/restore: xenbus resumed our frontend (resumes $r0 -> $(hp_counter resumes))" \
			sh -c "[ '$(hp_counter resumes)' != '$r0' ] || dmesg | grep -q 'resume (talk_to_otherend) pci'"
	fi
	dmesg | grep -E 'pcifront|xenbus|PM:' | tail -8 | sed 's/^/# /'
	for d in $DEVS; do
		if hp_attach "$d"; then
			ktap_ok "$d: attached after restore at $(bdf_of "$d")"
			hp_bound "$d"
			hp_verify "$d" after-restore
		else
			ktap_not_ok "$d: attached after restore"
		fi
	done
	echo "LAB-TIME $RUN: save/restore round and re-attach: $(($(ms) - t)) ms"
}

step_hp_save_live() { # xl save + xl restore with nvme attached; 6.1 guests crash in their
	# event channel resume (docs/usage.md), so no plan runs it: it shows that crash
	local r0 c0 t n
	needs_dev nvme hp-save-live || return
	nvme_up || { ktap_not_ok "nvme: up before the live save"; return; }
	sync
	t=$(ms)
	r0=$(hp_counter resumes)
	c0=$(hp_counter devices_added)
	hp_save_restore || { ktap_not_ok "live save/restore: the guest runs again within 180 s"; return; }
	hp_wait_counter resumes "$r0" 30
	ktap_check "live save/restore: our xenbus resume ran (resumes $r0 -> $(hp_counter resumes))" \
		[ "$(hp_counter resumes)" != "$r0" ]
	hp_wait_counter devices_added "$c0" 60
	ktap_check "live save/restore: nvme added again after the new handshake ($(($(ms) - t)) ms)" \
		[ "$(hp_counter devices_added)" != "$c0" ]
	dmesg | grep -E 'pcifront|xenbus|nvme' | tail -10 | sed 's/^/# /'
	if wait_dev nvme 1 30; then
		hp_bound nvme
		hp_verify nvme after-live-restore
	else
		ktap_not_ok "live save/restore: nvme visible again"
	fi
}

hp_metrics() { # TAG: the numbers that must not grow over the soak
	echo 3 >/proc/sys/vm/drop_caches
	HP_SLAB=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)
	HP_IRQS=$(grep -c '^ *[0-9]*:' /proc/interrupts)
	HP_DYN=$(grep -c 'xen-dyn' /proc/interrupts)
	HP_PIRQ=$(grep -c 'xen-pirq' /proc/interrupts)
	HP_DMA=$(awk '$1 == "used_bytes" { print $2 }' $DMA_DBG/stats 2>/dev/null)
	HP_LOW=$(awk '$1 == "low_pages_held" { print $2 }' $DMA_DBG/stats 2>/dev/null)
	HP_GREF=$(awk '$1 == "gref" { print $2 }' $XPF_DBG/pci-*/hotplug 2>/dev/null)
	HP_EVT=$(awk '$1 == "evtchn" { print $2 }' $XPF_DBG/pci-*/hotplug 2>/dev/null)
	echo "LAB-METRIC soak_${1}_slab_unreclaim_kb $HP_SLAB"
	echo "LAB-METRIC soak_${1}_irq_lines $HP_IRQS"
	echo "LAB-METRIC soak_${1}_xen_dyn_irqs $HP_DYN"
	echo "LAB-METRIC soak_${1}_xen_pirqs $HP_PIRQ"
	echo "LAB-METRIC soak_${1}_dma_used_bytes ${HP_DMA:-missing}"
	echo "LAB-METRIC soak_${1}_dma_low_pages ${HP_LOW:-missing}"
	echo "LAB-METRIC soak_${1}_gref ${HP_GREF:-missing}"
	echo "LAB-METRIC soak_${1}_evtchn ${HP_EVT:-missing}"
	echo "LAB-METRIC soak_${1}_devices_added $(hp_counter devices_added)"
	echo "LAB-METRIC soak_${1}_devices_removed $(hp_counter devices_removed)"
	echo "LAB-METRIC soak_${1}_errors $(hp_counter errors)"
}

step_hp_soak() { # lab.soak_cycles detach/attach cycles of nvme, driver bound, leak checks
	local c=0 ok=1 t slab0 irq0 dyn0 pirq0 dma0 low0 gref0 evt0 add0 err0 d
	needs_dev nvme hp-soak || return
	nvme_up || { ktap_not_ok "soak: nvme up before the soak"; return; }
	# one warm-up cycle, so caches the first re-probe fills are in the baseline
	hp_detach nvme && hp_attach nvme && nvme_up || { ktap_not_ok "soak: warm-up cycle"; return; }
	hp_metrics start
	slab0=$HP_SLAB irq0=$HP_IRQS dyn0=$HP_DYN pirq0=$HP_PIRQ dma0=$HP_DMA low0=$HP_LOW
	gref0=$HP_GREF evt0=$HP_EVT add0=$(hp_counter devices_added) err0=$(hp_counter errors)
	t=$(ms)
	while [ $c -lt "$HP_SOAK" ]; do
		c=$((c + 1))
		hp_detach nvme || { ok=0; ktap_not_ok "soak: cycle $c: detach seen"; break; }
		hp_attach nvme || { ok=0; ktap_not_ok "soak: cycle $c: attach seen"; break; }
		if ! nvme_up; then
			ok=0
			ktap_not_ok "soak: cycle $c: nvme bound again"
			break
		fi
		if [ $((c % HP_DMA_EVERY)) = 0 ]; then
			hp_nvme_rt "soak cycle $c"
			hp_metrics "c$c" # the trend, for the report; the checks compare start and end
		fi
		[ $((c % 25)) = 0 ] && note "soak: $c cycles, $(($(ms) - t)) ms"
	done
	echo "LAB-METRIC soak_cycles $c"
	echo "LAB-METRIC soak_ms_per_cycle $((($(ms) - t) / (c ? c : 1)))"
	[ $ok = 1 ] && ktap_ok "soak: $c detach/attach cycles of nvme with its driver bound"
	hp_nvme_rt "soak end"
	hp_metrics end
	ktap_check "soak: unreclaimable slab $slab0 -> $HP_SLAB kB (bound +$HP_SLAB_KB)" \
		[ $((HP_SLAB - slab0)) -le "$HP_SLAB_KB" ]
	ktap_check "soak: /proc/interrupts lines $irq0 -> $HP_IRQS" [ "$HP_IRQS" -le "$irq0" ]
	ktap_check "soak: xen-dyn event channel IRQs $dyn0 -> $HP_DYN" [ "$HP_DYN" -le "$dyn0" ]
	ktap_check "soak: xen-pirq IRQs $pirq0 -> $HP_PIRQ" [ "$HP_PIRQ" -le "$pirq0" ]
	# each value must have been read at both ends: a missing debugfs file fails the check
	ktap_check "soak: DMA bounce bytes in use ${dma0:-missing} -> ${HP_DMA:-missing}" \
		le "$HP_DMA" $((${dma0:-0} + 1048576))
	ktap_check "soak: low DMA pages held ${low0:-missing} -> ${HP_LOW:-missing}" \
		le "$HP_LOW" $((${low0:-0} + 256))
	ktap_check "soak: op page grant ${gref0:-missing} and event channel ${evt0:-missing} unchanged" \
		sh -c "[ -n '$gref0' ] && [ -n '$evt0' ] && [ '$HP_GREF' = '$gref0' ] && [ '$HP_EVT' = '$evt0' ]"
	d=$(($(hp_counter devices_added) - ${add0:-0}))
	ktap_check "soak: devices added $d times in $c cycles, errors ${err0:-missing} -> $(hp_counter errors)" \
		sh -c "[ '$d' = '$c' ] && [ -n '$err0' ] && [ '$(hp_counter errors)' = '$err0' ]"
}

# hotplug latency, for make bench, with any frontend: lab.bench_reps rounds of nvme
# detached (from the cue to the device gone) and attached (from the cue to /dev/nvme0n1
# back); xl's own time in dom0 is in both, as it is for a user
step_hp_latency() {
	local r=0 t d= a=
	needs_dev nvme hp-latency || return
	nvme_up || { ktap_not_ok "hp-latency: nvme up before the first round"; return; }
	while [ $r -lt "$BENCH_REPS" ]; do
		r=$((r + 1))
		t=$(ms)
		hp_detach nvme || { ktap_not_ok "hp-latency: round $r: nvme gone after the detach"; return; }
		d=$(($(ms) - t))
		t=$(ms)
		if ! hp_attach nvme || ! nvme_up; then
			ktap_not_ok "hp-latency: round $r: /dev/nvme0n1 back after the attach"
			return
		fi
		a=$(($(ms) - t))
		echo "LAB-METRIC hotplug_ms nvme detach=$d attach=$a"
	done
	ktap_ok "hp-latency: nvme detached and attached $BENCH_REPS times (last: $d ms, $a ms)"
}

step_hp_stats() { # our hotplug counters
	local f
	for f in $XPF_DBG/pci-*/hotplug; do
		[ -r "$f" ] || { ktap_not_ok "xen-pcifront debugfs hotplug counters present"; return; }
		sed "s|^|LAB-XPF-HOTPLUG ${f#$XPF_DBG/} |" "$f"
	done
	ktap_ok "xen-pcifront debugfs hotplug counters present"
	# releasing a detached device's GSI must not ask Xen for the PIRQ the detach took away
	ktap_check "no 'Failed to obtain physical IRQ' in the guest's log after the detaches" \
		sh -c "! dmesg | grep -q 'Failed to obtain physical IRQ'"
}
