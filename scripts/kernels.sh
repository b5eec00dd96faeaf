#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels.sh CACHE : build the module for every supported kernel, W=1 and with sparse (C=2),
# each in the toolchain of its headers, and print the results as KTAP. Exits non-zero when
# one build fails or warns. The matrix (KERNELS="R1 R2 ..." overrides it):
#   6.1.0-56-amd64            Debian 12's kernel
#   newest 6.12.x+deb12       Debian 12 (bookworm-security)
#   newest 6.12.x+deb13       Debian 13 (trixie, trixie-security)
#   newest 7.x+deb13          Debian 13 backports
#   newest of sid             linux-headers-amd64 of sid
# "Newest" is read from the package indexes by scripts/kmatrix.sh (kept for a day). Build
# logs: CACHE/kernels/<release>.log.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
here=$top/scripts
out=$cache/kernels
mkdir -p "$out"
# one run at a time per cache: runs share the build copies and the logs
exec 8>"$out/.lock"
if ! flock -n 8; then
	echo "kernels: waiting for another run on $cache" >&2
	flock 8
fi
version=${XPF_VERSION:-$(git -C "$top" describe --always --dirty 2>/dev/null || echo 0.1)}

if [ -n "${KERNELS:-}" ]; then
	list=$KERNELS
else
	list=$("$here/kmatrix.sh" "$cache") || exit 1
fi

# each kernel builds in its own copy of the sources, so that objects of one never meet another
srcfiles() {
	git -C "$top" ls-files --cached --others --exclude-standard -- Kbuild Makefile compat include \
		pcifront swiotlb scripts
}

set -- $list
echo "KTAP version 1"
echo "1..$#"
n=0
fail=0
for k in "$@"; do
	n=$((n + 1))
	log=$out/$k.log
	b=$out/build/$k
	start=$(date +%s)
	rm -rf "$b"
	mkdir -p "$b"
	srcfiles | tar -C "$top" -cf - -T - | tar -C "$b" -xf -
	rc=0
	env -u KDIR -u KROOT make -j"${KERNELS_JOBS:-2}" -C "$b" CACHE="$cache" KVER="$k" XPF_VERSION="$version" sparse \
		>"$log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	# compiler, sparse and modpost findings; BTF skipped for want of a vmlinux is not one
	warn=$(grep -E '(warning|error|WARNING|ERROR)[: ]' "$log" | grep -v -E 'jobserver|unsandboxed' || true)
	if [ "$rc" -eq 0 ] && [ -z "$warn" ] && [ -f "$b/xen-pcifront.ko" ]; then
		echo "ok $n - $k builds W=1 and sparse clean"
		echo "# $k: ${secs} s"
	else
		echo "not ok $n - $k builds W=1 and sparse clean"
		echo "# $k: exit $rc after ${secs} s, log $log"
		{ [ -n "$warn" ] && head -20 <<<"$warn"; tail -15 "$log"; } | sed 's/^/# /'
		fail=1
	fi
done
exit $fail
