#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh : the module's structure drawn from its own code, and checked. Builds the
# debug flavour (every object Kbuild lists), then an edge A -> B for each object A that
# uses a global symbol object B defines (nm) and for each source A that includes the
# private header of source B (B.h next to B.c). Prints the edges, one "A -> B" a line,
# and fails when
#   - an object Kbuild lists was not built, or the graph has fewer edges than files
#     (nothing was read),
#   - the edges make a circle (tsort names the files in it),
#   - the DMA layer (swiotlb/) uses pcifront (calls go pcifront -> DMA layer only).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
make -s clean >/dev/null 2>&1
if ! out=$(make -s XPF_DEBUG=1 modules 2>&1); then
	printf '%s\n' "$out" | tail -20
	echo "layers: the debug flavour does not build"
	exit 1
fi
mapfile -t objs < <(grep -oE '\b(pcifront|swiotlb)/[a-z0-9_]+\.o\b' Kbuild | sort -u)
fail=0
for o in "${objs[@]}"; do
	[ -f "$o" ] || { echo "layers: $o (listed in Kbuild) was not built"; fail=1; }
done
[ "$fail" = 0 ] || exit 1
edges=$(
	# symbols: "D sym" for a global definition, "U sym" for a use, per object
	for o in "${objs[@]}"; do
		nm "$o" | awk -v o="${o%.o}" '$1 == "U" { print o, "U", $2; next }
			NF == 3 && $2 ~ /^[TDBR]$/ { print o, "D", $3 }'
	done | awk '$2 == "D" { def[$3] = $1; next } { use[NR] = $1 " " $3 }
		END { for (i in use) { split(use[i], p, " ")
			if ((p[2] in def) && def[p[2]] != p[1]) print p[1] " -> " def[p[2]] } }'
	# private headers: "x.h" next to x.c, included by another source
	for o in "${objs[@]}"; do
		c=${o%.o}.c d=$(dirname "$o")
		sed -n 's/^#include "\([a-z0-9_-]*\)\.h".*/\1/p' "$c" | while read -r h; do
			[ -f "$d/$h.c" ] && [ "$d/$h" != "${o%.o}" ] && echo "${o%.o} -> $d/$h"
		done
	done
)
edges=$(printf '%s\n' "$edges" | sort -u)
printf '%s\n' "$edges"
n=$(printf '%s\n' "$edges" | grep -c ' -> ')
if [ "$n" -lt "${#objs[@]}" ]; then
	echo "layers: only $n edges for ${#objs[@]} objects: the graph was not read"
	exit 1
fi
if ! loop=$(printf '%s\n' "$edges" | awk '{ print $1, $3 }' | tsort 2>&1 >/dev/null) ||
	[ -n "$loop" ]; then
	echo "layers: the calls and includes make a circle:"
	printf '%s\n' "$loop"
	fail=1
fi
up=$(printf '%s\n' "$edges" | grep '^swiotlb/.* -> pcifront/')
if [ -n "$up" ]; then
	echo "layers: the DMA layer uses pcifront:"
	printf '%s\n' "$up"
	fail=1
fi
echo "layers: ${#objs[@]} objects, $n edges, $([ "$fail" = 0 ] && echo "no circle" || echo FAILED)"
exit "$fail"
