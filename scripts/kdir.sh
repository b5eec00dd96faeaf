#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kdir.sh CACHE : print a kernel build directory to build the module against.
# The running kernel's build dir when it exists and is a Xen PV capable kernel; otherwise
# Debian 12's headers for the reference kernel, fetched and unpacked under CACHE.
set -euo pipefail
cache=$(realpath -m "$1")
kver=${KVER:-6.1.0-56-amd64}
run=/lib/modules/$(uname -r)/build
if [ -z "${KVER_FORCE:-}" ] && [ -f "$run/.config" ] && grep -q '^CONFIG_XEN_PV=y' "$run/.config" &&
	grep -q '^CONFIG_XEN_PCIDEV_FRONTEND=' "$run/.config"; then
	echo "$run"
	exit 0
fi
root=$cache/kdir/$kver
dir=$root/usr/src/linux-headers-$kver
if [ ! -f "$root/.done" ]; then
	here=$(dirname "$(realpath "$0")")
	common=${kver%-amd64}-common
	kbuild=linux-kbuild-$(echo "$kver" | cut -d. -f1,2)
	"$here/fetch-debs.sh" "$cache/debs" "linux-headers-$kver" "linux-headers-$common" "$kbuild" >&2
	rm -rf "$root"
	mkdir -p "$root"
	for p in "linux-headers-$kver" "linux-headers-$common" "$kbuild"; do
		dpkg-deb -x "$cache/debs/${p}"_*.deb "$root"
	done
	# the arch directory's Makefile includes the common one by absolute path
	echo "include $root/usr/src/linux-headers-$common/Makefile" >"$dir/Makefile"
	touch "$root/.done"
fi
echo "$dir"
