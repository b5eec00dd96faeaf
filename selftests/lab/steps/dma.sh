# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# DMA layer steps (sourced by domU-init). Plan keys read here:
#   lab.xpf_params=k:v,k:v  module parameters for load_params (':' stands for '=')
#   lab.io_mib=N            MiB per block-size/queue-depth combination of nvme_io (64)
#   lab.bench_reps=N        bench_dma: times each nvme job runs (1); report.sh takes the median
# Steps:
#   mem_mark     note MemFree before the frontend is loaded (for dma_leak)
#   load_params  insmod our module with lab.xpf_params (in-tree frontend: modprobe)
#   edu_dma      selftests/modules/edu_dma: single/bidi/sync/sg/coherent round trips, 28-bit
#   nvme_io      O_DIRECT AIO writes+reads, several block sizes and queue depths, verified,
#                while the kernel's swiotlb stays unused (own) or is used (kernel)
#   zero_copy    contiguous buffers below the mask mapped directly (edu_dma expect=direct, nvme)
#   pool_limit   run with a tiny pool: mappings fail and retry cleanly, then the pool grows
#   dma_leak     unload/reload with the nvme busy: no low memory, coherent buffer or MemFree lost
#   bench_dma    LAB-METRIC lines: an emulation speed gauge, nvme 128 KiB sequential,
#                map+unmap latency beside memcpy() of the same sizes, and with
#                our pools the bounce ceiling: 64 KiB to-device bounce against memcpy()
#   kmemleak     (debug guest kernel) a kmemleak scan finds nothing of ours unreferenced, and
#                the DMA-API debug code counted no error
#   edu-msi      edu_dma's MSI test: plain MSI enabled twice through the frontend, 50
#                interrupts raised by the device each time, all arrive; disabled again
#   nvme-fio     fio (libaio, O_DIRECT, two jobs) with --verify=crc32c at each queue depth of
#                lab.fio_qds (1+8+32): sequential 128 KiB writes, random 4 KiB writes and a
#                random 4 KiB read/write mix, everything written read back and checked;
#                lab.fio_mib (64) MiB per depth sequential, lab.fio_rand_mib (8) random; in
#                MiB 160..224 of the run's nvme region; LAB-METRIC fio_kib_s lines
DMA_DBG=$XPF_DBG/dma
TLB_USED=${TLB_USED:-/sys/kernel/debug/swiotlb/io_tlb_used}
XPF_PARAMS=$(lab_key xpf_params "" | tr ',:' ' =')
IO_MIB=$(lab_key io_mib 64)
BENCH_REPS=$(lab_key bench_reps 1)
FIO_QDS=$(lab_key fio_qds 1+8+32 | tr + ' ')
FIO_MIB=$(lab_key fio_mib 64)
FIO_RAND_MIB=$(lab_key fio_rand_mib 8)
# which ops serve the devices: own (our pools), kernel (xen-swiotlb), intree (other module)
DMA_MODE=own
NVME_SCRATCH_WRITTEN=
[ "$FE" = ours ] || DMA_MODE=intree
case " $XPF_PARAMS " in *" bounce=kernel "*) [ "$FE" = ours ] && DMA_MODE=kernel ;; esac
# booted with swiotlb=force (the plan's kargs): our pool bounces everything by default
SWIOTLB_FORCE=
case " $LAB_ARGS " in *" swiotlb=force "*) SWIOTLB_FORCE=1 ;; esac

dstat() { # dstat KEY: a layer-wide counter, or empty
	awk -v k="$1" '$1 == k { print $2 }' $DMA_DBG/stats 2>/dev/null
}

cstat() { # cstat BITS FIELD: a per-class counter ("class 64-bit: held N used N ..."),
	# empty when there is no such class or field (every check on it then fails)
	awk -v c="$1-bit:" -v f="$2" '$1 == "class" && $2 == c {
		for (i = 3; i < NF; i++) if ($i == f) print $(i + 1) }' $DMA_DBG/stats 2>/dev/null
}

memfree_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '$1 == "MemFree:" { print $2 }' /proc/meminfo
}

# tlb_watch start|stop: sample the kernel swiotlb's used slots while I/O runs; stop prints the max
tlb_watch() {
	if [ "$1" = start ]; then
		(while :; do cat $TLB_USED 2>/dev/null || echo -1; usleep 20000; done) >/tmp/tlb.samples &
		TLB_PID=$!
	else
		kill "$TLB_PID" 2>/dev/null
		wait "$TLB_PID" 2>/dev/null
		sort -n /tmp/tlb.samples | tail -1
	fi
}

step_mem_mark() {
	# the device drivers first: their module text is not the frontend's to give back
	modprobe nvme
	modprobe e1000e
	MEM0=$(memfree_kb)
	ktap_check "mem_mark: MemFree before the frontend: ${MEM0:-unreadable} kB" le 1 "$MEM0"
}

step_load_params() {
	T_LOAD=$(ms)
	if [ "$FE" = ours ]; then
		# shellcheck disable=SC2086
		ktap_check "load our xen-pcifront.ko ${XPF_PARAMS:-(defaults)}" frontend_load $XPF_PARAMS
	else
		ktap_check "load the in-tree xen-pcifront" frontend_load
	fi
}

step_edu_dma() {
	local b m m0 m1 c0 c1 t
	needs_dev edu edu_dma || return
	b=$(bdf_of edu) || { ktap_not_ok "edu_dma: edu present"; return; }
	m0=$(cstat 28 maps)
	c0=$(dstat coherent_buffers)
	# swiotlb=force on the command line: even a buffer fit for the device must bounce
	case " $LAB_ARGS " in
	*" swiotlb=force "*) m=bounce ;;
	*) m=direct ;;
	esac
	ktap_check "edu_dma: test module loaded (expect=$m) and bound to $b" \
		insmod /lab/modules/edu_dma.ko expect=$m
	[ -e /sys/bus/pci/drivers/edu_dma/$b ] || ktap_not_ok "edu_dma: bound to $b"
	tlb_watch start
	cat /sys/kernel/debug/edu_dma/run >/tmp/edu.out 2>&1
	t=$(tlb_watch stop)
	ktap_lift edu_dma /tmp/edu.out
	m1=$(cstat 28 maps)
	c1=$(dstat coherent_buffers)
	if [ "$DMA_MODE" = own ]; then
		echo "# edu_dma: 28-bit class: $(grep 'class 28-bit' $DMA_DBG/stats)"
		ktap_check "edu_dma: the mappings bounced through our 28-bit class (${m0:-none} -> ${m1:-none} maps)" \
			[ "${m1:-0}" -gt "${m0:-0}" ]
		ktap_check "edu_dma: the kernel's swiotlb stayed unused (max io_tlb_used $t)" same "$t" 0
		ktap_check "edu_dma: coherent buffers all freed (${c0:-none} -> ${c1:-none})" same "$c0" "$c1"
	fi
	rmmod edu_dma
}

# nvme_job TAG BS_KIB QD MIB: one verified nvme_aio run in this run's scratch region
nvme_job() {
	/lab/selftests/nvme_aio /dev/nvme0n1 $((NVME_BASE + 24)) 8 "$4" "$2" "$3" "$1" >/tmp/aio.out 2>&1
	ktap_lift nvme_aio /tmp/aio.out $?
	NVME_SCRATCH_WRITTEN=1
}

step_nvme_io() {
	local b0 b1 z0 z1 f0 f1 t combo bs qd mib total=0
	needs_dev nvme nvme_io || return
	nvme_up || { ktap_not_ok "nvme_io: /dev/nvme0n1 present"; return; }
	b0=$(dstat bounce_bytes)
	z0=$(dstat zero_copy_bytes)
	f0=$(dstat map_failures)
	tlb_watch start
	for combo in 4:1 4:16 128:1 128:8 1024:1 1024:4; do
		bs=${combo%:*}
		qd=${combo#*:}
		mib=$IO_MIB
		[ "$bs" -lt 64 ] && mib=$((IO_MIB / 4))
		[ "$mib" -lt 8 ] && mib=8
		nvme_job "bs${bs}k-qd$qd" "$bs" "$qd" "$mib"
		total=$((total + mib))
	done
	t=$(tlb_watch stop)
	b1=$(dstat bounce_bytes)
	z1=$(dstat zero_copy_bytes)
	f1=$(dstat map_failures)
	echo "# nvme_io: $total MiB written and read back; our stats now:"
	sed 's/^/#   /' $DMA_DBG/stats 2>/dev/null
	case $DMA_MODE in
	own)
		ktap_check "nvme_io: the kernel's swiotlb stayed unused (max io_tlb_used $t)" same "$t" 0
		if [ -n "$SWIOTLB_FORCE" ]; then
			# every byte written and read went through our pool (swiotlb=force: all bounce)
			ktap_check "nvme_io: our pool bounced $(((b1 - b0) >> 20)) MiB for $((2 * total)) MiB of I/O" \
				[ $(((b1 - b0) >> 20)) -ge $((2 * total)) ]
		else
			# without swiotlb=force what is not mapped directly is bounced: together all of it
			ktap_check "nvme_io: zero-copy $(((z1 - z0) >> 20)) MiB + bounced $(((b1 - b0) >> 20)) MiB cover $((2 * total)) MiB of I/O" \
				[ $(((z1 - z0 + b1 - b0) >> 20)) -ge $((2 * total)) ]
		fi
		ktap_check "nvme_io: no mapping failed (${f0:-none} -> ${f1:-none})" same "$f0" "$f1"
		;;
	kernel)
		ktap_check "nvme_io: bounce=kernel: the kernel's swiotlb carried the I/O (max io_tlb_used $t)" \
			[ "$t" -gt 0 ]
		ktap_check "nvme_io: bounce=kernel: our pool stayed unused (${b0:-none} -> ${b1:-none} bytes)" \
			same "$b0" "$b1"
		;;
	esac
}

# zero-copy: buffers that are machine-contiguous below the device's mask are mapped
# directly, others still bounce. A guest booted without swiotlb=force gets it as it is; under
# swiotlb=force only with the switch dma_honour_swiotlb_force=N, which this step sets.
step_zero_copy() {
	local p=/sys/module/xen_pcifront/parameters/dma_honour_swiotlb_force z0 z1 b0 b1 how
	[ "$DMA_MODE" = own ] || { ktap_not_ok "step zero_copy is for our own pools (this run: $DMA_MODE)"; return; }
	z0=$(dstat zero_copy_maps)
	how="no swiotlb=force"
	if [ -n "$SWIOTLB_FORCE" ]; then
		echo N >$p
		how="swiotlb=force, dma_honour_swiotlb_force=N"
	fi
	if has_dev edu && insmod /lab/modules/edu_dma.ko expect=direct; then
		cat /sys/kernel/debug/edu_dma/run >/tmp/edu.out 2>&1
		ktap_lift edu_dma-direct /tmp/edu.out
		rmmod edu_dma
	fi
	b0=$(dstat bounce_maps)
	if has_dev nvme && nvme_up; then
		nvme_job zc-bs128k-qd8 128 8 16
	fi
	z1=$(dstat zero_copy_maps)
	b1=$(dstat bounce_maps)
	[ -n "$SWIOTLB_FORCE" ] && echo Y >$p
	ktap_check "zero_copy ($how): machine-contiguous buffers below the mask mapped directly ($z0 -> $z1 maps; bounced meanwhile $((b1 - b0)))" \
		[ "${z1:-0}" -gt "${z0:-0}" ]
}

# pool_limit_hold: edu_dma holds 64 KiB mappings in edu's 28-bit class until one stays
# refused, with no timing in it (the refusals below the limit, retried once the pool grew;
# the one at the limit; room again after one unmap; data through the last mapping)
pool_limit_hold() {
	local b f0 f1 h u
	b=$(bdf_of edu) || { ktap_not_ok "pool_limit: edu present"; return; }
	ktap_check "pool_limit: edu_dma loaded (limit_kib=1024) and bound to $b" \
		insmod /lab/modules/edu_dma.ko limit_kib=1024
	[ -e /sys/bus/pci/drivers/edu_dma/$b ] || ktap_not_ok "pool_limit: edu_dma bound to $b"
	f0=$(cstat 28 full)
	cat /sys/kernel/debug/edu_dma/limit >/tmp/edu-limit.out 2>&1
	ktap_lift edu_dma_limit /tmp/edu-limit.out
	f1=$(cstat 28 full)
	h=$(cstat 28 held)
	u=$(cstat 28 used)
	echo "# pool_limit: $(grep 'class 28-bit' $DMA_DBG/stats)"
	ktap_check "pool_limit: the 28-bit class counted the refusals (${f0:-none} -> ${f1:-none})" \
		[ "${f1:-0}" -gt "${f0:-0}" ]
	ktap_check "pool_limit: the 28-bit class kept to its limit (${h:-none} bytes)" le "$h" 1048576
	ktap_check "pool_limit: every held mapping was given back (${u:-none} bytes in use)" same "$u" 0
	rmmod edu_dma
}

step_pool_limit() { # run it with lab.xpf_params=dma_pool_init_mib:0,dma_pool_max_mib:1
	local h h0 f0 f1 g0 g1 s0 n
	needs_dev nvme pool_limit || return
	needs_dev edu pool_limit || return
	nvme_up || { ktap_not_ok "pool_limit: /dev/nvme0n1 present"; return; }
	h=$(cstat 64 held)
	echo "# pool_limit: $(grep 'class 64-bit' $DMA_DBG/stats)"
	ktap_check "pool_limit: the 64-bit pool is tiny (${h:-no 64-bit class} bytes <= 1 MiB)" le "$h" 1048576
	# grow only when a mapping is refused, so the refusals do not depend on timing
	echo 100 >/sys/module/xen_pcifront/parameters/dma_pool_grow_pct
	f0=$(cstat 64 full)
	nvme_job tiny-bs1024k-qd16 1024 16 32
	f1=$(cstat 64 full)
	h=$(cstat 64 held)
	# whether nvme's requests meet a full pool rests on how fast the device drains them
	echo "# pool_limit: nvme mappings refused and retried by the block layer: $((f1 - f0))"
	ktap_check "pool_limit: the pool kept to its limit ($h bytes)" [ "$h" -le 1048576 ]
	pool_limit_hold
	# idle: the blocks grown beyond the initial one go back (the shrink work looks every 5 s)
	s0=$(cstat 64 shrinks)
	h0=$(cstat 64 held)
	echo 1 >/sys/module/xen_pcifront/parameters/dma_pool_idle_secs
	n=0
	while [ "$(cstat 64 held)" -gt 262144 ] && [ $n -lt 40 ]; do
		sleep 1
		n=$((n + 1))
	done
	echo 30 >/sys/module/xen_pcifront/parameters/dma_pool_idle_secs
	h=$(cstat 64 held)
	echo "# pool_limit: $(grep 'class 64-bit' $DMA_DBG/stats)"
	ktap_check "pool_limit: idle, the pool shrank back ($s0 -> $(cstat 64 shrinks) shrinks, $h0 -> $h bytes in ${n} s)" \
		[ "$(cstat 64 shrinks)" -gt "$s0" -a "$h" -lt "$h0" ]
	# a normal limit again: from its one small block the pool grows back (the first request
	# fills more than three quarters of it) and the same load runs
	g0=$(cstat 64 grows)
	echo 75 >/sys/module/xen_pcifront/parameters/dma_pool_grow_pct
	echo 64 >/sys/module/xen_pcifront/parameters/dma_pool_max_mib
	echo 0 >$DMA_DBG/hiwater
	f0=$(cstat 64 full)
	nvme_job normal-bs1024k-qd32 1024 32 32
	nvme_job normal2-bs1024k-qd32 1024 32 32
	f1=$(cstat 64 full)
	echo "# pool_limit: refused mappings under the normal limit: $((f1 - f0)), hiwater $(cat $DMA_DBG/hiwater)"
	g1=$(cstat 64 grows)
	h=$(cstat 64 held)
	echo "# pool_limit: $(grep 'class 64-bit' $DMA_DBG/stats)"
	ktap_check "pool_limit: under dma_pool_max_mib=64 the pool grew ($g0 -> $g1 grows, $h bytes)" \
		[ "$g1" -gt "$g0" -a "$h" -gt 1048576 ]
}

# one unload of the frontend with its leak checks; $1 = cycle tag
dma_unload_check() {
	local line low coh mem
	dmesg -c >/dev/null
	frontend_unload || { ktap_not_ok "dma_leak: $1: frontend unloaded"; return 1; }
	line=$(dmesg | grep 'DMA layer down:' | tail -1)
	echo "# dma_leak: $1: ${line#*] }"
	low=$(echo "$line" | sed -n 's/.*low_pages_held \([-0-9]*\).*/\1/p')
	coh=$(echo "$line" | sed -n 's/.*coherent_buffers \([-0-9]*\).*/\1/p')
	ktap_check "dma_leak: $1: all low machine memory given back to Xen (low_pages_held ${low:-?})" \
		[ "$low" = 0 ]
	ktap_check "dma_leak: $1: no coherent buffer left (${coh:-?})" [ "$coh" = 0 ]
	! dmesg | grep -q 'still mapped at exit\|giving back.*failed\|pages lost' ||
		ktap_not_ok "dma_leak: $1: exit reported leftovers: $(dmesg | grep -m1 'still mapped\|giving back\|lost')"
	mem=$(memfree_kb)
	MEM_LAST=$mem
	echo "# dma_leak: $1: MemFree $mem kB, before the first load $MEM0 kB"
	# Each class starts with a 4 MiB pool: a pool not given back costs at least that. The
	# rest (slab, page tables of the reloads) moves by up to about 3 MiB and then stays.
	ktap_check "dma_leak: $1: MemFree back to the start, less than one pool lost ($((mem - MEM0)) kB)" \
		[ $((MEM0 - mem)) -lt 4096 ]
}

step_dma_leak() { # needs mem_mark before the first load
	local c prev= d deltas= med
	needs_dev nvme dma_leak || return
	[ -n "$MEM0" ] || { ktap_not_ok "dma_leak: mem_mark ran before the load"; return; }
	nvme_up || { ktap_not_ok "dma_leak: nvme present"; return; }
	nvme_job busy-before 128 8 16
	for c in 1 2 3 4 5 6 7 8; do
		dma_unload_check "cycle $c" || return
		if [ $c -gt 4 ]; then
			d=$((MEM_LAST - prev))
			deltas="$deltas $d"
		fi
		prev=$MEM_LAST
		# shellcheck disable=SC2086
		insmod /lab/xen-pcifront.ko $XPF_PARAMS || { ktap_not_ok "dma_leak: cycle $c: reload"; return; }
		ktap_check "dma_leak: cycle $c: pool made again by XENMEM_exchange after reload ($(dstat low_pages_held) low pages)" \
			[ "$(dstat exchange_ok)" -gt 0 -a "$(dstat low_pages_held)" -gt 0 ]
		if [ $c = 1 ]; then
			# the hand-over keeps the connection across the reload: nvme must come back
			if wait_dev nvme 1 30 && nvme_up; then
				nvme_job busy-after 128 8 16
			else
				ktap_not_ok "dma_leak: nvme back within 30 s of the reload"
			fi
		fi
	done
	# steady state: a leak per load/unload takes the same amount in every cycle, while the
	# page cache or a slab page moves MemFree once in a while; so the median of the changes
	# over cycles 4..8 must be under a quarter MiB (the smallest block a pool loses)
	med=$(echo "$deltas" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print int((v[2] + v[3]) / 2) }')
	ktap_check "dma_leak: MemFree steady over the last 4 load/unload cycles (changes:$deltas kB; median $med kB)" \
		[ "$med" -gt -256 ]
}

# bench_run WHAT CFG: one run of the debugfs benchmark; its result line in BENCH_OUT (also
# printed as a comment); a run that did not start or counted errors is a failure, named WHAT
bench_run() {
	if ! echo "$2" >$DMA_DBG/bench 2>/dev/null; then
		ktap_not_ok "bench_dma: $1 starts: $(cat $DMA_DBG/bench 2>&1)"
		return 1
	fi
	BENCH_OUT=$(cat $DMA_DBG/bench)
	echo "# bench_dma: $BENCH_OUT"
	case $BENCH_OUT in
	*" errors=0"*) ;;
	*) ktap_not_ok "bench_dma: $1 without errors"; return 1 ;;
	esac
}

# bench_field NAME: that number of BENCH_OUT
bench_field() {
	echo "$BENCH_OUT" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}

# map+unmap latency of the nvme device on each of OPS (own kernel, or kernel), 1 and 2
# threads, 4 and 64 KiB, BENCH_REPS times, the layers alternating so a slow spell of the
# emulation hits both; and, each repetition, a memcpy() of the same sizes, so the report can
# tell the two copies of a bidirectional bounce (one at map, one at unmap, in both layers)
# from what each layer spends beyond them
bench_ops() {
	local b=$1 ops th g mean cp r=0
	shift
	while [ $r -lt "$BENCH_REPS" ]; do
		r=$((r + 1))
		for g in 1 16; do
			bench_run "memcpy() granule=$g" "ops=memcpy threads=1 granule=$g seconds=1" || return
			cp=$(bench_field mean_ns)
			echo "LAB-METRIC memcpy_ns g$g mean=$cp"
			for th in 1 2; do
				for ops in "$@"; do
					bench_run "map+unmap ops=$ops threads=$th granule=$g" \
						"dev=$b ops=$ops threads=$th granule=$g seconds=2 dir=bidi" || return
					mean=$(bench_field mean_ns)
					echo "LAB-METRIC map_unmap_ns $ops-t$th-g$g mean=$mean stddev=$(bench_field stddev_ns)"
					[ "$th" = 1 ] && [ -n "$cp" ] && [ -n "$mean" ] &&
						echo "LAB-METRIC map_unmap_beyond_copies_ns $ops-t1-g$g value=$((mean - 2 * cp))"
				done
			done
		done
	done
	ktap_ok "bench_dma: map+unmap on $* ops, 1 and 2 threads, 4 and 64 KiB, $BENCH_REPS times, no errors"
}

# ceiling_run WHAT CFG: one 64 KiB run of bench_ceiling; its mean in CEIL_NS
ceiling_run() {
	bench_run "64 KiB $1 run" "$2" || return
	CEIL_NS=$(bench_field mean_ns)
}

# the bounce ceiling: a 64 KiB to-device bounce (one copy, at map) against a plain 64 KiB
# memcpy() in the same guest, alternating, BENCH_REPS times
bench_ceiling() {
	local b=$1 r=0 cp= bo=
	while [ $r -lt "$BENCH_REPS" ]; do
		r=$((r + 1))
		ceiling_run memcpy "ops=memcpy threads=1 granule=16 seconds=2" || return
		cp=$CEIL_NS
		ceiling_run own "dev=$b ops=own threads=1 granule=16 seconds=2 dir=to" || return
		bo=$CEIL_NS
		[ -n "$cp" ] && [ -n "$bo" ] && [ "$cp" -gt 0 ] && [ "$bo" -gt 0 ] ||
			{ ktap_not_ok "bench_dma: 64 KiB memcpy and bounce times read (memcpy=$cp own=$bo)"; return; }
		# MB/s of 64 KiB: 65536 bytes per mean_ns
		echo "LAB-METRIC copy64k_mb_s memcpy=$((65536000 / cp)) own_bounce_to=$((65536000 / bo))"
		echo "LAB-METRIC bounce_of_memcpy_pct 64k=$((100 * cp / bo))"
	done
	ktap_ok "bench_dma: 64 KiB bounce against memcpy, $BENCH_REPS times (last: memcpy $cp ns, bounce $bo ns)"
}

step_bench_dma() {
	local b r t
	needs_dev nvme bench_dma || return
	nvme_up || { ktap_not_ok "bench_dma: /dev/nvme0n1 present"; return; }
	# the jobs alternate, so a slow spell of the emulation hits both depths alike; each
	# repetition also times 1 GiB from /dev/zero, no device and no frontend in it: how
	# fast the emulation ran this run, so runs of one boot can be compared at all
	r=0
	while [ $r -lt "$BENCH_REPS" ]; do
		r=$((r + 1))
		t=$(ms)
		dd if=/dev/zero of=/dev/null bs=64k count=16384 2>/dev/null
		echo "LAB-METRIC speed_gauge_ms zero1g=$(($(ms) - t))"
		nvme_job seq128k-qd1 128 1 "$IO_MIB"
		nvme_job seq128k-qd8 128 8 "$IO_MIB"
	done
	b=$(bdf_of nvme)
	case $DMA_MODE in
	own) bench_ops "$b" own kernel; bench_ceiling "$b" ;;
	kernel) bench_ops "$b" kernel ;;
	esac
}

# last step of a run that wrote the scratch region: the host then finds the same bytes in
# nvme.img, so the data really went through the device, not a cache of the domU
step_nvme_host_pattern() {
	local md5 zero
	needs_dev nvme nvme_host_pattern || return
	[ -n "$NVME_SCRATCH_WRITTEN" ] || { ktap_not_ok "nvme_host_pattern: an nvme_io job wrote the scratch region first"; return; }
	[ -b /dev/nvme0n1 ] || { ktap_not_ok "nvme_host_pattern: /dev/nvme0n1 present"; return; }
	md5=$(dd if=/dev/nvme0n1 bs=1M skip=$((NVME_BASE + 24)) count=8 iflag=direct 2>/dev/null |
		md5sum | cut -d' ' -f1)
	# the image starts as zeros: a region that still reads as zeros proves nothing
	zero=$(dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum | cut -d' ' -f1)
	ktap_check "nvme_host_pattern: the 8 MiB scratch region holds written data ($md5)" [ "$md5" != "$zero" ]
	echo "LAB-NVME-PATTERN off=$((NVME_BASE + 24)) mb=8 md5=$md5"
}

# fio_job NAME RW BS_KIB QD MIB: one verified fio job pair on the run's fio region (two jobs
# of MIB/2 each, in their own 32 MiB halves; more than 64 MiB loops over the region)
fio_job() {
	local name=$1 rw=$2 bs=$3 qd=$4 mib=$5 size loops out rc err rkb wkb rbw wbw want
	size=$((mib / 2))
	loops=1
	if [ $size -gt 32 ]; then
		loops=$(((size + 31) / 32))
		size=32
	fi
	out=$(fio --name="$name" --filename=/dev/nvme0n1 --ioengine=libaio --direct=1 \
		--rw="$rw" --bs="${bs}k" --iodepth="$qd" --numjobs=2 \
		--offset=$((NVME_BASE + 160))M --offset_increment=32M --size=${size}M --loops=$loops \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --group_reporting \
		--output-format=terse --terse-version=3 2>&1)
	rc=$?
	# terse v3: 5 error, 6 read KiB, 7 read KiB/s, 47 write KiB, 48 write KiB/s
	set -- $(echo "$out" | awk -F';' '$1 == 3 { print $5, $6, $7, $47, $48 }' | tail -1)
	err=${1:-} rkb=${2:-} rbw=${3:-} wkb=${4:-} wbw=${5:-}
	echo "$out" | grep -v '^3;' | grep -v 'multiple writers may overwrite' | sed "s/^/# fio $name: /"
	if [ $rc != 0 ] || [ "$err" != 0 ] || [ -z "$wkb" ]; then
		ktap_not_ok "nvme-fio: $name ($rw ${bs}k qd$qd) ran without error (rc $rc, error ${err:-none})"
		return
	fi
	echo "LAB-METRIC fio_kib_s $name read=$rbw write=$wbw"
	# what was written was read back and verified; the mix does MIB of reads and writes
	# together, and reads on its own too
	want=$wkb
	[ "$rw" = randrw ] && want=$((wkb + rkb))
	ktap_check "nvme-fio: $name ($rw ${bs}k qd$qd): $((wkb >> 10)) MiB written, $((rkb >> 10)) MiB read and verified" \
		[ "$want" -ge $((mib << 10)) -a "$rkb" -ge "$wkb" ]
	FIO_VERIFIED=$((FIO_VERIFIED + rkb))
}

step_nvme_fio() {
	local qd b0 b1 f0 f1
	needs_dev nvme nvme-fio || return
	command -v fio >/dev/null || { ktap_not_ok "nvme-fio: fio is in the domU image"; return; }
	nvme_up || { ktap_not_ok "nvme-fio: /dev/nvme0n1 present"; return; }
	FIO_VERIFIED=0
	b0=$(dstat bounce_bytes)
	f0=$(dstat map_failures)
	for qd in $FIO_QDS; do
		fio_job "seq128k-qd$qd" write 128 "$qd" "$FIO_MIB"
		fio_job "rand4k-qd$qd" randwrite 4 "$qd" "$FIO_RAND_MIB"
		fio_job "randrw4k-qd$qd" randrw 4 "$qd" "$FIO_RAND_MIB"
	done
	echo "# nvme-fio: $((FIO_VERIFIED >> 10)) MiB verified; our stats now:"
	sed 's/^/#   /' $DMA_DBG/stats 2>/dev/null
	if [ "$DMA_MODE" = own ]; then
		b1=$(dstat bounce_bytes)
		f1=$(dstat map_failures)
		# swiotlb=force: every byte written and read went through our pool
		[ -z "$SWIOTLB_FORCE" ] ||
			ktap_check "nvme-fio: our pool bounced the I/O (${b0:-none} -> ${b1:-none} bytes for $((FIO_VERIFIED >> 10)) MiB verified)" \
				le $((b0 + (FIO_VERIFIED << 10))) "$b1"
		ktap_check "nvme-fio: no mapping failed (${f0:-none} -> ${f1:-none})" same "$f0" "$f1"
	fi
}

step_edu_msi() {
	local b
	needs_dev edu edu-msi || return
	b=$(bdf_of edu) || { ktap_not_ok "edu-msi: edu present"; return; }
	insmod /lab/modules/edu_dma.ko 2>/dev/null
	if [ ! -e /sys/bus/pci/drivers/edu_dma/$b ]; then
		ktap_not_ok "edu-msi: edu_dma bound to $b"
		return
	fi
	cat /sys/kernel/debug/edu_dma/msi >/tmp/edu-msi.out 2>&1
	ktap_lift edu-msi /tmp/edu-msi.out
	rmmod edu_dma
}

# the debug guest kernel's kmemleak: after a scan (twice: a fresh object is only reported
# once it stayed unreferenced over two scans), no report whose backtrace passes through
# our module or the test drivers
step_kmemleak() {
	local f=/sys/kernel/debug/kmemleak n
	if [ ! -w $f ]; then
		ktap_not_ok "kmemleak: $f is there (the run needs kernel=debug)"
		return
	fi
	echo scan >$f
	sleep 5
	echo scan >$f
	cat $f >/tmp/kmemleak.out
	n=$(grep -c '^unreferenced object' /tmp/kmemleak.out)
	echo "# kmemleak: $n unreferenced objects in all"
	grep -E 'xen_pcifront|xpf_|edu_dma|bar64' /tmp/kmemleak.out | head -20 | sed 's/^/# kmemleak: /'
	ktap_check "kmemleak: nothing of ours unreferenced" sh -c \
		"! grep -qE 'xen_pcifront|xpf_|edu_dma|bar64' /tmp/kmemleak.out"
	# the DMA-API debug code prints its first error only, and counts them all
	f=/sys/kernel/debug/dma-api/error_count
	n=$(cat $f 2>/dev/null)
	ktap_check "DMA-API debug: no error in the whole run (error_count ${n:-unreadable})" same "$n" 0
}
