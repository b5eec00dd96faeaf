#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# buildroot.sh CACHE SUITE [PACKAGE...] : make (once) a minimal Debian root of SUITE under
# CACHE/roots/SUITE (CACHE/roots/$ROOTNAME with ROOTNAME set) with what building the module
# needs, add PACKAGEs to it, print its path.
# The mirror comes from the machine's apt sources (MIRROR and SECURITY override it).
set -euo pipefail
cache=$(realpath -m "$1")
suite=$2
shift 2
here=$(dirname "$(realpath "$0")")
r=$cache/roots/${ROOTNAME:-$suite}
log=$cache/roots/${ROOTNAME:-$suite}.log

apt_uri() {
	grep -rhoE 'https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		grep -E "$1" | head -1 || true
}

base=make,libc6-dev,perl,sparse,dwarves,bc,kmod,xz-utils,libelf1t64,libssl3t64,zlib1g
[ "$suite" = bookworm ] && base=make,libc6-dev,perl,sparse,dwarves,bc,kmod,xz-utils,libelf1,libssl3,gcc-12
mkdir -p "$cache/roots"
exec 9>"$cache/roots/.lock"
flock 9
if [ ! -f "$r/.done" ]; then
	"$here/ensure-tools.sh" debootstrap:debootstrap >&2
	mirror=${MIRROR:-$(apt_uri '/debian/?$')}
	security=${SECURITY:-$(apt_uri '/debian-security/?$')}
	if [ -z "$mirror" ] || [ -z "$security" ]; then
		echo "buildroot: no Debian mirror in the apt sources; set MIRROR and SECURITY" >&2
		exit 1
	fi
	echo "buildroot: debootstrap $suite into $r (log: $log)" >&2
	rm -rf "$r"
	if ! debootstrap --variant=minbase --include="$base" "$suite" "$r" "$mirror" >"$log" 2>&1; then
		tail -20 "$log" >&2
		exit 1
	fi
	case $suite in
	bookworm | trixie)
		{
			echo "deb $mirror $suite main"
			echo "deb $mirror $suite-updates main"
			echo "deb $security $suite-security main"
			[ "$suite" = trixie ] && echo "deb $mirror $suite-backports main"
		} >"$r/etc/apt/sources.list" ;;
	*)
		echo "deb $mirror $suite main" >"$r/etc/apt/sources.list" ;;
	esac
	printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
	chmod +x "$r/usr/sbin/policy-rc.d"
	rm -f "$r"/etc/apt/sources.list.d/*
	rm -f "$r/.updated"
	touch "$r/.done"
fi
missing=()
for p in "$@"; do
	[ -n "$p" ] || continue
	chroot "$r" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "ok installed" >/dev/null ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "buildroot: installing ${missing[*]} in $r" >&2
	cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
	{
		[ -f "$r/.updated" ] || { chroot "$r" apt-get update && touch "$r/.updated"; }
		DEBIAN_FRONTEND=noninteractive chroot "$r" apt-get install -y \
			--no-install-recommends "${missing[@]}"
	} >>"$log" 2>&1 || {
		tail -20 "$log" >&2
		exit 1
	}
fi
# 7.x headers use __typeof_unqual__ under sparse too; a suite whose sparse cannot parse it
# (trixie's 0.6.4) gets sid's sparse binary (it needs only libc) in /usr/local/bin
if [ "$suite" != bookworm ] && [ ! -x "$r/usr/local/bin/sparse" ] &&
	printf 'int g(const int *p)\n{\n\t__typeof_unqual__(*p) v = *p;\n\treturn v;\n}\n' |
	chroot "$r" sparse -m64 - 2>&1 | grep error >/dev/null; then
	echo "buildroot: $suite's sparse cannot check 7.x headers; adding sid's" >&2
	debs=$cache/debs/sid
	mkdir -p "$debs"
	ls "$debs"/sparse_*.deb >/dev/null 2>&1 ||
		(cd "$debs" && "$here/apt-suite.sh" "$cache" sid apt-get download sparse >/dev/null 2>&1)
	tmp=$(mktemp -d)
	dpkg-deb -x "$(ls "$debs"/sparse_*.deb | tail -1)" "$tmp"
	install -D -m755 "$tmp/usr/bin/sparse" "$r/usr/local/bin/sparse"
	rm -rf "$tmp"
fi
echo "$r"
