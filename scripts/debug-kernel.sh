#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-kernel.sh CACHE : build (once, then cached) the lab's debug guest kernel from Debian 12's
# own kernel source (linux-source-6.1, the same 6.1 as the lab's kernel): a small x86_64 config
# with Xen PV and the lab's devices, and slab debugging on every cache (KASAN cannot boot a
# 6.1 PV guest: see the config), lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, kmemleak and
# DMA_API_DEBUG. Prints the build tree; in it, arch/x86/boot/bzImage, the modules
# installed under ./mods, and .release (the kernel release). The lab boots it with the plan key
# kernel=debug. JOBS (1) compiles in parallel.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
d=$cache/debug-kernel
src=$d/linux-source-6.1
frag=$top/scripts/debug-kernel.config
stamp=$(cat "$frag" "$0" | sha256sum | cut -c1-16)	# the contents, not the paths they were named by
if [ "$(cat "$d/.done" 2>/dev/null)" = "$stamp" ]; then
	echo "$src"
	exit 0
fi
"$top/scripts/ensure-tools.sh" flex:flex bison:bison bc:bc >&2
for h in /usr/include/libelf.h /usr/include/openssl/ssl.h; do
	[ -f "$h" ] && continue
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends libelf-dev libssl-dev \
		>/dev/null 2>&1 || { echo "debug-kernel: cannot install libelf-dev libssl-dev" >&2; exit 1; }
	break
done
"$top/scripts/fetch-debs.sh" "$cache/debs" linux-source-6.1 >&2
if [ ! -f "$src/Makefile" ]; then
	rm -rf "$d"
	mkdir -p "$d"
	dpkg-deb --fsys-tarfile "$cache/debs"/linux-source-6.1_*.deb |
		tar -xOf - ./usr/src/linux-source-6.1.tar.xz | tar -C "$d" -xJf -
fi
log=$d/build.log
start=$(date +%s)
echo "debug-kernel: building in $src (log $log)" >&2
{
	make -C "$src" x86_64_defconfig &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$src" "$src/.config" \
			"$src/kernel/configs/xen.config" "$src/arch/x86/configs/xen.config" "$frag" &&
		make -C "$src" olddefconfig &&
		make -C "$src" -j"${JOBS:-1}" bzImage modules &&
		rm -rf "$src/mods" &&
		make -C "$src" INSTALL_MOD_PATH="$src/mods" INSTALL_MOD_STRIP=1 modules_install &&
		make -C "$src" -s kernelrelease >"$src/.release"
} >"$log" 2>&1 || {
	tail -30 "$log" >&2
	echo "debug-kernel: the build failed" >&2
	exit 1
}
# every option asked for must have survived olddefconfig (a dependency can drop one)
miss=$(grep -E '^CONFIG_[A-Z0-9_]+=[ym]' "$frag" | while read -r l; do
	grep -qx "$l" "$src/.config" || echo "$l"
done)
if [ -n "$miss" ]; then
	echo "debug-kernel: options lost by the config: $miss" >&2
	exit 1
fi
echo "debug-kernel: $(cat "$src/.release") built in $(($(date +%s) - start)) s" >&2
echo "$stamp" >"$d/.done"
echo "$src"
