#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [full] - everything "make check" runs (the CI gate), or with "full" what
# "make check-full" runs: the same stages with the long counts (the lab's check-full
# plan, minutes of fuzzing).
#
# Stages, each counted (scripts/stage.sh): the harness self-test, the module build (W=1),
# the structure (scripts/layers.sh: no circle between files), sparse, checkpatch, the build for every supported kernel (make kernels), the userspace unit tests,
# the rogue backend's model tests (and, in full, its scenarios against a simulated frontend), the
# fuzz targets, and the lab scenarios
# against the real xen-pciback. Every result is a KTAP line; the last line is
# "N passed, N failed". Exits non-zero when anything failed or a stage fell short.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export CACHE=${CACHE:-$top/.cache}
mode=${1:-gate}
. "$top/scripts/stage.sh"
stage_init "$CACHE/check/results.ktap" "$CACHE/check"
rm -f "$CACHE/check/summary"

build_clean() { # the module builds, without a single warning, and "make clean" spares the cache
	local probe=$top/.cache/clean-probe/probe.o
	mkdir -p "${probe%/*}" && touch "$probe" "${probe%.o}.ko"
	make -s clean >/dev/null 2>&1
	[ -f "$probe" ] && [ -f "${probe%.o}.ko" ] || { echo "make clean removed $probe"; return 1; }
	make modules 2>&1 | tee "$CACHE/check/build.out"
	[ "${PIPESTATUS[0]}" = 0 ] && [ -f xen-pcifront.ko ] &&
		! grep -qE 'warning:|error:' "$CACHE/check/build.out"
}

sparse_clean() {
	make -s clean >/dev/null 2>&1
	make sparse 2>&1 | tee "$CACHE/check/sparse.out"
	[ "${PIPESTATUS[0]}" = 0 ] && ! grep -qE ': (warning|error):' "$CACHE/check/sparse.out"
}

# the least each stage must produce (a stage that shrinks below it fails)
MIN_SELFTEST=71 MIN_KERNELS=5 MIN_UNIT=27 MIN_ROGUE=39 MIN_ROGUE_FULL=164 MIN_FUZZ=7 MIN_LAB=700

echo "KTAP version 1"
stage selftest $MIN_SELFTEST "$top/selftests/lab/selftest.sh"
stage_single sparse "sparse (make C=2) reports nothing" sparse_clean
stage_single build "xen-pcifront.ko builds with W=1 and no warnings; make clean spares .cache/" build_clean
stage_single layers "the calls and includes between files make no circle, nothing calls up" \
	"$top/scripts/layers.sh"
stage_single style "checkpatch --strict is clean" make -s style
stage_single kdoc "kernel-doc on every non-static function, and kernel-doc reports nothing" \
	"$top/scripts/kdoc.sh" "$CACHE"
stage kernels $MIN_KERNELS make -s kernels
stage unit $MIN_UNIT make -s unit
rogue=(make -s -C "$top/selftests/rogue" O="$CACHE/rogue-unit" STATIC=0)
if [ "$mode" = full ]; then
	# the rogue against a simulated frontend too: that build needs Xen's libraries
	dpkg -s libxen-dev >/dev/null 2>&1 ||
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends libxen-dev >/dev/null 2>&1
	stage rogue $MIN_ROGUE_FULL "${rogue[@]}" model-check sim-check
	# the long fuzz sessions take the core the lab's QEMU (one TCG thread) leaves free
	stage_bg fuzz nice -n 10 make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-120}"
	stage lab $MIN_LAB "$top/selftests/lab/lab.sh" check-full
	stage_fg fuzz $MIN_FUZZ
else
	stage rogue $MIN_ROGUE "${rogue[@]}" model-check
	stage fuzz $MIN_FUZZ make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
	stage lab $MIN_LAB "$top/selftests/lab/lab.sh" check
fi

stage_summary | tee "$CACHE/check/summary.out"
rc=${PIPESTATUS[0]}
tail -1 "$CACHE/check/summary.out" >"$CACHE/check/summary"
exit "$rc"
