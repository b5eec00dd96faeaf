#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh CACHE : run checkpatch --strict (from Debian's linux-source-6.1, fetched into
# CACHE) over every source file of the project. Exits non-zero on any warning or error.
# CAMELCASE is off: the kernel API we must use has such names (XenbusState*), as does libFuzzer.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
cp_dir=$("$top/scripts/kernel-tools.sh" "$cache")
cd "$top"
list() { git ls-files --cached --others --exclude-standard -- "$@"; }
kernel=$(list 'pcifront/*.[ch]' 'swiotlb/*.[ch]' 'include/*.h')
# userspace (tests, selftests) keeps the C99 fixed-width types of its libc
user=$(list 'tests/*.[ch]' 'selftests/*.[ch]' | grep -v '/shim' || true)
rc=0
# CAMELCASE: without a tree checkpatch cannot tell kernel API names (XenbusState*) and
# libFuzzer's entry point from new ones
cp() {
	"$cp_dir/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,CAMELCASE "$@"
}
# shellcheck disable=SC2086
[ -z "$kernel" ] || cp --file $kernel || rc=1
# shellcheck disable=SC2086
[ -z "$user" ] || cp --ignore PREFER_KERNEL_TYPES --file $user || rc=1
exit $rc
