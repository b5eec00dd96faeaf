#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh LOG - the numbers of a lab boot: every "LAB-METRIC" line the domUs printed,
# one table per metric, with each run's value and its ratio to the in-tree run.
#   LAB-METRIC <metric> [<object>] <key>=<value>...   or   LAB-METRIC <metric> <value>
# A run that printed the same metric several times (bench_reps=) shows the median, with
# the number of samples and their range on a "spread" line below it; ratios are taken
# between medians. Runs named NAME-rN (rounds of the same run, interleaved with the other
# runs so that a slow spell of the emulation hits every run alike) are one run NAME; runs
# named warmup* are left out (they only warm the boot up). With --tsv: one line a metric
# and run instead, tab-separated: key, run, value (the median), min, max (benchmarks.sh).
set -euo pipefail
log=$1
tsv=0
[ "${2:-}" = --tsv ] && tsv=1
sed -nE 's/^\[[ 0-9.]+\] \[dU:([a-z0-9_-]+)\] (# [a-z0-9_]+: )?LAB-METRIC (.*)$/\1 \3/p' "$log" | awk -v tsv=$tsv '
function median(key, run,    n, i, j, t, a) {
	n = cnt[key, run]
	for (i = 1; i <= n; i++) a[i] = vals[key, run, i] + 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	lo[key, run] = a[1]; hi[key, run] = a[n]
	if (n % 2) return a[(n + 1) / 2]
	return (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	run = $1; metric = $2; obj = ""; i = 3
	if (run ~ /^warmup/) next
	sub(/-r[0-9]+$/, "", run)
	if ($3 !~ /=/ && $3 !~ /^[0-9.]+$/) { obj = $3; i = 4 }
	for (; i <= NF; i++) {
		k = "value"; v = $i
		if ($i ~ /=/) { split($i, kv, "="); k = kv[1]; v = kv[2] }
		if (k == "n") continue
		key = metric (obj != "" ? " " obj : "") " " k
		if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
		if (!(run in rseen)) { rseen[run] = 1; runs[++nr] = run }
		vals[key, run, ++cnt[key, run]] = v
	}
}
END {
	if (!nk) { print "no metrics in this log"; exit 0 }
	for (k = 1; k <= nk; k++)
		for (r = 1; r <= nr; r++)
			if ((keys[k], runs[r]) in cnt) {
				if (cnt[keys[k], runs[r]] == 1 || vals[keys[k], runs[r], 1] !~ /^-?[0-9.]+$/)
					val[keys[k], runs[r]] = vals[keys[k], runs[r], cnt[keys[k], runs[r]]]
				else
					val[keys[k], runs[r]] = sprintf("%g", median(keys[k], runs[r]))
			}
	if (tsv) {
		for (k = 1; k <= nk; k++)
			for (r = 1; r <= nr; r++)
				if ((keys[k], runs[r]) in val)
					printf "%s\t%s\t%s\t%s\t%s\n", keys[k], runs[r], val[keys[k], runs[r]],
						((keys[k], runs[r]) in lo) ? lo[keys[k], runs[r]] : val[keys[k], runs[r]],
						((keys[k], runs[r]) in hi) ? hi[keys[k], runs[r]] : val[keys[k], runs[r]]
		exit 0
	}
	base = ""
	for (r = 1; r <= nr; r++) if (runs[r] ~ /intree/) { base = runs[r]; break }
	printf "%-46s", "metric"
	for (r = 1; r <= nr; r++) printf " %14s", runs[r]
	if (base != "") printf "   ratio to %s", base
	printf "\n"
	for (k = 1; k <= nk; k++) {
		printf "%-46s", keys[k]
		multi = 0
		for (r = 1; r <= nr; r++) {
			printf " %14s", ((keys[k], runs[r]) in val) ? val[keys[k], runs[r]] : "-"
			if (((keys[k], runs[r]) in lo)) multi = 1
		}
		if (base != "" && ((keys[k], base) in val) && val[keys[k], base] + 0 > 0)
			for (r = 1; r <= nr; r++)
				if (runs[r] != base && ((keys[k], runs[r]) in val))
					printf "   %s %.2f", runs[r], val[keys[k], runs[r]] / val[keys[k], base]
		printf "\n"
		if (!multi) continue
		printf "%-46s", "  spread (n: min-max)"
		for (r = 1; r <= nr; r++)
			printf " %14s", ((keys[k], runs[r]) in lo) ? sprintf("%d: %g-%g", cnt[keys[k], runs[r]], lo[keys[k], runs[r]], hi[keys[k], runs[r]]) : "-"
		printf "\n"
	}
}'
