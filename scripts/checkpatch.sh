#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh CACHE : run checkpatch --strict (from Debian's linux-source-6.1, fetched into
# CACHE) over every source file of the project. Exits non-zero on any warning or error.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
cp_dir=$cache/checkpatch
if [ ! -x "$cp_dir/checkpatch.pl" ]; then
	"$top/scripts/fetch-debs.sh" "$cache/debs" linux-source-6.1
	tmp=$(mktemp -d)
	dpkg-deb -x "$cache/debs"/linux-source-6.1_*.deb "$tmp"
	mkdir -p "$cp_dir"
	tar -C "$cp_dir" --strip-components=1 -xf "$tmp"/usr/src/linux-source-6.1.tar.xz \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	mv "$cp_dir/scripts/"* "$cp_dir/"
	rmdir "$cp_dir/scripts"
	rm -rf "$tmp"
fi
cd "$top"
list() { git ls-files --cached --others --exclude-standard -- "$@"; }
kernel=$(list 'pcifront/*.[ch]' 'swiotlb/*.[ch]' 'include/*.h')
# userspace (tests, selftests) keeps the C99 fixed-width types of its libc
user=$(list 'tests/*.[ch]' 'selftests/*.[ch]' | grep -v '/shim' || true)
rc=0
cp() { "$cp_dir/checkpatch.pl" --strict --no-tree --terse --show-types --ignore FILE_PATH_CHANGES "$@"; }
# shellcheck disable=SC2086
[ -z "$kernel" ] || cp --file $kernel || rc=1
# shellcheck disable=SC2086
[ -z "$user" ] || cp --ignore PREFER_KERNEL_TYPES --file $user || rc=1
exit $rc
