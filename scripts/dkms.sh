#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.sh install VERSION [RELEASE] : put the sources into /usr/src/xen-pcifront-VERSION, then
#   dkms add, build and install for RELEASE (default: the running kernel).
# dkms.sh matrix CACHE VERSION : dkms build for every kernel of the matrix (make kernels),
#   each in its build root (Debian 12's kernels in a Debian 12 root), against the headers
#   fetched into CACHE. Exits non-zero when one fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/scripts

# put_sources DESTROOT VERSION: the module's sources as DKMS wants them
put_sources() {
	local d=$1/usr/src/xen-pcifront-$2
	rm -rf "$d"
	mkdir -p "$d"
	# the sources only, never the products of an earlier build for another kernel
	tar -C "$top" --exclude='*.o' --exclude='*.cmd' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='*.o.d' -cf - Kbuild LICENSE compat include pcifront \
		swiotlb | tar -C "$d" -xf -
	sed "s/#MODULE_VERSION#/$2/" "$top/dkms.conf" >"$d/dkms.conf"
}

case $1 in
install)
	ver=$2
	rel=${3:-$(uname -r)}
	dkms remove -m xen-pcifront -v "$ver" --all >/dev/null 2>&1 || true
	put_sources "" "$ver"
	dkms add -m xen-pcifront -v "$ver"
	dkms build -m xen-pcifront -v "$ver" -k "$rel"
	dkms install -m xen-pcifront -v "$ver" -k "$rel"
	dkms status -m xen-pcifront
	;;
matrix)
	cache=$(realpath -m "$2")
	ver=$3
	rc=0
	[ -f "$cache/kernels/matrix" ] || "$here/kernels.sh" "$cache" >/dev/null || true
	for k in $(cat "$cache/kernels/matrix"); do
		kdir=$(KVER=$k "$here/kdir.sh" "$cache")
		root=$("$here/kroot.sh" "$cache" "$kdir")
		[ "$root" = / ] && root=$("$here/buildroot.sh" "$cache" bookworm)
		root=$("$here/buildroot.sh" "$cache" "$(basename "$root")" dkms)
		put_sources "$root" "$ver"
		log=$cache/kernels/$k.dkms.log
		start=$(date +%s)
		if "$here/in-root.sh" "$root" "$cache" -- /bin/sh -c '
			dkms remove -m xen-pcifront -v "$1" --all >/dev/null 2>&1
			dkms add -m xen-pcifront -v "$1" &&
			dkms build -m xen-pcifront -v "$1" -k "$2" --kernelsourcedir "$3" &&
			modinfo -F vermagic /var/lib/dkms/xen-pcifront/"$1"/"$2"/x86_64/module/xen-pcifront.ko* &&
			dkms status -m xen-pcifront' - "$ver" "$k" "$kdir" >"$log" 2>&1; then
			echo "ok: dkms build $k in $(basename "$root") ($(($(date +%s) - start)) s)"
			sed -n '/^[0-9].*SMP/p; /^xen-pcifront/p' "$log" | sed 's/^/   /'
		else
			echo "FAILED: dkms build $k in $(basename "$root"), log $log"
			tail -15 "$log" | sed 's/^/   /'
			rc=1
		fi
	done
	exit $rc
	;;
*)
	echo "usage: dkms.sh install VERSION [RELEASE] | matrix CACHE VERSION" >&2
	exit 1
	;;
esac
