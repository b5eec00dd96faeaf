# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Several vCPUs (plan key vcpus=N, dom0's own; sourced by domU-init). Plan keys read here:
#   lab.smp_rounds=N   edu detach/attach rounds while the load runs (3)
#   lab.smp_mib=N      MiB each CPU's fio job writes and verifies on nvme (32)
# Steps:
#   smp-stress   on every CPU at once: a config-space reader over every device of the
#                run and a verified fio job on nvme (one job per CPU, pinned), while edu
#                is detached and attached again; then every reader saw only the right
#                IDs, every fio job verified its data, and nvme's interrupts came on
#                more than one CPU
SMP_ROUNDS=$(lab_key smp_rounds 3)
SMP_MIB=$(lab_key smp_mib 32)

# smp_reader CPU: read the config space of every device of the run, pinned to CPU, until
# /tmp/smp.stop; counts reads and wrong IDs (a device being detached may be absent or
# fail to read: that is not counted either way)
smp_reader() {
	local cpu=$1 reads=0 bad=0 d b ids got
	while [ ! -e /tmp/smp.stop ]; do
		for d in $DEVS; do
			b=$(bdf_of "$d") || continue
			ids=$(ids_of "$d")
			got=$(taskset -c "$cpu" od -An -tx2 -N4 "/sys/bus/pci/devices/$b/config" 2>/dev/null |
				awk '{ print $1 ":" $2 }') || continue
			[ -n "$got" ] || continue
			reads=$((reads + 1))
			[ "$got" = "$ids" ] || bad=$((bad + 1))
		done
	done
	echo "$reads $bad" >"/tmp/smp.reader.$cpu"
}

smp_nvme_irqs() { # CPUs on which nvme's queue interrupts were taken
	awk 'NR == 1 { ncpu = NF; next }
		$NF ~ /^nvme[0-9]+q[0-9]+$/ { for (i = 2; i <= ncpu + 1; i++) if ($i > 0) on[i] = 1 }
		END { n = 0; for (c in on) n++; print n }' /proc/interrupts
}

step_smp_stress() {
	local ncpu cpu r reads bad out rc fio_pid i pids=
	ncpu=$(nproc)
	if [ "$ncpu" -lt 2 ] || [ "$ncpu" -gt 6 ]; then
		ktap_not_ok "smp: the run has 2 to 6 vCPUs (nproc $ncpu; plan key vcpus=)"
		return
	fi
	ktap_ok "smp: $ncpu vCPUs"
	needs_dev nvme smp-stress || return
	needs_dev edu smp-stress || return
	command -v fio >/dev/null || { ktap_not_ok "smp: fio is in the domU image"; return; }
	nvme_up || { ktap_not_ok "smp: /dev/nvme0n1 present"; return; }
	rm -f /tmp/smp.stop /tmp/smp.reader.*
	cpu=0
	while [ $cpu -lt "$ncpu" ]; do
		smp_reader $cpu &
		pids="$pids $!"
		cpu=$((cpu + 1))
	done
	# one verified job per CPU, each pinned to its own, each on its own 16 MiB (from MiB
	# 160 of the run's 256 MiB nvme region: room for six)
	rm -f /tmp/smp.fio /tmp/smp.fio.rc
	(
		fio --name=smp --filename=/dev/nvme0n1 --ioengine=libaio --direct=1 --rw=randwrite \
			--bs=16k --iodepth=8 --numjobs="$ncpu" --cpus_allowed=0-$((ncpu - 1)) \
			--cpus_allowed_policy=split --offset=$((NVME_BASE + 160))M --offset_increment=16M \
			--size=16M --loops=$(((SMP_MIB + 15) / 16)) --verify=crc32c --do_verify=1 \
			--verify_fatal=1 --group_reporting --output-format=terse --terse-version=3 \
			</dev/null >/tmp/smp.fio 2>&1
		echo $? >/tmp/smp.fio.rc
	) &
	fio_pid=$!
	r=0
	while [ $r -lt "$SMP_ROUNDS" ]; do
		r=$((r + 1))
		if hp_detach edu && hp_attach edu; then
			ktap_ok "smp: edu detach and attach round $r under load"
		else
			ktap_not_ok "smp: edu detach and attach round $r under load"
		fi
	done
	wait $fio_pid
	rc=$(cat /tmp/smp.fio.rc 2>/dev/null)
	echo "# smp: fio exit status ${rc:-missing}, $(wc -c </tmp/smp.fio 2>/dev/null || echo no) bytes of output"
	touch /tmp/smp.stop
	# shellcheck disable=SC2086
	wait $pids
	out=$(awk -F';' '$1 == 3 { print $5, $6, $47 }' /tmp/smp.fio | tail -1)
	grep -v '^3;' /tmp/smp.fio | grep -v 'multiple writers may overwrite' | sed 's/^/# smp: fio: /'
	set -- $out
	ktap_check "smp: $ncpu pinned fio jobs: $((${3:-0} >> 10)) MiB written, $((${2:-0} >> 10)) MiB verified (rc ${rc:-missing}, error ${1:-none})" \
		[ "${rc:-x}" = 0 -a "${1:-x}" = 0 -a "${2:-0}" -ge "$((SMP_MIB * ncpu << 10))" ]
	cpu=0
	while [ $cpu -lt "$ncpu" ]; do
		read -r reads bad <"/tmp/smp.reader.$cpu" 2>/dev/null || reads=
		ktap_check "smp: CPU $cpu read config space ${reads:-0} times, ${bad:-?} wrong IDs" \
			[ "${reads:-0}" -gt 0 -a "${bad:-x}" = 0 ]
		cpu=$((cpu + 1))
	done
	grep -E 'nvme[0-9]+q' /proc/interrupts | sed 's/^/# smp: /'
	i=$(smp_nvme_irqs)
	ktap_check "smp: nvme's queue interrupts came on $i CPUs" [ "$i" -ge 2 ]
}
