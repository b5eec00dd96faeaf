#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# benchmarks.sh LOG OUT.md : turn a "make bench" boot log into the page people read: the
# report.sh table (medians, ranges, ratios to the in-tree run), and one SVG chart a metric
# (Debian's gnuplot), the median of each run as a bar and its range as an error bar. The
# charts go next to OUT.md, into bench/; stddev lines are left out of the charts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
log=$1
out=$2
dir=$(dirname "$out")/bench
"$top/scripts/ensure-tools.sh" gnuplot:gnuplot-nox
mkdir -p "$dir"
rm -f "$dir"/*.svg
tsv=$(mktemp)
trap 'rm -f "$tsv" "$tsv".*' EXIT
"$here/report.sh" "$log" --tsv | grep -v ' stddev	' >"$tsv"
[ -s "$tsv" ] || { echo "benchmarks: no metrics in $log" >&2; exit 1; }
runs=$(cut -f2 "$tsv" | awk '!seen[$0]++')
charts=()
for metric in $(cut -f1 "$tsv" | cut -d' ' -f1 | awk '!seen[$0]++'); do
	# one row a key of the metric, three columns a run (median, min, max); "-" where absent
	awk -F'\t' -v m="$metric" -v runs="$runs" '
		BEGIN { nr = split(runs, R, "\n") }
		{ split($1, w, " "); if (w[1] != m) next
		  k = $1; sub("^" m " ", "", k); sub(/ value$/, "", k); gsub(/ /, "-", k)
		  if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
		  v[k, $2] = $3; lo[k, $2] = $4; hi[k, $2] = $5 }
		END { for (i = 1; i <= nk; i++) {
			line = keys[i]
			for (r = 1; r <= nr; r++)
				line = line " " (((keys[i], R[r]) in v) ? v[keys[i], R[r]] " " lo[keys[i], R[r]] " " hi[keys[i], R[r]] : "- - -")
			print line } }' "$tsv" >"$tsv.dat"
	[ -s "$tsv.dat" ] || continue
	plot=""
	i=0
	for r in $runs; do
		i=$((i + 1))
		# a run without this metric (the in-tree run has no map+unmap benchmark) gets no bar
		awk -v c=$((3 * i - 1)) '$c != "-" { found = 1 } END { exit !found }' "$tsv.dat" || continue
		plot="$plot${plot:+, }'$tsv.dat' using $((3 * i - 1)):$((3 * i)):$((3 * i + 1)):xtic(1) title '$r'"
	done
	[ -n "$plot" ] || continue
	gnuplot <<-GP || { echo "benchmarks: gnuplot failed on $metric" >&2; exit 1; }
		set terminal svg size 720,360 dynamic font 'sans,11'
		set output '$dir/$metric.svg'
		set title '$metric (median of the repetitions; bars: min to max)'
		set style data histograms
		set style histogram errorbars gap 1 lw 1
		set style fill solid 0.6 border -1
		set datafile missing '-'
		set yrange [0:*]
		set key outside right
		set xtics rotate by -30
		plot $plot
	GP
	charts+=("$metric")
done
# targets: one table row a target and measurement, from the medians of the TSV
targets() {
	awk -F'\t' '
		{ v[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; keys[++nk] = $1 } }
		function row(what, want, got, ok, ctl) {
			printf "| %s | %s | %s | %s | %s |\n", what, want, got, ctl == "" ? "-" : ctl,
			    ok ? "met" : "**not met**"
		}
		# the control: ours-kernel has the in-tree data path, so its ratio is the drift alone
		function control(k) {
			if (!((k, "ours-kernel") in v)) return ""
			return sprintf("%.2f", v[k, "ours-kernel"] / v[k, "intree"])
		}
		END {
			print "| target | wanted | measured | control | |"
			print "|---|---|---|---|---|"
			for (i = 1; i <= nk; i++) {
				k = keys[i]
				if (k ~ /^(nvme_io|fio_kib_s) / && ((k, "intree") in v) && ((k, "ours") in v) &&
				    v[k, "intree"] > 0)
					row("nvme `" k "`, ours / in-tree", ">= 1.30",
					    sprintf("%.2f", v[k, "ours"] / v[k, "intree"]),
					    v[k, "ours"] / v[k, "intree"] >= 1.3, control(k))
				if (k ~ /^nic_tcp_mbit_s / && ((k, "intree") in v) && ((k, "ours") in v) &&
				    v[k, "intree"] > 0)
					row("NIC `" k "`, ours / in-tree", ">= 1.20",
					    sprintf("%.2f", v[k, "ours"] / v[k, "intree"]),
					    v[k, "ours"] / v[k, "intree"] >= 1.2, control(k))
			}
			for (t = 1; t <= 2; t++) {
				o = "map_unmap_ns own-t" t "-g1 mean"; x = "map_unmap_ns kernel-t" t "-g1 mean"
				if (((o, "ours") in v) && ((x, "ours") in v) && v[o, "ours"] > 0)
					row("map+unmap 4 KiB, " t " thread(s): xen-swiotlb ns / ours ns", ">= 1.50",
					    sprintf("%.2f (%s / %s ns)", v[x, "ours"] / v[o, "ours"], v[x, "ours"],
						    v[o, "ours"]), v[x, "ours"] / v[o, "ours"] >= 1.5)
			}
			# not a target: the part of a 4 KiB map+unmap that is not the two copies
			o = "map_unmap_beyond_copies_ns own-t1-g1 value"
			x = "map_unmap_beyond_copies_ns kernel-t1-g1 value"
			c = "memcpy_ns g1 mean"
			if (((o, "ours") in v) && ((x, "ours") in v) && ((c, "ours") in v))
				printf "| (why) map+unmap 4 KiB less its two copies of %s ns each: ours, xen-swiotlb | - | %s ns, %s ns | - | |\n",
				    v[c, "ours"], v[o, "ours"], v[x, "ours"]
			b = "bounce_of_memcpy_pct 64k"
			if ((b, "ours") in v)
				row("64 KiB bounce as a share of memcpy()", ">= 60 %", v[b, "ours"] " %",
				    v[b, "ours"] >= 60)
		}' "$tsv"
}

# the emulation's speed in each run (the gauge: 1 GiB from /dev/zero, no device in it)
speeds() {
	awk -F'\t' '
		$1 == "speed_gauge_ms zero1g" { g[$2] = $3; lo[$2] = $4; hi[$2] = $5; runs[++n] = $2 }
		END {
			if (!n) { print "(no speed gauge in this log)"; exit }
			print "| run | gauge, ms (median, range) | against intree |"
			print "|---|---|---|"
			for (i = 1; i <= n; i++)
				printf "| %s | %s (%s-%s) | %s |\n", runs[i], g[runs[i]], lo[runs[i]], hi[runs[i]],
				    (("intree" in g) && g["intree"] > 0) ? sprintf("%.2f", g[runs[i]] / g["intree"]) : "-"
		}' "$tsv"
}

# Amdahl for the nvme jobs: the share of one I/O the DMA layer is, from the map+unmap
# benchmark (4 KiB; a 128 KiB I/O as two 64 KiB maps), and the ratio that share allows
shares() {
	awk -F'\t' '
		{ v[$1, $2] = $3; if ($1 ~ /^fio_kib_s / && !($1 in seen)) { seen[$1] = 1; keys[++nk] = $1 } }
		function cost(ops, kib) {
			if (kib == 4) return v["map_unmap_ns " ops "-t1-g1 mean", "ours"] / 1000
			return 2 * v["map_unmap_ns " ops "-t1-g16 mean", "ours"] / 1000
		}
		END {
			if (!(("map_unmap_ns kernel-t1-g1 mean", "ours") in v) ||
			    !(("map_unmap_ns own-t1-g16 mean", "ours") in v)) {
				print "(no map+unmap numbers in this log)"
				exit
			}
			print "| fio job | in-tree µs per I/O | xen-swiotlb µs per I/O (share) | ours µs | best ratio with a free DMA layer | ratio our cost predicts | measured ratio |"
			print "|---|---|---|---|---|---|---|"
			for (i = 1; i <= nk; i++) {
				k = keys[i]
				if (!((k, "intree") in v) || !((k, "ours") in v) || v[k, "intree"] <= 0)
					continue
				# a randrw job: one row, its reads and writes together
				name = substr(k, 11); a = v[k, "intree"]; b = v[k, "ours"]
				if (k ~ /randrw/) {
					if (k !~ / read$/) continue
					w = k; sub(/ read$/, " write", w)
					a += v[w, "intree"]; b += v[w, "ours"]
					sub(/ read$/, " read+write", name)
				}
				kib = (k ~ /seq128k/) ? 128 : 4
				t = kib / a * 1e6
				x = cost("kernel", kib); o = cost("own", kib)
				printf "| %s | %.0f | %.0f (%.1f %%) | %.0f | %s | %.2f | %.2f |\n", name, t, x,
				    100 * x / t, o, x < t ? sprintf("%.2f", t / (t - x)) : "-", t / (t - x + o), b / a
			}
		}' "$tsv"
}

# the NIC's share of bouncing, from the pool counters the nic-traffic step prints before and
# after it in each round of run "ours": the bytes it bounced, copied twice (an rx buffer is
# copied in and out; a tx buffer only in, so this overstates) at the memcpy() rate that run
# measured, against the step's time and against the iperf3 tests' time alone (all of the
# bytes put there: a bound from above, the verified transfers and the ping moved some)
nic_shares() {
	local rate
	rate=$(awk -F'\t' '$1 == "copy64k_mb_s memcpy" && $2 == "ours" { print $3 }' "$tsv")
	[ -n "$rate" ] || { echo "(no memcpy() rate in this log)"; return 0; }
	sed -nE 's/^\[ *([0-9.]+)\] \[dU:(ours(-r[0-9]+)?)\] # nic: (pool (before|after): bounce_bytes ([0-9]+)|iperf3 [a-z0-9-]+: .* 0\.00-([0-9.]+) +sec .* receiver)$/\2 \1 \5 \6 \7/p' "$log" |
		awk -v rate="$rate" '
		BEGIN {
			print "| round | step s | bytes bounced | two copies at " rate " MB/s, s | share of the step (best ratio) | iperf3 s | share of iperf3 (best ratio at most) |"
			print "|---|---|---|---|---|---|---|"
		}
		NF == 3 { d[$1] += $3; next }
		$3 == "before" { t0[$1] = $2; b0[$1] = $4; d[$1] = 0; next }
		$3 == "after" && ($1 in t0) {
			t = $2 - t0[$1]; b = $4 - b0[$1]; c = 2 * b / (rate * 1e6)
			if (t <= 0 || d[$1] <= c) next
			printf "| %s | %.1f | %d | %.2f | %.1f %% (%.2f) | %.1f | %.1f %% (%.2f) |\n", $1, t, b,
			    c, 100 * c / t, t / (t - c), d[$1], 100 * c / d[$1], d[$1] / (d[$1] - c)
			n++; delete t0[$1]
		}
		END { if (!n) print "| (no nic-traffic step with pool counters in run ours) | | | | | | |" }'
}

{
	echo "# Benchmarks"
	echo
	echo "From one \`make bench\` boot: every run in the same boot of the same lab, taking"
	echo "turns after a warm-up run (rounds of in-tree, ours, ours with xen-swiotlb; each"
	echo "run's rounds are merged: median and range over all of them). How alike their"
	echo "conditions were: the speed gauge below. Made by"
	echo "\`selftests/lab/benchmarks.sh\` from the boot's log"
	echo "($(date -u +%Y-%m-%d), $(grep -c . "$tsv") values)."
	echo
	echo "## Against the targets"
	echo
	echo "Ratios of medians, run \`ours\` (our pools) against \`intree\` (the in-tree frontend"
	echo "and the kernel's xen-swiotlb) of the same boot; the map+unmap and bounce lines are"
	echo "measured inside \`ours\` (our ops against the kernel's xen-swiotlb ops on the same"
	echo "device, our 64 KiB bounce against memcpy())."
	echo
	targets
	echo
	echo "## Were the runs at the same speed?"
	echo
	echo "The runs of one boot follow each other, and the emulation's speed drifts: each run"
	echo "times the same CPU-only work (1 GiB read from /dev/zero) in each repetition. A run slower"
	echo "on the gauge is slower at everything, whatever its frontend (QEMU runs Xen, dom0"
	echo "and the domU on one host thread: whatever dom0 does meanwhile slows the domU)."
	echo
	speeds
	echo
	echo "## What the DMA layer can change"
	echo
	echo "Under TCG one nvme I/O costs milliseconds of emulated device; the bounce layer's"
	echo "part of it is its map+unmap (the copies, in both layers). Per fio job: the in-tree"
	echo "run's time per I/O, the kernel's xen-swiotlb map+unmap for that size (measured in"
	echo "run \`ours\`; a 128 KiB I/O as two 64 KiB maps) and its share, the ratio a DMA"
	echo "layer of no cost could reach, the ratio our measured map+unmap cost predicts, and"
	echo "the measured one."
	echo
	shares
	echo
	echo "For the NIC: how many bytes our pool bounced during the nic-traffic step of each"
	echo "round of run \`ours\` (its pool counters before and after), what two copies of them"
	echo "cost at the memcpy() rate of that run, and the ratio a DMA layer of no cost could"
	echo "reach over the step and, at most, over its iperf3 tests alone. The column"
	echo "\"control\" of the targets is run \`ours-kernel\`: our frontend with the kernel's"
	echo "xen-swiotlb, the in-tree run's data path (the same DMA layer, interrupts through the"
	echo "same arch hooks), so its distance from 1.00 is what the emulation's drift alone makes"
	echo "of a ratio."
	echo
	nic_shares
	echo
	echo "## Every number"
	echo
	echo '```'
	"$here/report.sh" "$log"
	echo '```'
	for m in "${charts[@]}"; do
		echo
		echo "![$m](bench/$m.svg)"
	done
} >"$out"
echo "benchmarks: $out and ${#charts[@]} charts in $dir"
