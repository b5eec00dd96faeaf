#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deb-test.sh CACHE DEB [SUITE:RELEASE...] : install the package DEB with apt, together with the
# headers of RELEASE, into a fresh Debian root of SUITE (CACHE/roots/pkg-SUITE), and show what
# DKMS made of it: dkms status, and which xen-pcifront.ko modprobe would load. Default: Debian
# 12 with 6.1.0-56-amd64 and Debian 13 with its linux-headers-amd64. Exits non-zero if a root
# does not end with our module built and installed.
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
	echo "== $suite: apt-get install $(basename "$deb") linux-headers-$rel"
	start=$(date +%s)
	if ! unshare --mount --propagation private /bin/bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --bind /dev "$r/dev"
		cp -L /etc/resolv.conf "$r/etc/resolv.conf"
		chroot "$r" apt-get update || exit 1
		DEBIAN_FRONTEND=noninteractive exec chroot "$r" apt-get install -y \
			--no-install-recommends "$@"' - "$r" "/tmp/$(basename "$deb")" \
		"linux-headers-$rel" >"$log" 2>&1; then
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
		inroot "$r" dkms status -k "$k" | grep -q "^xen-pcifront/.*: installed" || rc=1
		# a root with the headers only has no in-tree modules: modinfo then finds ours alone
		echo "-- in-tree module of $k:"
		find "$r/usr/lib/modules/$k" -path '*/kernel/*' -name 'xen-pcifront.ko*' |
			sed "s|^$r|   |"
		echo "-- modinfo -n -k $k xen-pcifront:"
		inroot "$r" modinfo -n -k "$k" xen-pcifront | sed 's/^/   /'
		inroot "$r" modinfo -F version -k "$k" xen-pcifront | sed 's/^/   version: /'
		inroot "$r" modinfo -n -k "$k" xen-pcifront | grep -q /updates/ || rc=1
	done
done
exit $rc
