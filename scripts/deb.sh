#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deb.sh CACHE : build the Debian package xen-pcifront-dkms (dpkg-buildpackage) from a copy of
# the tree under CACHE/deb/src and leave the .deb in CACHE/deb. Prints the .deb's path.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
"$top/scripts/ensure-tools.sh" dpkg-buildpackage:dpkg-dev dh:debhelper dh_dkms:dh-dkms >&2
out=$cache/deb
rm -rf "$out"
mkdir -p "$out/src/xen-pcifront"
git -C "$top" ls-files --cached --others --exclude-standard -- Kbuild LICENSE dkms.conf compat \
	include pcifront swiotlb debian | tar -C "$top" -cf - -T - | tar -C "$out/src/xen-pcifront" -xf -
(cd "$out/src/xen-pcifront" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
	tail -20 "$out/build.log" >&2
	exit 1
}
mv "$out"/src/*.deb "$out/"
ls "$out"/xen-pcifront-dkms_*.deb
