#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# in-root.sh ROOT DIR... -- CMD... : run CMD in the build root ROOT ("/" runs it here) with
# each DIR (the source tree, the kernel headers, the cache) visible at its own path. The bind
# mounts live in a private mount namespace and go away with it.
set -euo pipefail
root=$1
[ -n "$root" ] || { echo "in-root: no build root" >&2; exit 1; }
shift
dirs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	dirs+=("$(realpath -m "$1")")
	shift
done
shift
if [ "$root" = / ]; then
	# headers that ship a vmlinux build BTF for modules: that takes pahole
	for d in "${dirs[@]}"; do
		if [ -e "$d/vmlinux" ]; then
			"$(dirname "$0")/ensure-tools.sh" pahole:dwarves
			break
		fi
	done
	exec "$@"
fi
root=$(realpath "$root")
cwd=$(pwd)
# shellcheck disable=SC2016
exec unshare --mount --propagation private /bin/bash -c '
	set -e
	root=$1 cwd=$2 n=$3
	shift 3
	for d in "${@:1:$n}"; do
		mkdir -p "$root$d"
		mount --bind "$d" "$root$d"
	done
	shift "$n"
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	exec chroot "$root" /bin/sh -c "cd \"\$0\" 2>/dev/null || cd /; exec \"\$@\"" "$cwd" "$@"
' in-root "$root" "$cwd" "${#dirs[@]}" "${dirs[@]}" "$@"
