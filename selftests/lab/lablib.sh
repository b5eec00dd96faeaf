# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# lablib.sh - the helpers of the lab's domU steps, sourced by domU-init (busybox sh) and
# by the harness self-test: plan keys (lab_key), the devices (ids_of, bdf_of, wait_dev,
# has_dev, needs_dev, wait_bound), cues to dom0 (cue), the frontend (frontend_load,
# frontend_unload), nvme (nvme_up, nvme_round_trip), numbers (same, le).
# LAB_ARGS (the kernel command line) and LAB_DEVICES (the device table) may be given.
LAB_DEVICES=${LAB_DEVICES:-/lab/devices}
# our module's debugfs directory
XPF_DBG=${XPF_DBG:-/sys/kernel/debug/xen-pcifront}

LAB_ARGS=${LAB_ARGS-$(cat /proc/cmdline)}
lab_key() { # KEY DEFAULT: the plan key lab.KEY=VALUE from the command line, or DEFAULT
	local a
	for a in $LAB_ARGS; do
		case $a in lab.$1=*)
			echo "${a#*=}"
			return
			;;
		esac
	done
	echo "$2"
}

# nvme: each run owns 256 MiB of the disk from lab.nvme_base: the nvme-dma step writes
# at +0 (lab.nvme_mb, at most 64), the scratch region of nvme_io is +24..+32, hotplug
# writes at +80, reload at +96, the hotplug steps' checks at +128..+256
RUN=$(lab_key run run)
FE=$(lab_key fe ours)
DEVS=$(lab_key devs "" | tr + ' ')
STEPS=$(lab_key steps "" | tr + ' ')
NVME_BASE=$(lab_key nvme_base 0)

# same A B: both are numbers and equal (two missing values are not "the same")
same() {
	case "$1$2" in *[!0-9-]* | "") return 1 ;; esac
	[ -n "$1" ] && [ -n "$2" ] && [ "$1" -eq "$2" ]
}

# le A B: both are numbers and A <= B
le() {
	case "$1$2" in *[!0-9-]* | "") return 1 ;; esac
	[ -n "$1" ] && [ -n "$2" ] && [ "$1" -le "$2" ]
}

ms() { # milliseconds since boot
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}
note() { echo "LAB-DOMU[$RUN]: $*"; }

ids_of() { # device name -> vendor:device, from the lab's device table
	awk -v n="$1" '$1 == n { print $3 }' "$LAB_DEVICES"
}

bdf_of() { # device name -> its BDF in this domU, or nothing
	local want v i d
	want=$(ids_of "$1")
	for d in /sys/bus/pci/devices/*; do
		# a device going away may vanish between the test and the reads
		v=$(cat "$d/vendor" 2>/dev/null) || continue
		i=$(cat "$d/device" 2>/dev/null) || continue
		if [ "${v#0x}:${i#0x}" = "$want" ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

# wait_dev NAME 1|0 SECONDS: wait for the device to appear (1) or go away (0)
wait_dev() {
	local n=0
	while [ $n -lt $(($3 * 10)) ]; do
		if bdf_of "$1" >/dev/null; then
			[ "$2" = 1 ] && return 0
		else
			[ "$2" = 0 ] && return 0
		fi
		usleep 100000
		n=$((n + 1))
	done
	return 1
}

has_dev() {
	case " $DEVS " in *" $1 "*) return 0 ;; esac
	return 1
}

# needs_dev NAME STEP: a step that only makes sense with NAME, in a run without it, is a
# mistake of the plan, reported as such
needs_dev() {
	has_dev "$1" && return 0
	ktap_not_ok "step $2 needs $1, which this run does not have (devices: $DEVS)"
	return 1
}

wait_bound() { # NAME SECONDS: wait for a driver on the device
	local n=0 b
	while [ $n -lt $(($2 * 10)) ]; do
		b=$(bdf_of "$1") && [ -e /sys/bus/pci/devices/$b/driver ] && return 0
		usleep 100000
		n=$((n + 1))
	done
	return 1
}

CUE=0
cue() { # cue VERB DEVICE: ask dom0 to act on a device
	CUE=$((CUE + 1))
	echo "LAB-CUE $CUE $1 $2"
}

frontend_load() { # [PARAMS...]: our module from /lab, or the in-tree one
	if [ "$FE" = ours ]; then
		insmod /lab/xen-pcifront.ko "$@"
	else
		modprobe xen-pcifront
	fi
}

frontend_unload() { # unbind the frontend's xenbus devices (xenbus holds a module reference
	# per bound device), then unload it; bound device drivers stay loaded
	local x
	sync
	for x in /sys/bus/xen/drivers/pcifront/pci-*; do
		[ -e "$x" ] && echo "${x##*/}" >/sys/bus/xen/drivers/pcifront/unbind
	done
	rmmod xen_pcifront
}

nvme_up() { # the nvme disk is there, and holds this run's 256 MiB region
	local n=0 mib
	modprobe nvme
	while [ ! -b /dev/nvme0n1 ] && [ $n -lt 300 ]; do
		usleep 100000
		n=$((n + 1))
	done
	[ -b /dev/nvme0n1 ] || return 1
	mib=$(($(cat /sys/block/nvme0n1/size) / 2048))
	if [ "$mib" -lt $((NVME_BASE + 256)) ]; then
		ktap_not_ok "nvme: the disk ($mib MiB) holds this run's region (MiB $NVME_BASE to $((NVME_BASE + 256)))"
		return 1
	fi
}

nvme_round_trip() { # $1 = tag, $2 = offset MiB, $3 = MiB
	local p=/tmp/pattern want got
	dd if=/dev/urandom of=$p bs=1M count="$3" 2>/dev/null
	if [ "$(wc -c <$p)" != $(($3 * 1048576)) ]; then
		# the pattern lives in RAM: a short file means the guest has too little memory
		ktap_not_ok "nvme: $1: a $3 MiB pattern in RAM (got $(wc -c <$p) bytes; raise DOMU_MEM)"
		rm -f $p
		return 1
	fi
	want=$(md5sum $p | cut -d' ' -f1)
	if ! dd if=$p of=/dev/nvme0n1 bs=1M seek="$2" count="$3" oflag=direct conv=fsync 2>/tmp/dd.err; then
		ktap_not_ok "nvme: $1: O_DIRECT write of $3 MiB"
		sed 's/^/# dd: /' /tmp/dd.err
		dmesg | tail -15 | sed 's/^/# /'
		rm -f $p
		return 1
	fi
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if=/dev/nvme0n1 bs=1M skip="$2" count="$3" iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	if [ "$want" = "$got" ]; then
		echo "LAB-NVME-PATTERN off=$2 mb=$3 md5=$want"
		ktap_ok "nvme: $1: $3 MiB O_DIRECT write and read-back match"
	else
		ktap_not_ok "nvme: $1: $3 MiB read back md5 $got, wrote $want"
		nvme_diff "$p" "$2" "$3"
	fi
	rm -f $p
}

nvme_diff() { # PATTERN OFF MB: which MiBs differ, with O_DIRECT and with buffered reads
	local i=0 a b c bad=""
	echo "# pattern file: $(wc -c <"$1") bytes"
	while [ $i -lt "$3" ]; do
		a=$(dd if="$1" bs=1M skip=$i count=1 2>/dev/null | md5sum)
		b=$(dd if=/dev/nvme0n1 bs=1M skip=$(($2 + i)) count=1 iflag=direct 2>/dev/null | md5sum)
		c=$(dd if=/dev/nvme0n1 bs=1M skip=$(($2 + i)) count=1 2>/dev/null | md5sum)
		[ "$a" = "$b" ] || bad="$bad $i$([ "$a" = "$c" ] && echo '(buffered ok)')"
		i=$((i + 1))
	done
	echo "# MiBs that differ:${bad:- none}"
	grep -E 'MemFree|Slab' /proc/meminfo | sed 's/^/# /'
}

