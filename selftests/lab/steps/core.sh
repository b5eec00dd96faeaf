# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The core steps (sourced by domU-init): load the frontend, see the devices, use them.
# Plan keys read here: nvme_mb=N (MiB of the nvme-dma pattern, 4), reloads=N (reload
# cycles, 1), cycles=N (hotplug cycles per device, 1).
NVME_MB=$(lab_key nvme_mb 4)
RELOADS=$(lab_key reloads 1)
CYCLES=$(lab_key cycles 1)
PRELOADED=

step_load() {
	T_LOAD=$(ms)
	if [ "$FE" = ours ]; then
		ktap_check "load our xen-pcifront.ko" frontend_load
	else
		ktap_check "load the in-tree xen-pcifront" frontend_load
	fi
}

step_visible() {
	local d
	for d in $DEVS; do
		if wait_dev "$d" 1 60; then
			ktap_ok "$d: visible as $(bdf_of "$d") ($(ids_of "$d"))"
		else
			ktap_not_ok "$d: visible ($(ids_of "$d") not in /sys/bus/pci/devices after 60 s)"
		fi
	done
	echo "LAB-TIME $RUN: frontend load to all devices visible: $(($(ms) - T_LOAD)) ms"
	echo "LAB-METRIC visible_ms $(($(ms) - T_LOAD))"
	[ -n "$PRELOADED" ] || return 0
	# drivers were loaded before the frontend: they bind as the devices appear
	for d in $DEVS; do
		[ "$d" = edu ] && continue
		wait_bound "$d" 60 || ktap_not_ok "$d: driver bound within 60 s of the frontend load"
	done
	echo "LAB-METRIC bound_ms $(($(ms) - T_LOAD))"
}

step_preload() { # the device drivers first, so the time to bound can be measured
	ktap_check "preload: nvme and e1000e drivers loaded before the frontend" \
		sh -c 'modprobe nvme && modprobe e1000e'
	PRELOADED=1
}

step_reload() { # reloads=N: unload and load the frontend N times with the devices present
	local c=0 d ok=1 t
	while [ $c -lt "$RELOADS" ]; do
		c=$((c + 1))
		if ! frontend_unload || grep -q '^xen_pcifront ' /proc/modules; then
			ktap_not_ok "reload $c: frontend unloaded"
			ok=0
			break
		fi
		for d in $DEVS; do
			wait_dev "$d" 0 30 || { ktap_not_ok "reload $c: $d gone after unload"; ok=0; }
		done
		t=$(ms)
		frontend_load || { ktap_not_ok "reload $c: frontend loaded again"; ok=0; break; }
		for d in $DEVS; do
			wait_dev "$d" 1 60 || { ktap_not_ok "reload $c: $d back"; ok=0; }
		done
		[ $ok = 1 ] || break
		[ $c = 1 ] && echo "LAB-TIME $RUN: reload to all devices visible: $(($(ms) - t)) ms"
	done
	[ $ok = 1 ] && ktap_ok "$RELOADS unload/load cycles, every device back each time"
	if has_dev nvme; then
		if nvme_up; then
			nvme_round_trip after-reload $((NVME_BASE + 96)) 4
		else
			ktap_not_ok "nvme: bound again after the reloads"
		fi
	fi
}

step_lspci() { # lspci lists every device with its IDs; its config space is dumped for the host
	local d b n
	lspci -nn -k
	for d in $DEVS; do
		b=$(bdf_of "$d") || { ktap_not_ok "lspci: $d present"; continue; }
		ktap_check "lspci: $d at ${b#0000:} with [$(ids_of "$d")]" \
			sh -c "lspci -nn -s $b | grep -q '\[$(ids_of "$d")\]'"
		# the first 256 bytes of config space, for the comparison across frontends
		lspci -xxx -s "$b" | sed -n 's/^\([0-9a-f]0: \)/LAB-CFG '"$d"' \1/p' >/tmp/cfg
		n=$(wc -l </tmp/cfg)
		cat /tmp/cfg
		ktap_check "lspci: $d: 256 bytes of config space read ($n lines of 16)" [ "$n" = 16 ]
	done
}

step_nvme_dma() {
	needs_dev nvme nvme-dma || return
	if ! nvme_up; then
		ktap_not_ok "nvme: driver bound and /dev/nvme0n1 present"
		dmesg | tail -20
		return
	fi
	ktap_ok "nvme: driver bound and /dev/nvme0n1 present"
	nvme_round_trip dma "$NVME_BASE" "$NVME_MB"
}

step_e1000e_link() {
	local b n dev
	needs_dev e1000e e1000e-link || return
	b=$(bdf_of e1000e) || { ktap_not_ok "e1000e: present"; return; }
	modprobe e1000e
	n=0
	while [ ! -d /sys/bus/pci/devices/$b/net ] && [ $n -lt 100 ]; do
		usleep 100000
		n=$((n + 1))
	done
	dev=$(ls /sys/bus/pci/devices/$b/net 2>/dev/null | head -1)
	[ -n "$dev" ] || { ktap_not_ok "e1000e: driver bound with a net device"; return; }
	ktap_ok "e1000e: driver bound, net device $dev"
	ip link set "$dev" up
	n=0
	while [ "$(cat /sys/class/net/$dev/carrier 2>/dev/null)" != 1 ] && [ $n -lt 150 ]; do
		usleep 100000
		n=$((n + 1))
	done
	ktap_check "e1000e: $dev link up" [ "$(cat /sys/class/net/$dev/carrier 2>/dev/null)" = 1 ]
}

step_edu_bars() {
	local b size
	needs_dev edu edu-bars || return
	b=$(bdf_of edu) || { ktap_not_ok "edu: present"; return; }
	# BAR0: 1 MiB of 32-bit non-prefetchable memory
	set -- $(head -1 /sys/bus/pci/devices/$b/resource)
	size=$(($2 - $1 + 1))
	ktap_check "edu: BAR0 is 1 MiB memory (start $1 end $2 flags $3)" \
		[ "$size" = 1048576 -a $(($3 & 0x200)) != 0 ]
}

step_interrupts() { # every bound device with an interrupt has it through the frontend
	local d b irq
	grep -E 'pcifront|xen-pirq' /proc/interrupts
	for d in $DEVS; do
		b=$(bdf_of "$d") || { ktap_not_ok "interrupts: $d present"; continue; }
		[ -e "/sys/bus/pci/devices/$b/driver" ] || continue
		# a driver on MSI/MSI-X has its vectors in msi_irqs; otherwise its legacy line
		irq=$(ls "/sys/bus/pci/devices/$b/msi_irqs" 2>/dev/null | head -1)
		[ -n "$irq" ] || irq=$(cat "/sys/bus/pci/devices/$b/irq" 2>/dev/null)
		ktap_check "interrupts: $d (IRQ ${irq:-none}) is a Xen PIRQ of the frontend" \
			sh -c "grep -E '^ *${irq:-x}:' /proc/interrupts | grep -q xen-pirq"
	done
}

# the kselftest programs that apply to this run (nvme_aio runs in the DMA steps, with
# its arguments; dma_layer tests our DMA layer, which the in-tree frontend has not)
step_selftests() {
	local t list="config_space cfg_latency"
	[ "$FE" = ours ] && list="$list dma_layer"
	for t in $list; do
		if [ -x "/lab/selftests/$t" ]; then
			ktap_run_selftest "/lab/selftests/$t"
		else
			ktap_not_ok "selftest $t is in the image"
		fi
	done
}

step_hotplug() {
	local d c ok
	for d in $DEVS; do
		[ "$d" = nvme ] && { sync; rmmod nvme 2>/dev/null; }
		c=0
		ok=1
		while [ $c -lt "$CYCLES" ]; do
			c=$((c + 1))
			cue detach "$d"
			wait_dev "$d" 0 90 || { ok=0; ktap_not_ok "$d: hotplug cycle $c: detach seen"; break; }
			cue attach "$d"
			wait_dev "$d" 1 90 || { ok=0; ktap_not_ok "$d: hotplug cycle $c: attach seen"; break; }
		done
		[ $ok = 1 ] && ktap_ok "$d: $CYCLES detach/attach cycles seen"
		if [ $ok = 1 ] && [ "$d" = nvme ]; then
			if nvme_up; then
				nvme_round_trip after-hotplug $((NVME_BASE + 80)) 1
			else
				ktap_not_ok "nvme: bound again after hotplug"
			fi
		fi
	done
}

step_msix() { # MSI-X enabled through the backend on every bound device that has it
	local d b
	for d in $DEVS; do
		b=$(bdf_of "$d") || continue
		[ -e /sys/bus/pci/devices/$b/driver ] || continue
		lspci -vv -s "$b" | grep -q 'MSI-X:' || continue
		ktap_check "$d: lspci -vv shows MSI-X: Enable+" sh -c "lspci -vv -s $b | grep -q 'MSI-X: Enable+'"
	done
	if has_dev nvme; then
		ktap_check "nvme: per-queue MSI-X interrupts (nvme0q0, nvme0q1) in /proc/interrupts" \
			sh -c "grep -q 'msi-x.*nvme0q0' /proc/interrupts && grep -q 'msi-x.*nvme0q1' /proc/interrupts"
	fi
}

step_intx() { # with pci=nomsi: the devices' interrupts are the legacy lines the backend gave
	local n
	if grep -q 'msi' /proc/interrupts; then
		ktap_not_ok "INTx only: no MSI/MSI-X interrupt in /proc/interrupts"
		grep msi /proc/interrupts
		return
	fi
	ktap_ok "INTx only: no MSI/MSI-X interrupt in /proc/interrupts"
	n=$(awk '/pcifront/ && /nvme0q/ { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts)
	ktap_check "nvme: INTx line (xen-pirq, pcifront) took interrupts (${n:-none})" [ "${n:-0}" -gt 0 ]
}

step_xpf_stats() { # our transport counters, one debugfs directory per frontend (pci-N)
	local f n=0
	[ "$FE" = ours ] || { ktap_not_ok "step xpf-stats is for our frontend (this run: $FE)"; return; }
	for f in $XPF_DBG/pci-*/stats; do
		[ -r "$f" ] || continue
		n=$((n + 1))
		sed "s|^|LAB-XPF-STATS ${f#$XPF_DBG/} |" "$f"
	done
	ktap_check "xen-pcifront debugfs: transport stats of $n frontend(s)" [ $n -gt 0 ]
}

step_show() { # what a person looking at the guest would check: device, driver, frontend
	local d b drv
	for d in $DEVS; do
		b=$(bdf_of "$d") || { ktap_not_ok "show: $d present"; continue; }
		drv=$(basename "$(readlink /sys/bus/pci/devices/$b/driver 2>/dev/null)" 2>/dev/null)
		echo "LAB-SHOW $d at $b: $(lspci -s "$b" | cut -d' ' -f2-) (driver: ${drv:-none})"
		# edu and ivshmem have no driver in this kernel (their test drivers come and
		# go with their steps); the others must have theirs
		if [ "$d" = edu ] || [ "$d" = ivshmem ]; then
			ktap_ok "show: $d at $b"
		else
			ktap_check "show: $d at $b, driver ${drv:-none}" [ -n "$drv" ]
		fi
	done
	echo "LAB-SHOW frontend: $FE ($(grep -o '^xen_pcifront [^ ]* [^ ]*' /proc/modules))"
}

# ivshmem's BAR2: 64-bit prefetchable memory above 4 GiB through the frontend, claimed,
# written and read back by the bar64 test driver; the host finds the words in its file
step_ivshmem_bar() {
	local b
	needs_dev ivshmem ivshmem-bar || return
	b=$(bdf_of ivshmem) || { ktap_not_ok "ivshmem: present"; return; }
	grep . /sys/bus/pci/devices/$b/resource | sed -n 3p | sed 's/^/# ivshmem: BAR2 resource: /'
	insmod /lab/modules/bar64.ko slot=$((NVME_BASE / 256))
	if [ ! -e /sys/bus/pci/drivers/bar64/$b ]; then
		ktap_not_ok "ivshmem: bar64 bound to $b"
		return
	fi
	cat /sys/kernel/debug/bar64/run >/tmp/bar64.out 2>&1
	ktap_lift ivshmem /tmp/bar64.out
	rmmod bar64
}

# cfg_dword BDF OFF: the 32-bit config register at OFF, through sysfs
cfg_dword() {
	od -An -tu4 -j"$2" -N4 "/sys/bus/pci/devices/$1/config" 2>/dev/null | tr -d ' '
}

# cfg_put_dword BDF OFF VALUE: one 4-byte config write through sysfs (OFF a multiple of 4)
cfg_put_dword() {
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 & 255)) $((($3 >> 8) & 255)) \
		$((($3 >> 16) & 255)) $((($3 >> 24) & 255)))" |
		dd of="/sys/bus/pci/devices/$1/config" bs=4 count=1 seek=$(($2 / 4)) conv=notrunc 2>/dev/null
}

# cfg_ext_cap BDF ID: the offset of extended capability ID, or nothing
cfg_ext_cap() {
	local p=256 n=0 h
	while [ $p -ge 256 ] && [ $n -lt 48 ]; do
		h=$(cfg_dword "$1" $p)
		[ -n "$h" ] && [ "$h" != 0 ] || return
		[ $((h & 0xffff)) = "$2" ] && { echo $p; return; }
		p=$((h >> 20))
		n=$((n + 1))
	done
}

# cfg-write: a write to a register pciback does not emulate: bit 14 (Completion Timeout)
# of e1000e's AER Uncorrectable Error Severity (QEMU before 8.0 keeps the mask register
# read-only, and e1000e's PCIe Device Control too). Passed with permissive=1 (plan key
# permissive=e1000e, dom0's) it takes and is undone again; without, pciback drops it,
# and our frontend has said, once for the device, that a write was dropped and that
# permissive=1 is the fix (e1000e's probe has usually had one dropped before).
step_cfg_write() {
	local b aer off old new want perm=
	needs_dev e1000e cfg-write || return
	b=$(bdf_of e1000e) || { ktap_not_ok "cfg-write: e1000e present"; return; }
	case "+$(lab_key permissive '')+" in *+e1000e+*) perm=1 ;; esac
	aer=$(cfg_ext_cap "$b" 1)
	[ -n "$aer" ] || { ktap_not_ok "cfg-write: e1000e's AER capability is in its config space"; return; }
	off=$((aer + 12))
	old=$(cfg_dword "$b" $off)
	want=$((old ^ 0x4000))
	cfg_put_dword "$b" $off $want
	new=$(cfg_dword "$b" $off)
	if [ -n "$perm" ]; then
		ktap_check "cfg-write: with permissive=1 the write of $want to 0x$(printf %x $off) took (reads $new, was $old)" \
			[ "$new" = "$want" ]
		cfg_put_dword "$b" $off "$old"
		ktap_check "cfg-write: and the register is back at $old" [ "$(cfg_dword "$b" $off)" = "$old" ]
	else
		ktap_check "cfg-write: without permissive=1 pciback dropped the write of $want to 0x$(printf %x $off) (reads $new, was $old)" \
			[ "$new" = "$old" ]
		[ "$FE" = ours ] || return 0
		dmesg | grep 'did not take' | sed 's/^/# /'
		ktap_check "cfg-write: our frontend said a write to $b was dropped and named permissive=1" \
			sh -c "dmesg | grep -q '${b#0000:}: config write of 0x[0-9a-f]* to 0x[0-9a-f]* ([124] bytes) did not take.*permissive=1'"
	fi
}
