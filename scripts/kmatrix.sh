#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kmatrix.sh CACHE [TAG] : the kernel releases we support, one a line, in this order:
#   6.1.0-56-amd64            Debian 12's kernel                         (tag 6.1)
#   newest 6.12.x+deb12       Debian 12 (bookworm-security)              (tag 6.12-deb12)
#   newest 6.12.x+deb13       Debian 13 (trixie, trixie-security)        (tag 6.12)
#   newest 7.x+deb13          Debian 13 backports                        (tag 7)
#   newest of sid             linux-headers-amd64 of sid                 (tag sid)
# With TAG, only that one's release. "Newest" is read from the package indexes and kept for
# a day in CACHE/kernels/matrix (KERNELS_REFRESH=1 reads it again).
set -euo pipefail
cache=$(realpath -m "$1")
here=$(dirname "$(realpath "$0")")
out=$cache/kernels
mkdir -p "$out"

newest() { # newest SUITE REGEX: the highest release among linux-headers-<release> names
	"$here/apt-suite.sh" "$cache" "$1" apt-cache pkgnames linux-headers- |
		sed -n -E "s/^linux-headers-($2)$/\1/p" | sort -V | tail -1
}

resolve() {
	local sidmeta
	echo 6.1.0-56-amd64
	# bookworm's own lists: refresh them when they are a day old
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*bookworm-security*Packages*' \
		-mmin -1440 2>/dev/null)" ]; then
		apt-get -o DPkg::Lock::Timeout=600 update >/dev/null 2>&1 || true
	fi
	newest bookworm '6\.12\.[0-9]+\+deb12-amd64'
	newest trixie '6\.12\.[0-9]+\+deb13-amd64'
	newest trixie '7\.[0-9]+\.[0-9]+\+deb13-amd64'
	sidmeta=$("$here/apt-suite.sh" "$cache" sid apt-cache show --no-all-versions \
		linux-headers-amd64 | sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n -E 's/^ *linux-headers-([^ ]+-amd64)( .*)?$/\1/p' | head -1)
	echo "$sidmeta"
}

(
	# one resolver at a time per cache
	flock 9
	if [ -n "${KERNELS_REFRESH:-}" ] || [ -z "$(find "$out/matrix" -mmin -1440 2>/dev/null)" ]; then
		resolve >"$out/matrix.new"
		if [ "$(grep -c . "$out/matrix.new")" -ne 5 ]; then
			echo "kmatrix: could not resolve the matrix:" >&2
			cat "$out/matrix.new" >&2
			exit 1
		fi
		mv "$out/matrix.new" "$out/matrix"
	fi
) 9>"$out/.matrix.lock" || exit 1
case ${2:-} in
'') cat "$out/matrix" ;;
6.1) sed -n 1p "$out/matrix" ;;
6.12-deb12) sed -n 2p "$out/matrix" ;;
6.12) sed -n 3p "$out/matrix" ;;
7) sed -n 4p "$out/matrix" ;;
sid) sed -n 5p "$out/matrix" ;;
*)
	echo "kmatrix: unknown kernel tag '$2' (6.1, 6.12-deb12, 6.12, 7, sid)" >&2
	exit 1
	;;
esac
