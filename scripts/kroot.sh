#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kroot.sh CACHE KDIR : print the root directory whose toolchain matches the kernel headers
# in KDIR, "/" for this machine's own. Debian 12's kernels (gcc-12) build here; Debian 13's
# and sid's name a newer gcc and ship host tools (objtool, modpost) linked against a newer
# glibc, so they build in a minimal debootstrapped root of their suite, made once under
# CACHE/roots/<suite> with the compiler the headers name.
set -euo pipefail
cache=$(realpath -m "$1")
here=$(dirname "$(realpath "$0")")
hdr=$(realpath -m "$2/../../..")
suite=$(cat "$hdr/.suite" 2>/dev/null || echo host)
cc=$(cat "$hdr/.cc" 2>/dev/null || echo)
host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ "$suite" = host ] || [ "$suite" = "$host" ]; then
	echo /
	exit 0
fi
exec "$here/buildroot.sh" "$cache" "$suite" "$cc"
