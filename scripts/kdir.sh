#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kdir.sh CACHE : print a kernel build directory to build the module against.
# With KVER=<release> (e.g. 6.12.118+deb13-amd64): Debian's headers of that release, fetched
# from the suite that ships it and unpacked under CACHE/kdir/<release>. Without KVER: the
# running kernel's build dir when it is a Xen PV capable kernel, else Debian 12's
# 6.1.0-56-amd64. Next to the headers, .suite and .cc name the Debian suite and the compiler
# package they were built with (scripts/kroot.sh picks the build root from them).
set -euo pipefail
cache=$(realpath -m "$1")
here=$(dirname "$(realpath "$0")")
run=/lib/modules/$(uname -r)/build
if [ -z "${KVER:-}" ] && [ -z "${KVER_FORCE:-}" ] && [ -f "$run/.config" ] &&
	grep -q '^CONFIG_XEN_PV=y' "$run/.config" &&
	grep -q '^CONFIG_XEN_PCIDEV_FRONTEND=' "$run/.config"; then
	echo "$run"
	exit 0
fi
kver=${KVER:-6.1.0-56-amd64}
# the suite from the release: 6.1.0-N and +deb12 are Debian 12's, +deb13 Debian 13's
# (trixie, its updates, security and backports), anything newer is sid's
case $kver in
6.1.0-* | *+deb12-*) suite=bookworm ;;
*+deb13-*) suite=trixie ;;
*) suite=sid ;;
esac
root=$cache/kdir/$kver
dir=$root/usr/src/linux-headers-$kver
if [ ! -f "$root/.done" ]; then
	apt() { "$here/apt-suite.sh" "$cache" "$suite" "$@"; }
	deps=$(apt apt-cache show --no-all-versions "linux-headers-$kver" 2>/dev/null |
		sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//' || true)
	if [ -z "$deps" ] && [ "$suite" = bookworm ]; then
		apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
		deps=$(apt-cache show --no-all-versions "linux-headers-$kver" 2>/dev/null |
			sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//' || true)
	fi
	if [ -z "$deps" ]; then
		echo "kdir: no package linux-headers-$kver in $suite" >&2
		exit 1
	fi
	# the headers name their common part, their kbuild package (linux-kbuild-6.1 on
	# 6.1, linux-kbuild-<full version> since 6.12) and their compiler
	common=$(echo "$deps" | grep -m1 '^linux-headers-.*-common$')
	kbuild=$(echo "$deps" | grep -m1 '^linux-kbuild-')
	cc=$(echo "$deps" | grep -m1 -E '^(linux-compiler-)?gcc-[0-9]+' |
		sed -E 's/^linux-compiler-(gcc-[0-9]+).*/\1/; s/-for-host$//')
	pkgs=("linux-headers-$kver" "$common" "$kbuild")
	debs=$cache/debs
	[ "$suite" = bookworm ] || debs=$cache/debs/$suite
	mkdir -p "$debs"
	(
		cd "$debs"
		need=()
		for p in "${pkgs[@]}"; do
			ls "${p}"_*.deb >/dev/null 2>&1 || need+=("$p")
		done
		[ ${#need[@]} -eq 0 ] || apt apt-get download "${need[@]}" >/dev/null
	)
	rm -rf "$root"
	mkdir -p "$root"
	for p in "${pkgs[@]}"; do
		dpkg-deb -x "$(ls "$debs/${p}"_*.deb | tail -1)" "$root"
	done
	# the arch directory's Makefile names the common one (and since 7.x itself, as
	# KBUILD_OUTPUT) by absolute path
	sed -i "s#\(^\|[ =]\)/usr/src/#\1$root/usr/src/#g" "$dir/Makefile"
	# Debian's kbuild packages of 7.x leave out the script with which kbuild asks whether
	# the checker (sparse, C=1/C=2) works; without it C=2 checks nothing. Ours prints 1
	# when the checker runs and understands __typeof_unqual__, as 7.x headers need.
	if grep -q checker-valid.sh "$root/usr/src/$common/Makefile" &&
		[ ! -e "$dir/scripts/checker-valid.sh" ]; then
		cat >"$dir/scripts/checker-valid.sh" <<-'CHK'
			#!/bin/sh
			# checker-valid.sh CHECKER FLAGS...: print 1 if CHECKER can check kernel code
			command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
			f=$(mktemp --suffix=.c)
			printf 'int g(const int *p)\n{\n\t__typeof_unqual__(*p) v = *p;\n\treturn v;\n}\n' >"$f"
			if "$@" "$f" 2>&1 | grep error >/dev/null; then echo 0; else echo 1; fi
			rm -f "$f"
		CHK
		chmod +x "$dir/scripts/checker-valid.sh"
	fi
	echo "$suite" >"$root/.suite"
	echo "$cc" >"$root/.cc"
	touch "$root/.done"
fi
echo "$dir"
