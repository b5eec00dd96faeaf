#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh CACHE : run checkpatch --strict (from Debian's linux-source-6.1, fetched into
# CACHE) over every source file of the project. Exits non-zero on any warning or error.
# CAMELCASE is off: the kernel API we must use has such names (XenbusState*), as does libFuzzer.
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
files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' | grep -v '^tests/.*/shim' || true)
[ -n "$files" ] || { echo "checkpatch: no files"; exit 0; }
# shellcheck disable=SC2086
"$cp_dir/checkpatch.pl" --strict --no-tree --terse --show-types --summary-file \
	--ignore FILE_PATH_CHANGES,CAMELCASE --file $files
