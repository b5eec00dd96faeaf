# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Trace step (sourced by domU-init): our module's tracepoints (pcifront/front_trace.h, swiotlb/dma_trace.h), seen
# the way a person would see them, through tracefs. In a trace instance of its own, with
# every xen_pcifront event on, it runs a short scenario:
#   - a config space read of edu from sysfs                          -> xpf_op
#   - edu_dma's DMA round trips, every mapping bounced and asking
#     the 28-bit class to grow (by one MiB at most), then idle
#     blocks given back at once                                      -> xpf_dma_bounce,
#                                                                       xpf_pool_grow, _shrink
#   - our xenbus driver unbound and bound again: the connection is
#     handed over and taken back, the devices go and come back       -> xpf_dev_remove,
#                                                                       xpf_dev_add,
#                                                                       xpf_backend_state
# and checks that each of those events was recorded with sane fields. AER, mapping
# failures and hotplug reasons other than unbind/connect do not happen here.
# The trace goes to /tmp/xpf.trace; a count per event and one line of each are printed.
# TRACEFS=DIR (the harness self-test) uses DIR as it is, without mounting anything.

TR_EVENTS="xpf_op xpf_dev_add xpf_dev_remove xpf_backend_state xpf_aer_request xpf_aer_answer
xpf_pool_grow xpf_pool_shrink xpf_dma_map_fail xpf_dma_bounce"
TR_PARAMS=/sys/module/xen_pcifront/parameters
TR_OUT=/tmp/xpf.trace

tr_fs() { # the tracefs directory with our events, or nothing (status 1)
	local d
	if [ -n "${TRACEFS:-}" ]; then
		[ -d "$TRACEFS/events/xen_pcifront" ] && echo "$TRACEFS"
		return
	fi
	[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -d "$d/events/xen_pcifront" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

tr_kv() { # LINE KEY: TV = the value of KEY=... in LINE, empty when there is none
	TV=${1#* "$2"=}
	[ "$TV" = "$1" ] && TV=
	TV=${TV%% *}
}

# tr_each EVENT FN: FN runs for every recorded EVENT line (in L); TR_GOOD and TR_BAD count
# the lines it took and those it found broken (status 2; 1: not the line it looks for)
tr_each() {
	local rc
	TR_GOOD=0 TR_BAD=0 TR_FIRST_BAD=''
	grep " $1: " $TR_OUT >/tmp/xpf.ev 2>/dev/null
	while IFS= read -r L; do
		"$2"
		rc=$?
		if [ $rc = 0 ]; then
			TR_GOOD=$((TR_GOOD + 1))
		elif [ $rc = 2 ]; then
			TR_BAD=$((TR_BAD + 1))
			[ -n "$TR_FIRST_BAD" ] || TR_FIRST_BAD=$L
		fi
	done </tmp/xpf.ev
}

tr_verdict() { # NAME: one result from the last tr_each: some lines taken, none broken
	if [ "$TR_GOOD" -gt 0 ] && [ "$TR_BAD" = 0 ]; then
		ktap_ok "$1 ($TR_GOOD events)"
	else
		ktap_not_ok "$1 ($TR_GOOD events, $TR_BAD broken${TR_FIRST_BAD:+, first: $TR_FIRST_BAD})"
	fi
}

# the line checks: 0 this is it and sane, 1 not this one, 2 this one but broken
tr_conf_read() { # a header read (below 0x40) of $TR_BDF the backend answered, in 1 ns .. 10 s
	case $L in *" op=conf_read dev=$TR_BDF "*) ;; *) return 1 ;; esac
	tr_kv "$L" offset
	case $TV in 0 | 0x[0-9a-f] | 0x[0-3][0-9a-f]) ;; *) return 1 ;; esac
	tr_kv "$L" ret
	[ "$TV" = 0 ] || return 1
	tr_kv "$L" err
	[ "$TV" = 0 ] || return 2
	tr_kv "$L" size
	case $TV in 1 | 2 | 4) ;; *) return 2 ;; esac
	tr_kv "$L" ns
	case $TV in "" | *[!0-9]*) return 2 ;; esac
	[ "$TV" -ge 1 ] && [ "$TV" -le 10000000000 ] || return 2
}

tr_bounce() { # an edu mapping in the 28-bit class, below 2^28
	local size
	case $L in *" dev=$TR_BDF "*) ;; *) return 1 ;; esac
	tr_kv "$L" size
	size=$TV
	case $size in "" | *[!0-9]*) return 2 ;; esac
	[ "$size" -ge 1 ] || return 2
	tr_kv "$L" dir
	case $TV in to_device | from_device | bidirectional) ;; *) return 2 ;; esac
	tr_kv "$L" class
	[ "$TV" = 28 ] || return 2
	tr_kv "$L" dma
	case $TV in 0x[0-9a-f]*) ;; *) return 2 ;; esac
	[ $((TV)) -gt 0 ] && [ $((TV + size)) -le $((1 << 28)) ] || return 2
}

tr_pool() { # grow (err=0) or shrink (reason=idle) of the 28-bit class, bytes within total
	local b t
	tr_kv "$L" class
	[ "$TV" = 28 ] || return 1
	tr_kv "$L" bytes
	b=$TV
	tr_kv "$L" total
	t=$TV
	case "$b$t" in "" | *[!0-9]*) return 2 ;; esac
	[ "$b" -gt 0 ] || return 2
	case $L in
	*" xpf_pool_grow: "*)
		tr_kv "$L" err
		[ "$TV" = 0 ] || return 1
		[ "$t" -ge "$b" ] || return 2
		;;
	*)
		tr_kv "$L" reason
		[ "$TV" = idle ] || return 1
		;;
	esac
}

# xpf_dev_add/remove: every device of the run (TR_DEVS "bdf=vendor:device ...") with TR_WHY
tr_dev() {
	local d
	tr_kv "$L" why
	[ "$TV" = "$TR_WHY" ] || return 1
	for d in $TR_DEVS; do
		case $L in
		*" dev=${d%%=*} id=${d#*=} "*)
			TR_SEEN="$TR_SEEN ${d%%=*}"
			return 0
			;;
		*" dev=${d%%=*} "*) return 2 ;;
		esac
	done
	return 1
}

tr_dev_all() { # EVENT WHY: one result for all the devices of the run
	local d n=0 missing=''
	TR_WHY=$2 TR_SEEN=''
	tr_each "$1" tr_dev
	for d in $TR_DEVS; do
		n=$((n + 1))
		case "$TR_SEEN " in *" ${d%%=*} "*) ;; *) missing="$missing ${d%%=*}" ;; esac
	done
	[ -z "$missing" ] || TR_GOOD=0
	tr_verdict "trace: $1 why=$2 with the right ids for each of the $n devices${missing:+ (missing:$missing)}"
}

tr_state() { # the backend of one of our xenbus devices reported Connected
	local x
	for x in $TR_XDEVS; do
		case $L in
		*" dev=$x backend=Connected "*) return 0 ;;
		*" dev=$x backend="*) return 1 ;;
		esac
	done
	case $L in *" dev=pci-"*" backend="*" frontend="*) return 1 ;; esac
	return 2
}

tr_lost() { # events the instance's buffer overwrote or dropped, summed over the CPUs
	cat "$1"/per_cpu/cpu*/stats 2>/dev/null | awk -F': *' '
		$1 == "overrun" || $1 == "dropped events" { n += $2; seen = 1 }
		END { if (seen) print n }'
}

tr_c28() { # FIELD: a counter of the 28-bit class (debugfs), empty without that class
	awk -v f="$1" '$1 == "class" && $2 == "28-bit:" {
		for (i = 3; i < NF; i++) if ($i == f) print $(i + 1) }' \
		"$XPF_DBG/dma/stats" 2>/dev/null
}

step_trace() {
	local t i b d e n m x xdevs bound pct mib max idle force held s0 w ok lost en
	[ "$FE" = ours ] || { ktap_not_ok "step trace is for our frontend (this run: $FE)"; return; }
	needs_dev edu trace || return
	if ! t=$(tr_fs); then
		ktap_not_ok "trace: tracefs with the xen_pcifront events (none in ${TRACEFS:-/sys/kernel/tracing or /sys/kernel/debug/tracing})"
		return
	fi
	# an instance of our own: its own buffer, nothing else's events, gone afterwards
	i=$t/instances/xpf-lab
	rmdir "$i" 2>/dev/null
	mkdir "$i" 2>/dev/null
	n=0 m=''
	for e in $TR_EVENTS; do
		if [ -e "$i/events/xen_pcifront/$e/enable" ]; then
			n=$((n + 1))
		else
			m="$m $e"
		fi
	done
	echo 1 >"$i/events/xen_pcifront/enable" 2>/dev/null
	echo 1 >"$i/tracing_on" 2>/dev/null
	en=$(cat "$i/events/xen_pcifront/enable" 2>/dev/null)
	ok=0
	[ -z "$m" ] && [ "$en" = 1 ] && ok=1
	ktap_check "trace: tracefs at $t: all $n of our events in an instance, enabled (${m:+missing:$m, }enable ${en:-unreadable})" \
		[ $ok = 1 ]

	b=$(bdf_of edu)
	TR_DEVS='' TR_XDEVS='' bound=''
	for d in $DEVS; do
		TR_DEVS="$TR_DEVS $(bdf_of "$d")=$(ids_of "$d")"
		[ -e "/sys/bus/pci/devices/$(bdf_of "$d")/driver" ] && bound="$bound $d"
	done
	for x in /sys/bus/xen/drivers/pcifront/pci-*; do
		[ -e "$x" ] && TR_XDEVS="$TR_XDEVS ${x##*/}"
	done
	xdevs=$TR_XDEVS

	# config space from sysfs: 64 bytes, in config ops of the backend
	dd if="/sys/bus/pci/devices/$b/config" of=/dev/null bs=64 count=1 2>/dev/null

	# DMA: edu_dma's round trips, every mapping bounced and asking the 28-bit class (made
	# when edu_dma sets its mask, if it is not there yet) to grow, by one MiB at most: no
	# class may pass that size meanwhile. Then idle blocks go back at once.
	pct=$(cat $TR_PARAMS/dma_pool_grow_pct)
	mib=$(cat $TR_PARAMS/dma_pool_grow_mib)
	max=$(cat $TR_PARAMS/dma_pool_max_mib)
	idle=$(cat $TR_PARAMS/dma_pool_idle_secs)
	force=$(cat $TR_PARAMS/dma_force_bounce)
	: >/tmp/xpf-edu.out
	if insmod /lab/modules/edu_dma.ko expect=bounce; then
		held=$(tr_c28 held)
		case $held in
		"" | *[!0-9]*) ;;
		*) echo $(((held >> 20) + 1)) >$TR_PARAMS/dma_pool_max_mib ;;
		esac
		echo Y >$TR_PARAMS/dma_force_bounce
		echo 1 >$TR_PARAMS/dma_pool_grow_mib
		echo 0 >$TR_PARAMS/dma_pool_grow_pct
		cat /sys/kernel/debug/edu_dma/run >/tmp/xpf-edu.out 2>&1
		echo "$pct" >$TR_PARAMS/dma_pool_grow_pct
		echo "$force" >$TR_PARAMS/dma_force_bounce
		echo "$max" >$TR_PARAMS/dma_pool_max_mib
		rmmod edu_dma
	fi
	s0=$(tr_c28 shrinks)
	echo 0 >$TR_PARAMS/dma_pool_idle_secs
	ktap_check "trace: edu_dma's round trips ran clean ($(grep -c '^ok' /tmp/xpf-edu.out) ok)" \
		sh -c "grep -q '^ok' /tmp/xpf-edu.out && ! grep -q '^not ok' /tmp/xpf-edu.out"

	# our xenbus driver unbound and bound again: the devices go and come back
	for x in $xdevs; do
		echo "$x" >/sys/bus/xen/drivers/pcifront/unbind
	done
	for d in $DEVS; do
		wait_dev "$d" 0 30
	done
	for x in $xdevs; do
		echo "$x" >/sys/bus/xen/drivers/pcifront/bind
	done
	ok=1
	for d in $DEVS; do
		wait_dev "$d" 1 60 || ok=0
	done
	for d in $bound; do
		wait_bound "$d" 60 || ok=0
	done
	[ -n "$xdevs" ] || ok=0
	ktap_check "trace: every device back after unbind/bind of${xdevs:- (no xenbus device of ours)}, and bound again:${bound:- none was}" \
		[ $ok = 1 ]

	# the shrink work looks every 5 s: an idle block goes at its second look (reading the
	# trace would pause it, so our counter is watched)
	w=0
	while [ "$(tr_c28 shrinks)" = "$s0" ] && [ $w -lt 200 ]; do
		usleep 100000
		w=$((w + 1))
	done
	echo "$idle" >$TR_PARAMS/dma_pool_idle_secs
	echo "$mib" >$TR_PARAMS/dma_pool_grow_mib
	echo 0 >"$i/tracing_on"
	cat "$i/trace" >$TR_OUT 2>/dev/null
	lost=$(tr_lost "$i")
	echo 0 >"$i/events/xen_pcifront/enable"
	rmdir "$i" 2>/dev/null

	for e in $TR_EVENTS; do
		echo "# trace: $e: $(grep -c " $e: " $TR_OUT) events"
		grep " $e: " $TR_OUT | head -1 | sed 's/^ */#   /'
	done
	TR_BDF=$b
	tr_each xpf_op tr_conf_read
	tr_verdict "trace: xpf_op conf_read of edu's header ($b) answered, in 1 ns .. 10 s"
	tr_each xpf_dma_bounce tr_bounce
	tr_verdict "trace: xpf_dma_bounce of edu in the 28-bit class, below 2^28"
	tr_each xpf_pool_grow tr_pool
	tr_verdict "trace: xpf_pool_grow of the 28-bit class"
	tr_each xpf_pool_shrink tr_pool
	tr_verdict "trace: xpf_pool_shrink of an idle 28-bit block (shrinks ${s0:-none} -> $(tr_c28 shrinks) in $((w / 10)) s)"
	tr_dev_all xpf_dev_remove unbind
	tr_dev_all xpf_dev_add connect
	tr_each xpf_backend_state tr_state
	tr_verdict "trace: xpf_backend_state backend=Connected for${xdevs:- (no xenbus device of ours)}"
	ktap_check "trace: no event lost (overrun and dropped: ${lost:-unreadable})" same "$lost" 0
}
