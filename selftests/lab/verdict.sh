# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# verdict.sh - the host's verdict on one lab boot, sourced by lab.sh and by the harness
# self-test (selftest.sh). Nothing here needs QEMU: it reads the serial log, the plan the
# boot ran and the nvme backing file.
#
#   lab_verdict LOG PLAN NVME_IMG   KTAP on stdout; returns 1 when anything failed
#                                   (VERDICT_BASE=N: N results were printed before, counted in)
#
# What it counts:
#   - every "ok"/"not ok" line a domU ("[dU:<run>]") or dom0 ("[d0]") printed;
#   - per run of the plan: the domU's own plan line "1..N" and "LAB-DONE failed=K" must be
#     there and agree with the results the host saw (a run that never started, stopped
#     short, or whose console relay was cut is a failure); dom0 must report the run;
#   - dom0's own "1..N" and FINISHED;
#   - the nvme patterns the domUs wrote must be in the backing file;
#   - every device whose config space a run dumped must have been dumped by a second run,
#     and the dumps must be identical;
#   - no kernel or hypervisor trouble anywhere in the log (VERDICT_TROUBLE).

# Kernel, hypervisor and debug-kernel reports that fail a boot wherever they appear. A
# DMA-API report names the driver and the device ("DMA-API: nvme 0000:00:00.0: ..."); its
# boot lines ("DMA-API: preallocated 65536 debug entries") are none.
VERDICT_TROUBLE='Kernel panic|kernel BUG at|BUG: |Oops: |invalid opcode: |WARNING: |general protection fault|Call Trace:|RIP: [0-9a-f]{4}:|\(XEN\) .*(FATAL|Panic|domain_crash)|blocked for more than [0-9]+ seconds|BUG: soft lockup|hard LOCKUP|detected stalls? on CPU|rcu: INFO:|UBSAN:|KASAN:|BUG [a-z0-9_:().-]+ \((Not t|T)ainted\)|kmemleak: [0-9]+ new suspected|DMA-API: [^ ]+ [^ ]+: |DMA-API: .*(out of memory|disabl)|Unable to handle kernel'

v_ok() {
	V_N=$((V_N + 1))
	echo "ok $V_N - $*"
}

v_not_ok() {
	V_N=$((V_N + 1))
	V_FAIL=1
	echo "not ok $V_N - $*"
}

# the plan's run names, in order (comments and blank lines are not runs)
verdict_runs() {
	awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$1"
}

verdict_results() { # LOG: every result line of the guests, "ok|not ok @ - <who>: <name>"
	sed -nE 's/^\[[ 0-9.]+\] \[(dU:)?([a-z0-9_-]+)\] (not ok|ok) [0-9]+ - (.*)$/\3 @ - \2: \4/p' "$1" |
		sed -E 's/^((not )?ok @ - )d0: /\1dom0: /'
}

verdict_run() { # LOG RUN: one run's own count against what it declared
	local log=$1 run=$2 got bad plan fin failed
	got=$(grep -cE "^\[[ 0-9.]+\] \[dU:$run\] (not )?ok [0-9]+ - " "$log")
	bad=$(grep -cE "^\[[ 0-9.]+\] \[dU:$run\] not ok [0-9]+ - " "$log")
	plan=$(sed -nE "s/^\[[ 0-9.]+\] \[dU:$run\] 1\.\.([0-9]+)\$/\1/p" "$log" | tail -1)
	fin=$(grep -E "^\[[ 0-9.]+\] \[dU:$run\] .*LAB-DONE failed=[0-9]+" "$log" | tail -1)
	failed=$(echo "$fin" | sed -nE 's/.*LAB-DONE failed=([0-9]+).*/\1/p')
	if [ "$got" = 0 ] && [ -z "$plan" ]; then
		v_not_ok "host: run $run: no result in the log (the run never started or its console was lost)"
	elif [ -z "$plan" ] || [ -z "$fin" ]; then
		v_not_ok "host: run $run: stopped short: $got results, no final plan line or LAB-DONE (cut relay, hang or crash)"
	elif [ "$plan" != "$got" ]; then
		v_not_ok "host: run $run: the domU declared 1..$plan but the host saw $got results"
	elif [ "$plan" = 0 ]; then
		v_not_ok "host: run $run: the domU declared no result at all"
	elif [ "$failed" != "$bad" ]; then
		v_not_ok "host: run $run: the domU counted $failed failures, the host saw $bad"
	else
		v_ok "host: run $run: all $got results the domU declared arrived"
	fi
	grep -qE "^\[[ 0-9.]+\] \[d0\] (not )?ok [0-9]+ - $run: domU ran all its steps" "$log" ||
		v_not_ok "host: run $run: dom0 never reported the run's end"
}

verdict_dom0() { # LOG: dom0's own plan line against its results, and its FINISHED
	local log=$1 got plan
	got=$(grep -cE '^\[[ 0-9.]+\] \[d0\] (not )?ok [0-9]+ - ' "$log")
	plan=$(sed -nE 's/^\[[ 0-9.]+\] \[d0\] 1\.\.([0-9]+)$/\1/p' "$log" | tail -1)
	if ! grep -q 'LAB-DOM0.*FINISHED' "$log"; then
		v_not_ok "host: dom0 finished the plan (no FINISHED line)"
	elif [ -z "$plan" ] || [ "$plan" != "$got" ] || [ "$got" = 0 ]; then
		v_not_ok "host: dom0 declared 1..${plan:-?}, the host saw $got of its results"
	else
		v_ok "host: dom0's $got results all arrived"
	fi
}

verdict_nvme() { # LOG IMG: what a domU wrote must be in the backing file
	local log=$1 img=$2 run off mb md5 got
	while read -r run off mb md5; do
		if [ ! -r "$img" ]; then
			v_not_ok "host: $run: nvme pattern at ${off} MiB: no backing file $img"
			continue
		fi
		got=$(dd if="$img" bs=1M skip="$off" count="$mb" 2>/dev/null | md5sum | cut -d' ' -f1)
		if [ "$got" = "$md5" ]; then
			v_ok "host: $run: nvme.img [${off}MiB,+${mb}MiB) holds the pattern the domU wrote"
		else
			v_not_ok "host: $run: nvme.img [${off}MiB,+${mb}MiB) md5 $got, domU wrote $md5"
		fi
	done < <(sed -nE 's/.*\[dU:([a-z0-9_-]+)\] .*LAB-NVME-PATTERN off=([0-9]+) mb=([0-9]+) md5=([0-9a-f]+).*/\1 \2 \3 \4/p' "$log")
}

verdict_bar64() { # LOG SHM: what a domU wrote through ivshmem's BAR2 must be in its file
	local log=$1 shm=$2 run off seed got
	while read -r run off seed; do
		if [ ! -r "$shm" ]; then
			v_not_ok "host: $run: ivshmem BAR2 pattern at $off: no memory backend file"
			continue
		fi
		got=$(od -An -tu4 -v -j "$off" -N 4096 "$shm" | awk -v s="$seed" '
			{ for (i = 1; i <= NF; i++) { if ($i != (s + n) % 4294967296) bad++; n++ } }
			END { print bad + 0, n + 0 }')
		if [ "$got" = "0 1024" ]; then
			v_ok "host: $run: the ivshmem file holds at $off what the domU wrote through BAR2"
		else
			v_not_ok "host: $run: the ivshmem file at $off: wrong and read words $got"
		fi
	done < <(sed -nE 's/.*\[dU:([a-z0-9_-]+)\] .*LAB-BAR64-PATTERN off=([0-9]+) seed=([0-9]+).*/\1 \2 \3/p' "$log")
}

# cfg_of CFG RUN DEV [raw]: that run's dump of the device; without raw, the command
# register's INTx Disable (bit 10) cleared: after an xl pci-detach the device keeps the
# bit the last frontend's MSI use left, which the next run's dump (taken before any
# driver binds) shows, whoever the frontend is
cfg_of() {
	awk -v d="$3" -v r="$2" -v raw="${4:-}" '
		function hex(s,  i, v) { v = 0; for (i = 1; i <= 2; i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
		$1 == r && $2 == d {
			if (!raw && $3 == "00:") { v = hex($9); if (int(v / 4) % 2) v -= 4; $9 = sprintf("%02x", v) }
			$1 = ""; $2 = ""; sub(/^  /, ""); print
		}' "$1"
}

verdict_cfg() { # LOG TMPDIR: a device shows the same 256 bytes under every frontend of the
	# boot that ran the same domU kernel (the kernel's PCI core may program it differently)
	local log=$1 cfg=$2/cfg.txt kr=$2/kernels.txt dev first r runs k
	sed -nE 's/^\[[ 0-9.]+\] \[dU:([a-z0-9_.-]+)\] LAB-CFG ([a-z0-9]+) (.*)$/\1 \2 \3/p' "$log" >"$cfg"
	sed -nE 's/^\[[ 0-9.]+\] \[dU:([a-z0-9_.-]+)\] LAB-DOMU\[[^]]*\]: booted ([^ ,]+),.*/\1 \2/p' "$log" |
		awk '!seen[$1]++' >"$kr"
	for k in $(awk '{ print $2 }' "$kr" | sort -u); do
		for dev in $(awk 'NR == FNR { if ($2 == k) want[$1] = 1; next } want[$1] { print $2 }' \
			k="$k" "$kr" "$cfg" | sort -u); do
			runs=$(awk 'NR == FNR { if ($2 == k) want[$1] = 1; next } want[$1] && $2 == d { print $1 }' \
				k="$k" d="$dev" "$kr" "$cfg" | awk '!seen[$0]++')
			set -- $runs
			if [ $# -lt 2 ]; then
				v_not_ok "host: $dev: config space dumped by $1 only on kernel $k, nothing to compare it with"
				continue
			fi
			first=$1
			shift
			for r in "$@"; do
				if diff <(cfg_of "$cfg" "$first" "$dev") <(cfg_of "$cfg" "$r" "$dev") >"$cfg.diff"; then
					v_ok "host: $dev: $(awk -v d="$dev" -v r="$r" '$1 == r && $2 == d' "$cfg" | wc -l) lines of config space identical under $first and $r ($k)"
					diff -q <(cfg_of "$cfg" "$first" "$dev" raw) <(cfg_of "$cfg" "$r" "$dev" raw) >/dev/null ||
						echo "# host: $dev: only the command register's INTx Disable differs between $first and $r (the state the run before left)"
				else
					v_not_ok "host: $dev: config space differs between $first and $r ($k)"
					sed 's/^/# /' "$cfg.diff"
				fi
			done
		done
	done
	# a dump from a run whose kernel is unknown is compared with nothing: that is a failure
	for r in $(awk '{ print $1 }' "$cfg" | sort -u); do
		awk -v r="$r" '$1 == r { f = 1 } END { exit !f }' "$kr" ||
			v_not_ok "host: run $r dumped config space but its kernel is not in the log"
	done
}

verdict_trouble() { # LOG: any report of kernel or hypervisor trouble fails the boot
	if grep -qE "$VERDICT_TROUBLE" "$1"; then
		v_not_ok "host: no oops, BUG, WARNING, lockup, stall, hung task or crash in Xen, dom0 or the domUs"
		grep -m8 -E "$VERDICT_TROUBLE" "$1" | sed 's/^/# /'
	else
		v_ok "host: no oops, BUG, WARNING, lockup, stall, hung task or crash in Xen, dom0 or the domUs"
	fi
}

lab_verdict() { # LOG PLAN NVME_IMG [IVSHMEM_FILE]
	local log=$1 plan=$2 img=$3 shm=${4:-} line run tmp
	V_N=${VERDICT_BASE:-0} # results the caller printed before
	V_FAIL=0
	tmp=$(mktemp -d)
	if [ ! -s "$log" ]; then
		v_not_ok "host: the boot left a log ($log is empty or missing)"
	fi
	while IFS= read -r line; do
		V_N=$((V_N + 1))
		echo "${line/@/$V_N}"
		case $line in not\ ok*) V_FAIL=1 ;; esac
	done < <(verdict_results "$log")
	if [ -z "$(verdict_runs "$plan")" ]; then
		v_not_ok "host: the plan $plan has runs"
	fi
	for run in $(verdict_runs "$plan"); do
		verdict_run "$log" "$run"
	done
	verdict_dom0 "$log"
	verdict_nvme "$log" "$img"
	verdict_bar64 "$log" "$shm"
	verdict_cfg "$log" "$tmp"
	verdict_trouble "$log"
	rm -rf "$tmp"
	echo "1..$V_N"
	return $V_FAIL
}
