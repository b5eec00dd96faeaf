#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deb-test.sh CACHE DEB [SUITE:RELEASE...] : install the package DEB with apt, together with the
# kernel image and headers of RELEASE, into a fresh Debian root of SUITE (CACHE/roots/pkg-SUITE),
# and show what DKMS made of it: dkms status, the kernel's own xen-pcifront.ko, and which one
# modprobe would load. Default: Debian 12 with 6.1.0-56-amd64 and Debian 13 with its
# linux-image-amd64. Exits non-zero if a root does not end with our module built, installed
# and chosen over the kernel's own.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
deb=$(realpath "$2")
shift 2
[ $# -gt 0 ] || set -- bookworm:6.1.0-56-amd64 trixie:amd64
rc=0
inroot() { # ROOT CMD...: CMD in ROOT, with /proc and /dev (dkms wants them)
	unshare --mount --propagation private /bin/bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --bind /dev "$r/dev"
		exec chroot "$r" "$@"' - "$@"
}
for spec in "$@"; do
	suite=${spec%%:*}
	rel=${spec#*:}
	name=pkg-$suite
	r=$cache/roots/$name
	rm -rf "$r"
	ROOTNAME=$name "$top/scripts/buildroot.sh" "$cache" "$suite" >/dev/null
	cp "$deb" "$r/tmp/"
	log=$cache/roots/$name-install.log
	echo "== $suite: apt-get install $(basename "$deb") linux-image-$rel linux-headers-$rel"
	start=$(date +%s)
	if ! unshare --mount --propagation private /bin/bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --bind /dev "$r/dev"
		cp -L /etc/resolv.conf "$r/etc/resolv.conf"
		chroot "$r" apt-get update || exit 1
		DEBIAN_FRONTEND=noninteractive exec chroot "$r" apt-get install -y \
			--no-install-recommends "$@"' - "$r" "/tmp/$(basename "$deb")" \
		"linux-image-$rel" "linux-headers-$rel" >"$log" 2>&1; then
		tail -20 "$log"
		rc=1
		continue
	fi
	echo "   ($(($(date +%s) - start)) s, log $log)"
	for k in "$r"/usr/lib/modules/*; do
		k=${k##*/}
		[ -L "$r/usr/lib/modules/$k/build" ] || continue
		echo "-- dkms status ($k):"
		inroot "$r" dkms status -k "$k" | sed 's/^/   /'
		inroot "$r" dkms status -k "$k" | grep "^xen-pcifront/.*: installed" >/dev/null || rc=1
		# the kernel's own module stays in kernel/ (DKMS 2), or DKMS 3 keeps it aside in
		# original_module/ while ours is installed
		echo "-- the kernel's own module of $k:"
		own=$(find "$r/usr/lib/modules/$k/kernel" "$r/var/lib/dkms/xen-pcifront/original_module/$k" \
			-name 'xen-pcifront.ko*' 2>/dev/null || true)
		echo "${own:-none}" | sed "s|^$r||; s/^/   /"
		[ -n "$own" ] || rc=1
		echo "-- modinfo -n -k $k xen-pcifront:"
		inroot "$r" modinfo -n -k "$k" xen-pcifront | sed 's/^/   /'
		inroot "$r" modinfo -F version -k "$k" xen-pcifront | sed 's/^/   version: /'
		inroot "$r" modinfo -n -k "$k" xen-pcifront | grep /updates/ >/dev/null || rc=1
	done
done
exit $rc
