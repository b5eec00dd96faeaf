#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kdoc.sh CACHE : every non-static function of the module has a kernel-doc comment (at its
# definition or its declaration), and the kernel's kernel-doc (Debian's linux-source-6.1,
# fetched into CACHE) reports nothing. Exits non-zero otherwise, naming what is missing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "$1")
kd=$("$top/scripts/kernel-tools.sh" "$cache")/kernel-doc
cd "$top"
src=$(git ls-files --cached --others --exclude-standard -- 'pcifront/*.c' 'swiotlb/*.c')
hdr=$(git ls-files --cached --others --exclude-standard -- 'pcifront/*.[ch]' 'swiotlb/*.[ch]' \
	'include/*.h')
# shellcheck disable=SC2086
documented=$(sed -n -E 's/^ \* ([a-z_][a-z0-9_]*)\(\) - .*/\1/p' $hdr | sort -u)
# a definition: a line at column 0 that is not static and names a function, then "{" at
# column 0 before any ";"
# shellcheck disable=SC2086
defined=$(awk '
	/^[a-z_][^;#]*\(/ && !/^static/ && !/^(struct|enum|union) [a-z_0-9]+ \{/ {
		s = $0; sub(/\(.*/, "", s); n = split(s, w, /[ *]+/); cand = w[n]; next
	}
	/;/ { cand = "" }
	/^\{/ { if (cand != "") print FILENAME ": " cand; cand = "" }
' $src | sort -u)
missing=0
while read -r f name; do
	[ -n "$name" ] || continue
	if ! grep -qx "$name" <<<"$documented"; then
		echo "kdoc: ${f%:} $name() has no kernel-doc comment"
		missing=$((missing + 1))
	fi
done <<<"$defined"
# shellcheck disable=SC2086
out=$(perl "$kd" -none $hdr 2>&1 || true)
if [ -n "$out" ]; then
	echo "$out"
	missing=$((missing + 1))
fi
n=$(grep -c . <<<"$defined")
echo "kdoc: $n non-static functions, $missing problems"
[ "$missing" = 0 ] && [ "$n" -gt 0 ]
