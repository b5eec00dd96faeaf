#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh - the harness tests itself, in seconds and without QEMU. The host's verdict
# (verdict.sh), the check stages (scripts/stage.sh), the KTAP writer and lifter (ktap.sh)
# and the real domU steps (lablib.sh, steps/*.sh) are fed broken inputs: a log with a
# "kernel BUG at" line, a run that never finished, a cut relay, a step that printed
# nothing, a stats file without the class line, ... Each must come out "not ok"; clean
# inputs (the controls) must come out "ok", so that a harness failing everything cannot
# pass either. KTAP on stdout.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
N=0 FAILED=0

result() { # PASS NAME
	N=$((N + 1))
	if [ "$1" = 1 ]; then
		echo "ok $N - $2"
	else
		FAILED=$((FAILED + 1))
		echo "not ok $N - $2"
	fi
}

# caught NAME CMD...: the harness, run as CMD, must report a failure ("not ok" in its
# output and a non-zero status)
caught() { # [WHY=ERE] NAME CMD...: the failure line must also match WHY
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc != 0 ] && grep '^not ok' <<<"$out" | grep -E -- "${WHY:-.}" >/dev/null; then
		result 1 "caught: $name"
	else
		result 0 "caught: $name (status $rc, $(grep -c '^not ok' <<<"$out") failures)"
		sed 's/^/# /' <<<"$out" | tail -15
	fi
}

# clean NAME CMD...: the harness must report no failure on a clean input
clean() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ] && ! grep -q '^not ok' <<<"$out" && grep -q '^ok' <<<"$out"; then
		result 1 "clean: $name"
	else
		result 0 "clean: $name (status $rc)"
		sed 's/^/# /' <<<"$out" | tail -15
	fi
}

echo "KTAP version 1"

# ------------------------------------------------------------------ the host's verdict
. "$HERE/verdict.sh"
printf 'r1 ours nvme load+visible\n# a comment\nr2 intree nvme load+visible\n' >"$T/plan"
dd if=/dev/urandom of="$T/img" bs=1M count=2 2>/dev/null
md5=$(dd if="$T/img" bs=1M skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)
run_lines() { # RUN: a run that went well
	cat <<-EOF
		[  10.000] [dU:$1] LAB-DOMU[$1]: booted ${3:-6.1.0-56-amd64}, frontend ours, devices: nvme, steps: load
		[  10.010] [dU:$1] KTAP version 1
		[  10.100] [dU:$1] ok 1 - load our xen-pcifront.ko
		[  10.200] [dU:$1] LAB-NVME-PATTERN off=1 mb=1 md5=$md5
		[  10.300] [dU:$1] ok 2 - nvme: dma: 1 MiB O_DIRECT write and read-back match
		[  10.350] [dU:$1] LAB-CFG nvme 00: 36 1b 10 00 07 05 10 00 02 02 08 01 00 00 00 00
		[  10.400] [dU:$1] 1..2
		[  10.500] [dU:$1] LAB-DOMU[$1]: LAB-DONE failed=0
		[  11.000] [d0] ok $2 - $1: domU ran all its steps and powered off
	EOF
}
good_log() {
	echo '[   1.000] (XEN) Intel VT-d iommu 0 supported page sizes: 4kB, 2MB, 1GB'
	echo '[   2.000] [d0] ok 1 - xl pci-assignable-add nvme (0000:00:05.0)'
	run_lines r1 2
	echo '[  10.600] [dU:r1] # LAB-BAR64-PATTERN off=4096 seed=7'
	run_lines r2 3
	echo '[  20.000] [d0] 1..3'
	echo '[  20.100] LAB-DOM0[20.1]: FINISHED status=0'
}
good_log >"$T/good.log"
# ivshmem's file: the words 7, 8, ... at 4096, as run r1 wrote them through BAR2
LC_ALL=C awk 'BEGIN { for (i = 0; i < 1024; i++) printf "%c%c%c%c", (7 + i) % 256, int((7 + i) / 256), 0, 0 }' |
	dd of="$T/shm" bs=4096 seek=1 2>/dev/null
v() { lab_verdict "$1" "${2:-$T/plan}" "$T/img" "$T/shm"; }
clean "verdict on a boot where everything went well" v "$T/good.log"

# one broken log per failure mode: LINE to add after the first run's first result
bad_with() { # NAME LINE
	sed "3a $2" "$T/good.log" >"$T/bad.log"
	WHY="${3:-no oops}" caught "verdict: $1" v "$T/bad.log"
}
bad_with "kernel BUG at" '[  10.150] [dU:r1] [   5.1] kernel BUG at lib/list_debug.c:62!'
bad_with "invalid opcode" '[  10.150] [dU:r1] [   5.1] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI'
bad_with "Xen domain_crash" '[  10.150] (XEN) d1v0 domain_crash called from arch/x86/traps.c:1234'
bad_with "hung task" '[  10.150] [dU:r1] [ 40.0] INFO: task kworker/0:1:23 blocked for more than 30 seconds.'
bad_with "soft lockup" '[  10.150] [dU:r1] [ 40.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:99]'
bad_with "RCU stall" '[  10.150] [dU:r1] [ 40.0] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:'
bad_with "lockdep report" '[  10.150] [dU:r1] [  5.0] WARNING: possible circular locking dependency detected'
bad_with "DMA-API report" '[  10.150] [dU:r1] [  5.0] DMA-API: edu_dma 0000:00:01.0: cacheline tracking EEXIST, overlapping mappings aren'"'"'t supported'
sed "3a [  10.150] [dU:r1] [  3.7] DMA-API: preallocated 65536 debug entries" "$T/good.log" >"$T/dmaapi.log"
clean "verdict: the DMA-API debug code's boot lines are no report" v "$T/dmaapi.log"
# the rogue backend says what the frontend must do: its words are no report
sed "3a [  10.150] # rogue slow-loris: ROGUE: [     2 ms] the frontend must: waits each one out, no timeout, no soft lockup or RCU stall in the guest" \
	"$T/good.log" >"$T/narrate.log"
clean "verdict: the rogue backend naming a soft lockup it must not cause is no report" v "$T/narrate.log"
bad_with "slab debug report" '[  10.150] [dU:r1] [  5.0] BUG kmalloc-64 (Not tainted): Redzone overwritten'
bad_with "KASAN report" '[  10.150] [dU:r1] [  5.0] ==================== KASAN: use-after-free in xpf_op+0x10/0x20'
bad_with "UBSAN report" '[  10.150] [dU:r1] [  5.0] UBSAN: shift-out-of-bounds in pcifront/op.c:12:3'
bad_with "Call Trace" '[  10.150] 6.1 dom0 Call Trace:'
bad_with "Oops in dom0" '[  10.150] Oops: 0002 [#1] PREEMPT SMP NOPTI'
bad_with "a failed result" '[  10.150] [dU:r1] not ok 9 - nvme: something' 'r1: nvme: something'

sed '/\[dU:r2\] 1\.\.2/d; /\[dU:r2\] .*LAB-DONE/d' "$T/good.log" >"$T/bad.log"
caught "verdict: a run that never finished (no plan line, no LAB-DONE)" v "$T/bad.log"
sed '/\[dU:r2\] ok 2 /d' "$T/good.log" >"$T/bad.log"
caught "verdict: a cut relay (declared 1..2, one result arrived)" v "$T/bad.log"
sed '/\[dU:r2\]/d' "$T/good.log" >"$T/bad.log"
caught "verdict: a plan run missing from the log" v "$T/bad.log"
printf 'r1 ours nvme load\nr2 intree nvme load\nr3 ours\n' >"$T/plan3"
caught "verdict: a plan line dom0 could not run (too few fields)" v "$T/good.log" "$T/plan3"
sed 's/LAB-DONE failed=0/LAB-DONE failed=1/' "$T/good.log" >"$T/bad.log"
caught "verdict: the domU counted a failure the host did not see" v "$T/bad.log"
sed 's/\[d0\] 1\.\.3/[d0] 1..4/' "$T/good.log" >"$T/bad.log"
caught "verdict: dom0 declared more results than arrived" v "$T/bad.log"
sed '/FINISHED/d' "$T/good.log" >"$T/bad.log"
caught "verdict: dom0 never finished" v "$T/bad.log"
sed "0,/md5=$md5/s//md5=0123456789abcdef0123456789abcdef/" "$T/good.log" >"$T/bad.log"
caught "verdict: an nvme pattern that is not in the backing file" v "$T/bad.log"
sed 's/LAB-BAR64-PATTERN off=4096 seed=7/LAB-BAR64-PATTERN off=4096 seed=8/' "$T/good.log" >"$T/bad.log"
caught "verdict: a BAR2 pattern that is not in the ivshmem file" v "$T/bad.log"
sed '/\[dU:r2\] LAB-CFG/d' "$T/good.log" >"$T/bad.log"
caught "verdict: config space dumped by one run only" v "$T/bad.log"
sed '/\[dU:r2\] LAB-CFG/s/ 36 1b / 37 1b /' "$T/good.log" >"$T/bad.log"
caught "verdict: config space that differs between the runs" v "$T/bad.log"
sed '/\[dU:r2\] LAB-DOMU\[r2\]: booted/s/booted 6.1.0-56-amd64/booted 6.12.118+deb13-amd64/' "$T/good.log" >"$T/bad.log"
caught "verdict: config space of two runs on different domU kernels is not compared" v "$T/bad.log"
sed '/\[dU:r2\] LAB-DOMU\[r2\]: booted/d' "$T/good.log" >"$T/bad.log"
caught "verdict: config space of a run whose kernel is not in the log" v "$T/bad.log"
: >"$T/empty.log"
caught "verdict: an empty log" v "$T/empty.log"
printf '# nothing\n' >"$T/noplan"
caught "verdict: a plan without runs" v "$T/good.log" "$T/noplan"

# ------------------------------------------------------------------ the check stages
. "$TOP/scripts/stage.sh"
in_stage() { # CMD...: one stage in a private result list, then its summary
	stage_init "$T/results" "$T/logs"
	stage s 1 "$@"
	stage_summary
}
clean "stage: results that match their plan" in_stage printf 'ok 1 - a\nok 2 - b\n1..2\n'
caught "stage: a stage that prints nothing and fails (lab preparation died)" \
	in_stage sh -c 'echo "== lab: ERROR: debootstrap failed" >&2; exit 1'
caught "stage: a stage that prints nothing and exits 0" in_stage true
caught "stage: a program that crashed after its plan line (printed 1..3, one result)" \
	in_stage sh -c 'echo 1..3; echo "ok 1 - a"; kill -SEGV $$'
caught "stage: all results ok but a non-zero exit status" in_stage sh -c 'printf "ok 1 - a\n1..1\n"; exit 2'
caught "stage: results without a plan line" in_stage printf 'ok 1 - a\n'
caught "stage: fewer results than the stage's minimum" \
	bash -c ". '$TOP/scripts/stage.sh'; stage_init '$T/r2' '$T/l2'; stage s 3 printf 'ok 1 - a\n1..1\n'; stage_summary"
bg_stage() { # CMD...: CMD as a background stage, with a foreground stage between
	stage_init "$T/results" "$T/logs"
	stage_bg s "$@"
	stage f 1 printf 'ok 1 - meanwhile\n1..1\n'
	stage_fg s 1
	stage_summary
}
clean "stage: a background stage counted after the stage that ran beside it" \
	bg_stage sh -c 'sleep 1; printf "ok 1 - a\nok 2 - b\n1..2\n"'
caught "stage: a background stage whose results are ok but whose status is not" \
	bg_stage sh -c 'printf "ok 1 - a\n1..1\n"; exit 3'
WHY="never started" caught "stage: waiting for a background stage that was never started" \
	bash -c ". '$TOP/scripts/stage.sh'; stage_init '$T/r4' '$T/l4'; stage_fg nothing 1; stage_summary"
out=$(bash -c ". '$TOP/scripts/stage.sh'; stage_init '$T/r3' '$T/l3'; stage_summary")
rc=$?
[ $rc != 0 ] && [ "$(tail -1 <<<"$out")" = "0 passed, 1 failed" ]
result $((! $?)) "caught: stage: a summary of nothing at all is '0 passed, 1 failed' (status $rc)"

# ------------------------------------------------------------------ ktap.sh and the steps
# each case runs in a shell of its own, as the domU's busybox sh would run it
steps_sh() { # SCRIPT: ktap.sh, lablib.sh and the steps sourced, with no lab around them
	LAB_ARGS="lab.run=t lab.fe=ours lab.devs=nvme+edu" LAB_DEVICES="$HERE/devices" \
		XPF_DBG="$T/dbg" TLB_USED="$T/dbg/none" sh -c "
		. '$HERE/ktap.sh'; . '$HERE/lablib.sh'
		for f in '$HERE'/steps/*.sh; do . \"\$f\"; done
		$1
		ktap_plan
		[ \$KTAP_FAILED = 0 ]" 2>/dev/null
}
mkdir -p "$T/dbg/dma"
clean "ktap: ktap_step with a step that reports" steps_sh 'ok_step() { ktap_ok x; }; ktap_step ok ok_step'
WHY="step quiet: reported no result" caught "ktap: a step that printed nothing" steps_sh 'quiet() { echo "just talk"; }; ktap_step quiet quiet'
printf 'KTAP version 1\nok 1 - a\nok 2 - b\n1..2\n' >"$T/prog.ok"
clean "ktap: lifting a program whose results match its plan" steps_sh "ktap_lift prog '$T/prog.ok' 0"
printf 'KTAP version 1\n1..3\nok 1 - a\nok 2 - b\n' >"$T/prog.short"
WHY="declared 1..3, printed 2" caught "ktap: lifting a program that stopped short of its plan" steps_sh "ktap_lift prog '$T/prog.short' 139"
WHY="skipped itself" caught "ktap: lifting a program that skipped itself (exit 4) where it was run on purpose" \
	steps_sh "ktap_lift prog '$T/prog.ok' 4"
: >"$T/prog.none"
WHY="printed no result" caught "ktap: lifting a program that printed nothing" steps_sh "ktap_lift prog '$T/prog.none' 0"
printf 'ok 1 - a\n1..1\n' >"$T/prog.one"
WHY="exit status 1 with every result ok" caught "ktap: lifting a program that exited 1 with every result ok" steps_sh "ktap_lift prog '$T/prog.one' 1"
caught "ktap: ktap_run_selftest of a program that is not there" steps_sh "ktap_run_selftest '$T/nothing'"

# the DMA steps' counters: a stats file without the class line, or no stats at all
printf 'held_bytes 0\nused_bytes 0\nmap_failures 0\n' >"$T/dbg/dma/stats"
WHY="64-bit pool is tiny \(no 64-bit class" caught "steps: cstat of a class the stats do not have is no number (pool_limit)" \
	steps_sh 'nvme_up() { return 0; }; nvme_job() { :; }; step_pool_limit'
clean "steps: same/le on numbers" steps_sh 'ktap_check a same 3 3; ktap_check b le 2 3'
WHY="not ok 1 - x" caught "steps: two missing values are not the same" steps_sh 'ktap_check x same "" ""'
WHY="not ok 1 - x" caught "steps: a missing value is not below a bound" steps_sh 'ktap_check x le "" 5'
WHY="transport stats of 0" caught "steps: xpf-stats without a debugfs stats file (the dma/stats file does not count)" \
	steps_sh 'step_xpf_stats'
WHY="hotplug counters" caught "steps: hp-stats without hotplug counters" steps_sh 'step_hp_stats'
WHY="trace: tracefs" caught "steps: trace in a run of ours without tracefs (a failure, not a skip)" \
	steps_sh "TRACEFS='$T/none'; step_trace"
WHY="wrote the scratch region" caught "steps: nvme_host_pattern when nothing wrote the region" \
	steps_sh '[ -b /dev/null ]; step_nvme_host_pattern'
WHY="needs e1000e" caught "steps: a step for a device the run does not have" steps_sh 'step_e1000e_link'
WHY="28-bit class \(none -> none" caught "steps: edu_dma with no 28-bit class and no swiotlb counter" \
	steps_sh 'insmod() { return 0; }; rmmod() { :; }; bdf_of() { echo 0000:00:01.0; }; step_edu_dma'

# ------------------------------------------------------------------ dom0's kernel log
# dom0-init's kmsg_mark/kmsg_since on a full ring (late in a long boot every new line pushes
# an old one out, so a line count taken before a cue stays the same after it)
eval "$(sed -n '/^kmsg_mark() {/,/^}/p; /^kmsg_since() {/,/^}/p' "$HERE/dom0-init")"
ring_push() { # LINE: into a ring of 20 lines
	{ cat "$T/ring"; echo "[ 9.9] $1"; } | tail -20 >"$T/ring.new"
	mv "$T/ring.new" "$T/ring"
}
kmsg_ring() { # VERDICT [flood]: ok when a successful recovery is found after the mark
	local mark i
	: >"$T/ring"
	for i in $(seq 40); do ring_push "old line $i"; done
	dmesg() { cat "$T/ring"; }
	KMSG=$T/kmsg.w
	mark=$(kmsg_mark)
	ring_push "$(cat "$T/kmsg.w")"
	for i in $(seq 5); do ring_push "cue line $i"; done
	ring_push "pcieport 0000:00:06.0: AER: device recovery $1"
	[ "${2:-}" = flood ] && for i in $(seq 30); do ring_push "flood $i"; done
	if kmsg_since "$mark" | grep 'device recovery successful' >/dev/null &&
		! kmsg_since "$mark" | grep 'old line' >/dev/null; then
		echo "ok 1 - the line after the mark found, none before it"
	else
		echo "not ok 1 - no recovery line after the mark"
		return 1
	fi
}
declare -F kmsg_mark kmsg_since >/dev/null ||
	result 0 "dom0 kernel log: kmsg_mark and kmsg_since not found in dom0-init"
clean "dom0 kernel log: a cue's lines found after its mark in a full ring" kmsg_ring successful
caught "dom0 kernel log: a failed recovery is no success" kmsg_ring failed
caught "dom0 kernel log: a mark flooded out of the ring finds nothing" kmsg_ring successful flood

# ------------------------------------------------------------------ report.sh
# the rounds of a run (NAME-rN) are one run, its median over all of them; warm-up runs
# are left out
report_rounds() { # LOG
	local tsv
	tsv=$("$HERE/report.sh" "$1" --tsv) || { echo "not ok 1 - report.sh failed"; return 1; }
	sed 's/^/# /' <<<"$tsv"
	if [ "$(printf '%s\n' "$tsv" | grep -c .)" = 2 ] &&
		printf '%s\n' "$tsv" | grep -P '^visible_ms value\tintree\t20\t10\t30$' >/dev/null &&
		printf '%s\n' "$tsv" | grep -P '^visible_ms value\tours\t5\t5\t5$' >/dev/null; then
		echo "ok 1 - report: rounds merged, warm-up left out"
	else
		echo "not ok 1 - report: rounds not merged as NAME, or the warm-up counted"
		return 1
	fi
}
{
	echo '[  1.0] [dU:warmup] LAB-METRIC visible_ms 1000'
	echo '[  2.0] [dU:intree-r1] LAB-METRIC visible_ms 10'
	echo '[  3.0] [dU:ours-r1] LAB-METRIC visible_ms 5'
	echo '[  4.0] [dU:intree-r2] LAB-METRIC visible_ms 30'
} >"$T/rounds.log"
clean "report: the rounds of a run are one run, the warm-up run left out" report_rounds "$T/rounds.log"
sed 's/intree-r2/intree-x2/' "$T/rounds.log" >"$T/rounds.bad"
caught "report: a run that is not a round (intree-x2) stays a run of its own" report_rounds "$T/rounds.bad"

# ------------------------------------------------------------------ benchmarks.sh
# the NIC's bound: 50 MB bounced in a 10 s step whose iperf3 tests took 5 s, copied twice
# at 100 MB/s, is 1 s: 10 % of the step (best 1.11), 20 % of iperf3 (best 1.25); a run
# without a metric gets no bar in its chart
bench_page() { # LOG
	local out=$T/bench/benchmarks.md err
	rm -rf "$T/bench"
	err=$("$HERE/benchmarks.sh" "$1" "$out" 2>&1 >/dev/null) ||
		{ echo "not ok 1 - benchmarks.sh failed: $err"; return 1; }
	sed -n '/^| round /,/^$/p' "$out" | sed 's/^/# /'
	if ! grep -F '| ours-r1 | 10.0 | 50000000 | 1.00 | 10.0 % (1.11) | 5.0 | 20.0 % (1.25) |' "$out" >/dev/null; then
		echo "not ok 1 - benchmarks: no NIC bound of 10 % (1.11) / 20 % (1.25) for ours-r1"
		return 1
	fi
	if grep -F '<title>intree</title>' "$T/bench/bench/copy64k_mb_s.svg" >/dev/null ||
		[ -n "$err" ]; then
		echo "not ok 1 - benchmarks: a chart has a series of a run without data: $err"
		return 1
	fi
	echo "ok 1 - benchmarks: the NIC's bound, and charts only of runs with data"
}
{
	echo '[  1.0] [dU:intree-r1] LAB-METRIC nic_tcp_mbit_s send-1 value=50'
	echo '[  2.0] [dU:ours-r1] # nic: pool before: bounce_bytes 1000'
	echo '[  4.0] [dU:ours-r1] # nic: iperf3 send-1: [  5]   0.00-2.50   sec  4 MBytes  50 Mbits/sec   receiver'
	echo '[  6.0] [dU:ours-r1] # nic: iperf3 recv-1: [  5]   0.00-2.50   sec  4 MBytes  50 Mbits/sec   receiver'
	echo '[ 12.0] [dU:ours-r1] # nic: pool after: bounce_bytes 50001000'
	echo '[ 13.0] [dU:ours-r1] LAB-METRIC nic_tcp_mbit_s send-1 value=55'
	echo '[ 14.0] [dU:ours-r1] LAB-METRIC copy64k_mb_s memcpy=100 own_bounce_to=90'
} >"$T/bench.log"
clean "benchmarks: the NIC's bound from the pool counters, charts only of runs with data" \
	bench_page "$T/bench.log"
grep -v 'pool after' "$T/bench.log" >"$T/bench.bad"
caught "benchmarks: a NIC step without its closing counters gives no bound" bench_page "$T/bench.bad"

# ------------------------------------------------------------------ the scripts' pipelines
# Under pipefail, "PRODUCER | grep -q" fails at random: grep -q leaves at its first match,
# the producer's next write gets SIGPIPE and the pipeline's status is 141, so a match
# reads as no match (the lab's Xen image check failed so on a fresh machine).
early_exit_pipes() { # FILE...: the pipefail scripts' early-exit readers, as FILE:LINE: text
	local f
	for f in "$@"; do
		grep -q pipefail "$f" || continue
		grep -nE '\|[[:space:]]*grep[[:space:]]+(-[a-zA-Z]*q|.*[[:space:]]-q([[:space:]]|$))' "$f" |
			grep -vE '^[0-9]+:[[:space:]]*#' | sed "s|^|$f:|"
	done
	return 0
}
pipes_clean() { # FILE...: ok when none of FILE has an early-exit reader
	local hits
	hits=$(early_exit_pipes "$@")
	if [ -z "$hits" ]; then echo "ok 1 - no early-exit reader in a pipefail pipeline"; return 0; fi
	echo "not ok 1 - early-exit reader in a pipefail pipeline (use grep >/dev/null):"
	sed 's/^/# /' <<<"$hits"
	return 1
}
printf '#!/bin/bash\nset -uo pipefail\nod -An -tx4 x | grep -%sw 1badb002\n' q >"$T/pipe.bad"
printf '#!/bin/bash\nset -uo pipefail\nod x | grep -w 1badb002 >/dev/null\n' >"$T/pipe.good"
WHY="early-exit reader" caught "lint: a pipefail script whose grep leaves at its first match" pipes_clean "$T/pipe.bad"
clean "lint: a pipefail script whose grep reads all its input" pipes_clean "$T/pipe.good"
mapfile -t shells < <(cd "$TOP" && git ls-files 2>/dev/null | while read -r f; do
	[ -f "$TOP/$f" ] && head -1 "$TOP/$f" | grep -E '^#!.*(ba)?sh' >/dev/null && echo "$TOP/$f"
done)
if [ ${#shells[@]} -gt 10 ]; then
	clean "lint: the project's ${#shells[@]} shell scripts have no early-exit reader in a pipefail pipeline" \
		pipes_clean "${shells[@]}"
else
	result 0 "lint: the project's shell scripts not found (${#shells[@]} from git ls-files)"
fi

echo "1..$N"
[ $FAILED = 0 ]
