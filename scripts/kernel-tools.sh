#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernel-tools.sh CACHE : print the directory that holds the kernel's own checkers, taken
# once from Debian's linux-source-6.1 (fetched into CACHE): checkpatch.pl with its
# spelling.txt and const_structs.checkpatch, and kernel-doc.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
dir=$cache/checkpatch
tools="checkpatch.pl spelling.txt const_structs.checkpatch kernel-doc"
have() {
	local t
	for t in $tools; do
		[ -s "$dir/$t" ] || return 1
	done
}
if ! have; then
	"$top/scripts/fetch-debs.sh" "$cache/debs" linux-source-6.1 >&2
	tmp=$(mktemp -d)
	dpkg-deb -x "$cache/debs"/linux-source-6.1_*.deb "$tmp"
	mkdir -p "$dir"
	# shellcheck disable=SC2046
	tar -C "$dir" --strip-components=2 -xf "$tmp"/usr/src/linux-source-6.1.tar.xz \
		--wildcards $(for t in $tools; do echo "*/scripts/$t"; done)
	rm -rf "$tmp"
	have || { echo "kernel-tools: $tools not all in linux-source-6.1" >&2; exit 1; }
fi
echo "$dir"
