#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh LOG - the numbers of a lab boot: every "LAB-METRIC" line the domUs printed,
# one table per metric, with each run's value and its ratio to the in-tree run.
#   LAB-METRIC <metric> [<object>] <key>=<value>...   or   LAB-METRIC <metric> <value>
set -euo pipefail
log=$1
sed -nE 's/^\[[ 0-9.]+\] \[dU:([a-z0-9_-]+)\] (# [a-z0-9_]+: )?LAB-METRIC (.*)$/\1 \3/p' "$log" | awk '
{
	run = $1; metric = $2; obj = ""; i = 3
	if ($3 !~ /=/ && $3 !~ /^[0-9.]+$/) { obj = $3; i = 4 }
	for (; i <= NF; i++) {
		k = "value"; v = $i
		if ($i ~ /=/) { split($i, kv, "="); k = kv[1]; v = kv[2] }
		if (k == "n") continue
		key = metric (obj != "" ? " " obj : "") " " k
		if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
		if (!(run in rseen)) { rseen[run] = 1; runs[++nr] = run }
		val[key, run] = v
	}
}
END {
	if (!nk) { print "no metrics in this log"; exit 0 }
	base = ""
	for (r = 1; r <= nr; r++) if (runs[r] ~ /intree/) { base = runs[r]; break }
	printf "%-36s", "metric"
	for (r = 1; r <= nr; r++) printf " %14s", runs[r]
	if (base != "") printf "   ratio to %s", base
	printf "\n"
	for (k = 1; k <= nk; k++) {
		printf "%-36s", keys[k]
		for (r = 1; r <= nr; r++) printf " %14s", ((keys[k], runs[r]) in val) ? val[keys[k], runs[r]] : "-"
		if (base != "" && ((keys[k], base) in val) && val[keys[k], base] + 0 > 0)
			for (r = 1; r <= nr; r++)
				if (runs[r] != base && ((keys[k], runs[r]) in val))
					printf "   %s %.2f", runs[r], val[keys[k], runs[r]] / val[keys[k], base]
		printf "\n"
	}
}'
