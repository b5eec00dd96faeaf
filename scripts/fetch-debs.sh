#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-debs.sh DIR PKG[=VER]... : download Debian packages into DIR (kept as a cache),
# reusing any .deb already there. Mirrors come from the machine's own apt configuration.
set -euo pipefail
dir=$1; shift
mkdir -p "$dir"
cd "$dir"
need=()
for p in "$@"; do
	name=${p%%=*}
	ls "${name}"_*.deb >/dev/null 2>&1 || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if ! apt-get download "${need[@]}" >/dev/null 2>&1; then
	echo "fetch-debs: refreshing the apt package lists" >&2
	apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
	apt-get download "${need[@]}"
fi
