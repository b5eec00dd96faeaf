#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ensure-fuzzer.sh CC: make sure CC (clang) can build and link a libFuzzer
# target, installing Debian's clang and its runtime libraries (libFuzzer is in
# libclang-rt-dev, only recommended by clang) when it cannot. Exits non-zero,
# saying why, when it still cannot.
set -uo pipefail
cc=${1:-clang}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

probe() {
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }' \
		>"$tmp/probe.c"
	"$cc" -fsanitize=fuzzer,address,undefined -o "$tmp/probe" "$tmp/probe.c" \
		>"$tmp/probe.log" 2>&1
}

probe && exit 0
if [ "$cc" = clang ]; then
	"$top/scripts/ensure-tools.sh" clang:clang || true
	if ! probe && [ "$(id -u)" = 0 ]; then
		echo "ensure-fuzzer: installing libclang-rt-dev" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends libclang-rt-dev >/dev/null 2>&1 ||
			{ apt-get -o DPkg::Lock::Timeout=600 update >/dev/null &&
			  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends libclang-rt-dev >/dev/null; }
	fi
	probe && exit 0
fi
echo "ensure-fuzzer: $cc cannot build a libFuzzer target:" >&2
sed 's/^/ensure-fuzzer:   /' "$tmp/probe.log" >&2
exit 1
