# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Network steps (sourced by domU-init). The e1000e's cable is QEMU's hub 0, whose only
# other port is dom0's own e1000 at 169.254.0.1 (dom0-init's lan_setup: an iperf3
# server and a web server); this domU takes 169.254.0.2. Link-local addresses only.
# Plan keys read here:
#   lab.nic_secs=S    seconds of each iperf3 test (5)
#   lab.nic_pings=N   echo requests of the ping flood (500)
#   lab.nic_mib=N     MiB the domU sends in the verified upload (16; the download is
#                     dom0's 16 MiB blob)
# Steps:
#   nic-traffic  after e1000e-link: ping flood (no loss), iperf3 TCP send and receive
#                with one and four streams, a verified download and upload (MD5 on both
#                ends), the e1000e's interrupts counted; LAB-METRIC lines for the report
NIC_SECS=$(lab_key nic_secs 5)
NIC_PINGS=$(lab_key nic_pings 500)
NIC_MIB=$(lab_key nic_mib 16)
NIC_PEER=169.254.0.1

nic_irqs() { # NETDEV: the interrupts its vectors have taken, over every CPU
	awk -v d="$1" 'NR == 1 { ncpu = NF; next }
		$NF ~ "^" d "(-|$)" { for (i = 2; i <= ncpu + 1; i++) s += $i }
		END { print s + 0 }' /proc/interrupts
}

nic_pool() { # TAG: our DMA layer's counters, as comments (our frontend only)
	[ "$FE" = ours ] || return 0
	sed "s/^/# nic: pool $1: /" "$XPF_DBG/dma/stats" 2>/dev/null
}

# nic_iperf TAG ARGS...: one iperf3 test against dom0; the receiver's rate in Mbit/s
nic_iperf() {
	local tag=$1 out rate
	shift
	out=$(iperf3 -c $NIC_PEER -f m -t "$NIC_SECS" "$@" 2>&1)
	echo "$out" | tail -4 | sed "s/^/# nic: iperf3 $tag: /"
	rate=$(echo "$out" | awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") r = $(i - 1) }
		END { print r }')
	case $rate in
	'' | *[!0-9.]*)
		ktap_not_ok "nic: iperf3 TCP $tag completes"
		return
		;;
	esac
	echo "LAB-METRIC nic_tcp_mbit_s $tag $rate"
	ktap_check "nic: iperf3 TCP $tag: $rate Mbit/s" awk -v r="$rate" 'BEGIN { exit !(r > 0) }'
}

step_nic_traffic() {
	local b dev n out loss avg irq0 irq1 md5 peer t0
	needs_dev e1000e nic-traffic || return
	b=$(bdf_of e1000e) || { ktap_not_ok "nic: e1000e present"; return; }
	dev=$(ls /sys/bus/pci/devices/$b/net 2>/dev/null | head -1)
	[ -n "$dev" ] || { ktap_not_ok "nic: e1000e has a net device (run e1000e-link first)"; return; }
	command -v iperf3 >/dev/null || { ktap_not_ok "nic: iperf3 is in the domU image"; return; }
	ip addr add 169.254.0.2/16 dev "$dev"
	ip link set "$dev" up
	# the first packets wait for the link and for ARP
	n=0
	while ! ping -c 1 -W 1 $NIC_PEER >/dev/null 2>&1 && [ $n -lt 30 ]; do
		n=$((n + 1))
	done
	if ! ping -c 1 -W 2 $NIC_PEER >/dev/null 2>&1; then
		ktap_not_ok "nic: dom0 ($NIC_PEER) answers over $dev"
		return
	fi
	ktap_ok "nic: dom0 ($NIC_PEER) answers over $dev"
	nic_pool before
	irq0=$(nic_irqs "$dev")

	# ping flood: each request as soon as the last reply is in, 1400-byte payloads
	out=$(ping -A -q -c "$NIC_PINGS" -s 1400 $NIC_PEER 2>&1)
	echo "$out" | tail -2 | sed 's/^/# nic: ping: /'
	loss=$(echo "$out" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
	avg=$(echo "$out" | sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p')
	[ -z "$avg" ] || echo "LAB-METRIC nic_ping_avg_ms $avg"
	ktap_check "nic: ping flood, $NIC_PINGS requests of 1400 bytes: ${loss:-?}% lost, avg ${avg:-?} ms" \
		[ "$loss" = 0 ]

	nic_iperf send-1
	nic_iperf recv-1 -R
	nic_iperf send-4 -P 4
	nic_iperf recv-4 -P 4 -R

	# verified download: dom0's random blob, MD5 against the one dom0 computed (busybox
	# 1.35's wget crashes with its own -T: timeout bounds it instead)
	t0=$(ms)
	if timeout 120 wget -q -O /tmp/nic.blob http://$NIC_PEER/blob; then
		echo "LAB-METRIC nic_download_ms $(($(ms) - t0))"
		md5=$(md5sum </tmp/nic.blob | cut -d' ' -f1)
		peer=$(timeout 30 wget -q -O - http://$NIC_PEER/blob.md5)
		ktap_check "nic: download of $(($(wc -c </tmp/nic.blob) >> 20)) MiB arrived intact ($md5)" \
			[ -n "$md5" -a "$md5" = "$peer" ]
	else
		ktap_not_ok "nic: download of dom0's blob"
	fi
	rm -f /tmp/nic.blob
	# verified upload: wget posts the file as a string, so the data has no NUL bytes
	tr -d '\000' </dev/urandom | head -c $((NIC_MIB << 20)) >/tmp/nic.up
	md5=$(md5sum </tmp/nic.up | cut -d' ' -f1)
	t0=$(ms)
	peer=$(timeout 120 wget -q -O - --post-file /tmp/nic.up http://$NIC_PEER/cgi-bin/md5)
	echo "LAB-METRIC nic_upload_ms $(($(ms) - t0))"
	ktap_check "nic: upload of $NIC_MIB MiB arrived intact (dom0 got ${peer:-nothing}, sent $md5)" \
		[ -n "$md5" -a "$md5" = "$peer" ]
	rm -f /tmp/nic.up

	irq1=$(nic_irqs "$dev")
	ktap_check "nic: $dev's interrupts came through the frontend ($irq0 -> $irq1)" [ "$irq1" -gt "$irq0" ]
	nic_pool after
}
