#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab.sh - boot real Xen in QEMU (TCG, q35, emulated Intel IOMMU) with a PV dom0 running
# the real xen-pciback and xl, and run PV domUs that use a PCI frontend (ours or the
# in-tree one) on QEMU-emulated devices passed through to them. The dom0 is Debian 12's
# (Xen 4.17, Linux 6.1) or, with LAB_DOM0=trixie, Debian 13's (Xen 4.20, its newest 6.12);
# the domUs are the same on both.
#
#   lab.sh demo            build everything, one boot, show the devices working (make lab)
#   lab.sh check           the check scenarios, results as KTAP on stdout (make check)
#   lab.sh check-full      the same with the long counts (make check-full)
#   lab.sh bench           benchmarks, ours and the in-tree peer in the same boot
#   lab.sh soak            long hotplug soak (SOAK_CYCLES=N instead of the plan's 1,000)
#   lab.sh run PLANFILE    one boot running the domU runs of PLANFILE (see plan format below)
#   lab.sh prepare         fetch and build what a boot needs, no boot
#
# Environment:
#   CACHE [<top>/.cache]   downloads, rootfs, images and logs; also holds the lock that keeps
#                          to one QEMU at a time
#   LAB_DOM0 [bookworm]    the dom0: bookworm (Debian 12: Xen 4.17, Linux 6.1.0-56, cache
#                          CACHE/lab) or trixie (Debian 13: Xen 4.20, Debian 13's newest 6.12,
#                          cache CACHE/lab-trixie). A plan may name its dom0 in a line
#                          "# lab: dom0=trixie"; LAB_DOM0 must then agree with it
#   FRONTEND [ours]        demo only: ours | intree
#   DEVICES [nvme+e1000e+edu]  demo only: devices given to the domU
#   HOTPLUG [0]            demo only: detach/attach cycles per device
#   DOMU_MEM [512]         MiB of the domU (the 64 MiB nvme pattern is kept in its RAM)
#   QEMU_TIMEOUT [1800]    seconds for one whole boot (check, check-full, run: the plan's run
#                          timeouts + 600, bench too; soak: 15 s a cycle)
#   KEEP_LOGS              set: print where the full log is, even on success
#   DOM0_EXTRA             more dom0 kernel parameters, no commas (e.g. xen_pciback.passthrough=1)
#   TCG_THREAD [single]    QEMU's TCG threading: single (the most reliable here) or multi
#                          (about 1.5 times as fast on two cores, but QEMU 7.2 segfaulted
#                          in 2 of 6 such boots here, once with the machine otherwise idle)
#   LAB_CPUS [2]           CPUs of the emulated machine (Xen's pCPUs)
#   LAB_CPU [max,-smap,-xsave]  QEMU's CPU model (Xen's PV dom0 dies early with SMAP, and
#                          XSAVE state got corrupted across Xen's context switches;
#                          max,-smap,-smep,-pku,-xsave was not faster: 11.7 s a hotplug cycle)
#   QEMU_BIN, QEMU_DATA    another QEMU binary and its firmware directory (-L). Debian 12's
#                          QEMU 7.2 is the one that works: bookworm-backports' 10.0 (multi) booted,
#                          but a device's legacy interrupt never reached the domU (Xen: "No
#                          irq handler for vector"), so nvme timed out; trixie-backports'
#                          QEMU 11.1.3 (run from a debootstrapped Debian 13 root through its
#                          ld.so, multi-threaded TCG) fails the same way already in dom0's
#                          boot, right after rtc_cmos: 150,000 such lines in 100 s
#
# Plan format: one domU run a line, "name frontend devices steps [key=value...]", with
# devices and steps joined by '+'. Devices: those of selftests/lab/devices (nvme e1000e edu ivshmem). Steps are run in order in the
# domU by domU-init (see there): e.g. "load+visible+lspci+nvme-dma+e1000e-link+edu-bars+selftests".
# A header line "# lab: dom0=FLAVOUR" names the plan's dom0 (LAB_DOM0).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=$(realpath -m "${CACHE:-$TOP/.cache}")
# the default domU kernel, Debian 12's, whichever the dom0
DOMU_KVER=6.1.0-56-amd64
# what the cached base images hold: bump when do_base changes
BASE_REV=4
# a plan's boot may take as long as its runs' timeouts (600 s each unless timeout= says), plus
# 10 min for dom0 and the teardowns
plan_timeout() {
	awk '!/^[[:space:]]*(#|$)/ { t = 600; for (i = 5; i <= NF; i++) if ($i ~ /^timeout=/) t = substr($i, 9); sum += t }
		END { print sum + 600 }' "$1" 2>/dev/null || echo 1800
}
case ${1:-} in
# soak: 15 s a cycle (10-14.2 s were measured on slow days: close to this bound), plus the boot
soak) QEMU_TIMEOUT=${QEMU_TIMEOUT:-$((${SOAK_CYCLES:-1000} * 15 + 900))} ;;
run) QEMU_TIMEOUT=${QEMU_TIMEOUT:-$(plan_timeout "${2:-/dev/null}")} ;;
# check and check-full: the boot may take as long as its runs' limits together
check) QEMU_TIMEOUT=${QEMU_TIMEOUT:-$(plan_timeout "$HERE/plans/check.plan")} ;;
check-full) QEMU_TIMEOUT=${QEMU_TIMEOUT:-$(plan_timeout "$HERE/plans/check-full.plan")} ;;
bench) QEMU_TIMEOUT=${QEMU_TIMEOUT:-$(plan_timeout "$HERE/plans/bench.plan")} ;;
*) QEMU_TIMEOUT=${QEMU_TIMEOUT:-1800} ;;
esac
DOMU_MEM=${DOMU_MEM:-512}
TCG_THREAD=${TCG_THREAD:-single}
LAB_CPUS=${LAB_CPUS:-2}
LAB_CPU=${LAB_CPU:-max,-smap,-xsave}
# the lab network: QEMU hub 0 joins dom0's e1000 (this MAC) and the e1000e passed
# through to the domUs; nothing else is on it (-nic none), and it uses link-local
# addresses only (dom0 169.254.0.1, each domU 169.254.0.2)
LAB_DOM0_MAC=52:54:00:4c:41:01
T0=$(date +%s)

say() { echo "== lab [$(($(date +%s) - T0))s]: $*" >&2; }
die() {
	echo "== lab: ERROR: $*" >&2
	exit 1
}

# ------------------------------------------------------------------ the dom0 flavour
# plan_dom0 PLAN: the dom0 its header "# lab: dom0=FLAVOUR" names, if any
plan_dom0() {
	sed -n -E 's/^#[[:space:]]*lab:[[:space:]]*dom0=([a-z0-9]+).*/\1/p' "$1" 2>/dev/null | head -1
}
case ${1:-} in
run) PLAN_DOM0=$(plan_dom0 "${2:-/dev/null}") ;;
*) PLAN_DOM0= ;;
esac
[ -z "$PLAN_DOM0" ] || [ -z "${LAB_DOM0:-}" ] || [ "$PLAN_DOM0" = "$LAB_DOM0" ] ||
	die "LAB_DOM0=$LAB_DOM0, but the plan ${2:-} is for dom0=$PLAN_DOM0"
LAB_DOM0=${LAB_DOM0:-${PLAN_DOM0:-bookworm}}
# SUITE: the dom0 root's Debian suite; KVER: its kernel; DOMU_ROOT: the Debian 12 root whose
# programs (lspci, iperf3) go into the domU images
case $LAB_DOM0 in
bookworm)
	LAB=$CACHE/lab SUITE=bookworm XENVER=4.17 KVER=$DOMU_KVER
	DOMU_ROOT=$LAB/rootfs
	;;
trixie)
	# Debian 13's newest 6.12 (scripts/kmatrix.sh tag 6.12); offline, the one the cache has
	LAB=$CACHE/lab-trixie SUITE=trixie XENVER=4.20
	KVER=$("$TOP/scripts/kmatrix.sh" "$CACHE" 6.12 2>/dev/null) || KVER=$(cat "$LAB/boot/.kver" 2>/dev/null)
	[ -n "$KVER" ] || die "LAB_DOM0=trixie: no Debian 13 6.12 kernel found (scripts/kmatrix.sh $CACHE 6.12)"
	DOMU_ROOT=$LAB/domu-rootfs
	;;
*)
	die "LAB_DOM0=$LAB_DOM0: no such dom0 (bookworm, trixie)"
	;;
esac
# Debian packages in the dom0 root: the toolstack, and the peers of the NIC tests (dom0
# serves them on the lab network); a cached root missing one gets it, and new images
ROOTFS_PKGS="xen-utils-$XENVER iproute2 iperf3"
# the domU's programs when they have a root of their own (the trixie dom0)
DOMU_ROOT_PKGS="pciutils iperf3"

# Debian mirrors: the ones this machine's apt already uses, read from its sources.
apt_uri() {
	grep -rhoE 'https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		grep -E "$1" | head -1
}

mkdir -p "$LAB"/{debs,x,boot,logs,run}

# ------------------------------------------------------------------ fetch
# mb1_elf FILE: a 32-bit ELF with the multiboot1 magic in its first 8 KiB, what QEMU's
# -kernel loads as a multiboot kernel (Xen's xen.gz holds one: 4.17's and 4.20's alike)
mb1_elf() {
	[ "$(head -c 5 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c4601 ] &&
		head -c 8192 "$1" | od -An -tx4 -v | grep -w 1badb002 >/dev/null
}

do_fetch() {
	[ -f "$LAB/x/.done" ] && return 0
	say "host tools"
	"$TOP/scripts/ensure-tools.sh" qemu-system-x86_64:qemu-system-x86 debootstrap:debootstrap \
		cpio:cpio dpkg-deb:dpkg xz:xz-utils || die "cannot install the host tools"
	case $LAB_DOM0 in
	bookworm)
		say "downloading Xen $XENVER, Linux $KVER, busybox"
		"$TOP/scripts/fetch-debs.sh" "$LAB/debs" xen-hypervisor-$XENVER-amd64 linux-image-$KVER \
			busybox-static || die "download failed"
		;;
	trixie)
		# Debian 13's hypervisor (its kernel comes with dom0_kernel); busybox is Debian 12's,
		# as the domUs have it on the bookworm dom0
		say "downloading Xen $XENVER (Debian 13), busybox (Debian 12)"
		if ! ls "$LAB/debs"/xen-hypervisor-$XENVER-amd64_*.deb >/dev/null 2>&1; then
			(cd "$LAB/debs" && "$TOP/scripts/apt-suite.sh" "$CACHE" trixie apt-get download \
				xen-hypervisor-$XENVER-amd64) >"$LAB/logs/fetch.log" 2>&1 ||
				{ tail -5 "$LAB/logs/fetch.log" >&2; die "downloading xen-hypervisor-$XENVER-amd64"; }
		fi
		"$TOP/scripts/fetch-debs.sh" "$LAB/debs" busybox-static || die "download failed"
		;;
	esac
	rm -rf "$LAB/x"
	mkdir -p "$LAB/x"/{xen,bb}
	dpkg-deb -x "$LAB/debs"/xen-hypervisor-$XENVER-amd64_*.deb "$LAB/x/xen"
	dpkg-deb -x "$LAB/debs"/busybox-static_*.deb "$LAB/x/bb"
	if [ "$LAB_DOM0" = bookworm ]; then
		mkdir -p "$LAB/x/linux"
		dpkg-deb -x "$LAB/debs"/linux-image-${KVER}_*.deb "$LAB/x/linux"
		cp "$LAB/x/linux/boot/vmlinuz-$KVER" "$LAB/boot/vmlinuz"
	fi
	# Xen's multiboot1 ELF, loaded by QEMU -kernel
	zcat "$LAB/x/xen/boot/xen-$XENVER-amd64.gz" >"$LAB/boot/xen" &&
		mb1_elf "$LAB/boot/xen" || die "xen-$XENVER-amd64.gz does not hold a 32-bit multiboot1 ELF"
	touch "$LAB/x/.done"
}

# fio for the domU: Debian's package pulls in Ceph, GlusterFS and Python, far too much for
# an initramfs, so Debian's source of the same version is built here, static, with the
# engines the lab uses (libaio, psync). The download is checked against the .dsc.
FIO_VER=3.33-3
do_fio() {
	local F=$LAB/x/fio mirror up=${FIO_VER%-*} sum tmp
	[ -x "$F/fio" ] && [ "$(cat "$F/.version" 2>/dev/null)" = "$FIO_VER" ] && return 0
	mirror=${MIRROR:-$(apt_uri '/debian/?$')}
	[ -n "$mirror" ] || die "no Debian mirror in the apt sources; set MIRROR"
	say "fio $FIO_VER from Debian's source, static (log: $LAB/logs/fio.log)"
	"$TOP/scripts/ensure-tools.sh" curl:curl gcc:gcc || die "host tools for fio"
	if [ ! -f /usr/lib/x86_64-linux-gnu/libaio.a ]; then
		{ DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends libaio-dev ||
			{ apt-get -o DPkg::Lock::Timeout=600 update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
				--no-install-recommends libaio-dev; }; } >/dev/null 2>&1 || die "installing libaio-dev"
	fi
	rm -rf "$F" && mkdir -p "$F/src"
	curl -fsS -o "$F/fio.dsc" "$mirror/pool/main/f/fio/fio_$FIO_VER.dsc" &&
		curl -fsS -o "$F/fio.tar.gz" "$mirror/pool/main/f/fio/fio_$up.orig.tar.gz" ||
		die "downloading Debian's fio $FIO_VER source"
	sum=$(awk -v f="fio_$up.orig.tar.gz" '/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 }
		s && $3 == f { print $1 }' "$F/fio.dsc")
	[ -n "$sum" ] && [ "$(sha256sum <"$F/fio.tar.gz" | cut -d' ' -f1)" = "$sum" ] ||
		die "fio_$up.orig.tar.gz does not match the SHA-256 of its .dsc"
	tmp=$F/src
	tar -C "$tmp" --strip-components=1 -xzf "$F/fio.tar.gz" || die "unpacking fio"
	(cd "$tmp" && ./configure --build-static --disable-native && make -j"$(nproc)") \
		>"$LAB/logs/fio.log" 2>&1 || {
		tail -20 "$LAB/logs/fio.log" >&2
		die "building fio failed"
	}
	grep -q '^Linux AIO support  *yes' "$LAB/logs/fio.log" || die "fio was built without libaio"
	strip -o "$F/fio" "$tmp/fio" || die "strip fio"
	rm -rf "$tmp" "$F/fio.tar.gz"
	echo "$FIO_VER" >"$F/.version"
	rm -f "$LAB/boot/.base-done"
}

# ------------------------------------------------------------------ dom0 root file system
do_rootfs() {
	make_root "$LAB/rootfs" $SUITE "$ROOTFS_PKGS" ""
	dom0_kernel
	# the trixie dom0's domUs: their programs from a Debian 12 root of their own
	[ "$DOMU_ROOT" = "$LAB/rootfs" ] || make_root "$DOMU_ROOT" bookworm "$DOMU_ROOT_PKGS" domu-
}

# make_root DIR SUITE PKGS LOG: a debootstrapped minimal Debian root of SUITE with PKGS from
# SUITE, its updates and its security suite (where the xen-utils that match the hypervisor
# are); a cached root missing a package gets it. Logs: LAB/logs/LOG{debootstrap,chroot-apt}.log
make_root() {
	local R=$1 suite=$2 pkgs=$3 lg=$LAB/logs/$4 mirror security
	if [ -f "$R/.done" ]; then
		[ "$(cat "$R/.pkgs" 2>/dev/null)" = "$pkgs" ] && return 0
		root_pkgs "$R" "$pkgs" "${lg}chroot-apt.log" && return 0
		die "apt-get install $pkgs in the cached root $R failed"
	fi
	mirror=${MIRROR:-$(apt_uri '/debian/?$')}
	security=${SECURITY:-$(apt_uri '/debian-security/?$')}
	[ -n "$mirror" ] && [ -n "$security" ] ||
		die "no Debian mirror in the apt sources; set MIRROR and SECURITY"
	umount "$R/proc" 2>/dev/null
	rm -rf "$R"
	say "debootstrap $suite into ${R#"$LAB"/} (log: ${lg}debootstrap.log)"
	debootstrap --variant=minbase --include=kmod,pciutils "$suite" "$R" "$mirror" \
		>"${lg}debootstrap.log" 2>&1 || {
		tail -20 "${lg}debootstrap.log" >&2
		die "debootstrap $suite failed"
	}
	cat >"$R/etc/apt/sources.list" <<-EOF
		deb $mirror $suite main
		deb $mirror $suite-updates main
		deb $security $suite-security main
	EOF
	printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
	chmod +x "$R/usr/sbin/policy-rc.d"
	root_pkgs "$R" "$pkgs" "${lg}chroot-apt.log" || die "apt-get install $pkgs in the chroot failed"
	touch "$R/.done"
}

# root_pkgs DIR PKGS LOGFILE: PKGS into the root (and the stamp that says so); the base images
# are made anew
root_pkgs() {
	local R=$1 log=$3 rc pkgs
	read -ra pkgs <<<"$2"
	say "$2 in the chroot ${R#"$LAB"/} (log: $log)"
	mount -t proc proc "$R/proc"
	{
		chroot "$R" apt-get update &&
			DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get install -y \
				--no-install-recommends "${pkgs[@]}"
	} >"$log" 2>&1
	rc=$?
	umount "$R/proc"
	if [ $rc != 0 ]; then
		tail -20 "$log" >&2
		return 1
	fi
	echo "$2" >"$R/.pkgs"
	rm -f "$LAB/boot/.base-done"
}

# dom0_kernel: the dom0 kernel's modules in the dom0 root (merged /usr: lib -> usr/lib, so
# they are copied in rather than the deb unpacked over it) and its image in boot/vmlinuz.
# Debian 12's comes with do_fetch; the trixie dom0's, Debian 13's newest 6.12, is unpacked
# by kernel_debian, and a newer release replaces the one the root had.
dom0_kernel() {
	local R=$LAB/rootfs src K=$LAB/kdom0
	[ -f "$R/usr/lib/modules/$KVER/modules.dep" ] && return 0
	if [ "$LAB_DOM0" = bookworm ]; then
		src=$LAB/x/linux/lib/modules/$KVER
	else
		say "dom0 kernel $KVER (Debian 13)"
		"$TOP/scripts/ensure-tools.sh" depmod:kmod || die "host tools for the dom0 kernel"
		rm -rf "$K"
		kernel_debian "$KVER" "$K"
		src=$KMODS/lib/modules/$KVER
		rm -rf "$R/usr/lib/modules"
		cp "$KIMG" "$LAB/boot/vmlinuz" || die "no vmlinuz for $KVER"
	fi
	mkdir -p "$R/usr/lib/modules"
	cp -a "$src" "$R/usr/lib/modules/" || die "copying the modules of $KVER"
	# modules.dep last: it says the root has this kernel
	chroot "$R" depmod -a "$KVER" || die "depmod"
	rm -rf "$K"
	echo "$KVER" >"$LAB/boot/.kver"
	rm -f "$LAB/boot/.base-done"
}

# copy_bin ROOT BIN...: programs of the domUs' Debian 12 root into the image at ROOT, with
# their libraries
copy_bin() {
	local U=$1 b l
	shift
	for b in "$@"; do
		mkdir -p "$U$(dirname "$b")"
		cp "$DOMU_ROOT$b" "$U$b" || return 1
		for l in $(chroot "$DOMU_ROOT" ldd "$b" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
			mkdir -p "$U$(dirname "$l")"
			cp -L "$DOMU_ROOT$l" "$U$l" || return 1
		done
	done
}

# mod_paths MODULE...: their .ko paths inside the dom0 root, dependencies first; a module
# built into the kernel has none (6.12 may build in what 6.1 has as a module), and one that
# is neither fails
mod_paths() {
	local m out all=
	for m in "$@"; do
		out=$(chroot "$LAB/rootfs" modprobe --show-depends -S "$KVER" "$m") || {
			echo "== lab: ERROR: $KVER has no module $m, nor has it built in" >&2
			return 1
		}
		all+=$(awk '$1 == "insmod" { print $2 }' <<<"$out")$'\n'
	done
	awk 'NF && !seen[$0]++' <<<"$all"
}

# ko_plain SRC DST: a module file, decompressed (busybox and insmod by path want plain .ko)
ko_plain() {
	case $1 in
	*.ko.xz) xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -qdc "$1" >"$2" ;;
	*.ko.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# ------------------------------------------------------------------ base images (cached)
# domu_programs DIR: what every domU image has besides its kernel's modules (the userspace
# is Debian 12's for every domU kernel)
domu_programs() {
	local U=$1
	mkdir -p "$U"/{bin,sbin,proc,sys,dev,tmp,run,usr/bin,usr/sbin,usr/share/misc}
	cp "$LAB/x/bb/bin/busybox" "$U/bin/busybox"
	copy_bin "$U" /usr/bin/lspci /usr/bin/iperf3 || die "copying programs into the domU image"
	cp "$LAB/x/fio/fio" "$U/usr/bin/fio" || die "copying fio into the domU image"
	cp "$DOMU_ROOT/usr/share/misc/pci.ids" "$U/usr/share/misc/"
}

# The initramfs of each domain is two concatenated cpio archives: a large cached base and
# a small overlay made for every boot (init scripts, plan, our module, the selftests).
do_base() {
	local R=$LAB/rootfs D=$LAB/dom0base U=$LAB/domUbase k mods hv tools domu_vmlinuz
	[ "$(cat "$LAB/boot/.base-done" 2>/dev/null)" = "$BASE_REV" ] && return 0
	# the toolstack must be the hypervisor's own release
	hv=$(dpkg-deb -f "$(ls "$LAB/debs"/xen-hypervisor-$XENVER-amd64_*.deb | tail -1)" Version)
	tools=$(chroot "$R" dpkg-query -W -f '${Version}' xen-utils-$XENVER)
	[ "$hv" = "$tools" ] || die "the hypervisor is $hv but the dom0 root's xen-utils-$XENVER" \
		"$tools: remove $LAB/debs/xen-hypervisor-* and $LAB/x/.done to fetch the matching one"
	if [ "$LAB_DOM0" = bookworm ]; then
		domU_base_bookworm "$U"
		domu_vmlinuz=$LAB/boot/vmlinuz
	else
		# the domUs of the trixie dom0 boot what those of the bookworm dom0 boot: Debian 12's
		# 6.1, its image made as for plan key kernel=6.1
		kernel_base 6.1
		[ "$(cat "$KERNEL_DIR/release")" = "$DOMU_KVER" ] || die "kernel=6.1 is not $DOMU_KVER"
		cp "$KERNEL_DIR/base.cpio.gz" "$LAB/boot/domU-base.cpio.gz" || die "domU base cpio"
		domu_vmlinuz=$KERNEL_DIR/vmlinuz
	fi

	say "dom0 base image"
	rm -rf "$D"
	mkdir -p "$D"
	tar -C "$R" --exclude=./usr/lib/modules --exclude=./var/cache/apt --exclude=./var/lib/apt/lists \
		--exclude=./usr/share/doc --exclude=./usr/share/man --exclude=./usr/share/locale \
		--exclude=./usr/share/info --exclude='./usr/lib/python3.[0-9]*' --exclude=./.done \
		--exclude=./.pkgs -cf - . |
		tar -C "$D" -xf - || die "copy rootfs"
	mkdir -p "$D/usr/lib/modules/$KVER" "$D/guest"
	cp "$R/usr/lib/modules/$KVER"/modules.* "$D/usr/lib/modules/$KVER/"
	# e1000: dom0's own NIC on the lab network (the peer of the domUs' e1000e); those built
	# into the kernel need no file (dom0-init's modprobe finds them in modules.builtin)
	mods=$(mod_paths xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-pciback e1000) ||
		die "the dom0 kernel lacks a module the lab needs"
	for k in $mods; do
		mkdir -p "$D$(dirname "$k")"
		cp "$R$k" "$D$k"
	done
	cp "$domu_vmlinuz" "$D/guest/vmlinuz"
	(cd "$D" && find . | cpio -o -H newc --quiet | gzip -1 >"$LAB/boot/dom0-base.cpio.gz") ||
		die "dom0 base cpio"
	echo "$BASE_REV" >"$LAB/boot/.base-done"
}

# domU_base_bookworm DIR: the domU base image of the bookworm dom0, its modules from the
# dom0 root (the same 6.1)
domU_base_bookworm() {
	local R=$LAB/rootfs U=$1 k mods
	say "domU base image"
	rm -rf "$U"
	mkdir -p "$U/lib/modules/$KVER"
	cp "$R/usr/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$U/lib/modules/$KVER/"
	mods=$(mod_paths xen-pcifront nvme e1000e) || die "the domU kernel lacks a module the lab needs"
	for k in $mods; do
		k=${k#/lib/modules/}
		k=${k#/usr/lib/modules/}
		mkdir -p "$U/lib/modules/$(dirname "$k")"
		cp "$R/usr/lib/modules/$k" "$U/lib/modules/$k"
	done
	# the index of the modules the image has, not of all the kernel's (5 MB less: the
	# image must unpack in a 192 MiB domU)
	"$TOP/scripts/ensure-tools.sh" depmod:kmod || die "host tools for the domU image"
	depmod -b "$U" "$KVER" || die "depmod of the domU image"
	domu_programs "$U"
	(cd "$U" && find . | cpio -o -H newc --quiet | gzip -6 >"$LAB/boot/domU-base.cpio.gz") ||
		die "domU base cpio"
}

# ------------------------------------------------------------------ other domU kernels
# Plan key kernel=TAG (a tag of scripts/kmatrix.sh: 6.12, 7, ...): that run's domU boots
# Debian's kernel of the release, with its own modules (its in-tree pcifront the peer) and
# our module and test modules built against its headers, in the toolchain they name. dom0
# stays what LAB_DOM0 says: the backend is the same for every domU kernel.
plan_kernels() { # PLAN: the kernel tags its runs ask for
	awk '!/^[[:space:]]*(#|$)/ { for (i = 5; i <= NF; i++) if ($i ~ /^kernel=/) print substr($i, 8) }' \
		"$1" | sort -u
}

# kernel_debian REL K: Debian's image of REL unpacked into K/x; sets KIMG and KMODS
kernel_debian() {
	local rel=$1 K=$2 suite debs img parts p
	case $rel in
	6.1.0-* | *+deb12-*) suite=bookworm debs=$CACHE/debs ;;
	*+deb13-*) suite=trixie debs=$CACHE/debs/trixie ;;
	*) suite=sid debs=$CACHE/debs/sid ;;
	esac
	mkdir -p "$debs"
	# the unsigned image where the suite has one (backports only ship the signed one)
	if ! ls "$debs/linux-image-$rel"{,-unsigned}_*.deb >/dev/null 2>&1; then
		(cd "$debs" && { "$TOP/scripts/apt-suite.sh" "$CACHE" "$suite" apt-get download \
			"linux-image-$rel-unsigned" || "$TOP/scripts/apt-suite.sh" "$CACHE" "$suite" \
			apt-get download "linux-image-$rel"; }) >"$LAB/logs/kernel-$rel.log" 2>&1 ||
			{ tail -5 "$LAB/logs/kernel-$rel.log" >&2; die "downloading linux-image-$rel"; }
	fi
	img=$(ls "$debs/linux-image-$rel"{,-unsigned}_*.deb 2>/dev/null | head -1)
	# since 7.x the image package only depends on linux-binary-<release> (vmlinuz),
	# linux-modules-<release> and linux-base-<release> (modules.builtin, modules.order)
	parts=$(dpkg-deb -f "$img" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		awk -v r="$rel" '$0 == "linux-binary-" r || $0 == "linux-modules-" r || $0 == "linux-base-" r')
	for p in $parts; do
		ls "$debs/${p}"_*.deb >/dev/null 2>&1 && continue
		(cd "$debs" && "$TOP/scripts/apt-suite.sh" "$CACHE" "$suite" apt-get download "$p") \
			>>"$LAB/logs/kernel-$rel.log" 2>&1 ||
			{ tail -5 "$LAB/logs/kernel-$rel.log" >&2; die "downloading $p"; }
	done
	mkdir -p "$K/x"
	for p in "$img" $(for p in $parts; do ls "$debs/${p}"_*.deb; done); do
		dpkg-deb -x "$p" "$K/x" || die "unpacking $p"
	done
	# /boot up to 6.x, the module directory since 7.x
	KIMG=$(ls "$K/x/boot/vmlinuz-$rel" "$K/x/usr/lib/modules/$rel/vmlinuz" 2>/dev/null | head -1)
	# merged /usr: depmod and modprobe look under lib/modules
	[ -e "$K/x/lib" ] || ln -s usr/lib "$K/x/lib"
	KMODS=$K/x
}

# kernel_base TAG: $LAB/k/<release>/ with vmlinuz, base.cpio.gz (cached) and release. TAG
# debug is the debug kernel of scripts/debug-kernel.sh (slab debugging, lockdep, kmemleak, ...).
kernel_base() {
	local tag=$1 rel K U m k dbg=
	if [ "$tag" = debug ]; then
		say "the debug guest kernel (scripts/debug-kernel.sh; the first build takes long)"
		dbg=$("$TOP/scripts/debug-kernel.sh" "$CACHE") || die "building the debug guest kernel failed"
		rel=$(cat "$dbg/.release")
	else
		rel=$("$TOP/scripts/kmatrix.sh" "$CACHE" "$tag") && [ -n "$rel" ] ||
			die "plan key kernel=$tag: no such kernel (scripts/kmatrix.sh)"
	fi
	K=$LAB/k/$rel
	KERNEL_DIR=$K
	# a debug kernel built anew (another config) makes its image anew
	[ "$(cat "$K/.base-done" 2>/dev/null)" = "$BASE_REV${dbg:+ $(cat "$dbg/../.done")}" ] && return 0
	say "domU kernel $rel (kernel=$tag): its image and modules"
	"$TOP/scripts/ensure-tools.sh" depmod:kmod xz:xz-utils zstd:zstd || die "host tools for $rel"
	rm -rf "$K"
	mkdir -p "$K"
	if [ -n "$dbg" ]; then
		KIMG=$dbg/arch/x86/boot/bzImage KMODS=$dbg/mods
	else
		kernel_debian "$rel" "$K"
	fi
	cp "$KIMG" "$K/vmlinuz" || die "no vmlinuz for $rel"
	depmod -b "$KMODS" "$rel" || die "depmod $rel"
	U=$K/base
	domu_programs "$U"
	mkdir -p "$U/lib/modules/$rel"
	# modprobe must know the built-in modules (a missing file is an unpacking mistake)
	cp "$KMODS/lib/modules/$rel"/modules.{order,builtin,builtin.modinfo} "$U/lib/modules/$rel/" ||
		die "$rel: no modules.order/modules.builtin in its packages"
	# busybox loads plain .ko files only: the image gets them decompressed
	for m in $(modprobe -d "$KMODS" -S "$rel" --show-depends -a xen-pcifront nvme e1000e |
		awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++'); do
		k=/lib/modules/${m#*/lib/modules/}
		mkdir -p "$U$(dirname "$k")"
		ko_plain "$m" "$U${k%.ko*}.ko" || die "copying module $k of $rel"
	done
	sed -i -E 's/\.ko\.(xz|zst|gz)$/.ko/' "$U/lib/modules/$rel/modules.order"
	depmod -b "$U" "$rel" || die "depmod of the $rel domU image"
	(cd "$U" && find . | cpio -o -H newc --quiet | gzip -6 >"$K/base.cpio.gz") || die "domU $rel cpio"
	rm -rf "$K/x" "$U"
	echo "$rel" >"$K/release"
	[ -z "$dbg" ] || echo "$dbg" >"$K/kdir"
	echo "$BASE_REV${dbg:+ $(cat "$dbg/../.done")}" >"$K/.base-done"
}

# kernel_modules TAG OUT: our module and the test modules for TAG's kernel into OUT, built
# from a copy of this tree (the 6.1 build in the tree stays as it is)
kernel_modules() {
	local tag=$1 out=$2 rel b kdir kroot m
	rel=$(cat "$KERNEL_DIR/release")
	b=$LAB/run/k/$rel
	rm -rf "$b" "$out"
	mkdir -p "$b" "$out/modules"
	git -C "$TOP" ls-files --cached --others --exclude-standard | tar -C "$TOP" -cf - -T - |
		tar -C "$b" -xf - || die "copying the tree for $rel"
	if [ -f "$KERNEL_DIR/kdir" ]; then
		# the debug kernel's own build tree, with this machine's compiler that built it
		kdir=$(cat "$KERNEL_DIR/kdir") kroot=/
	else
		kdir=$(KVER=$rel "$TOP/scripts/kdir.sh" "$CACHE") &&
			kroot=$("$TOP/scripts/kroot.sh" "$CACHE" "$kdir") || die "no build directory for $rel"
	fi
	env -u KDIR -u KROOT make -s -C "$b" CACHE="$CACHE" KDIR="$kdir" KROOT="$kroot" modules \
		>"$LAB/logs/modules-$rel.log" 2>&1 ||
		{ tail -20 "$LAB/logs/modules-$rel.log" >&2; die "building xen-pcifront for $rel failed"; }
	cp "$b/xen-pcifront.ko" "$out/" || die "no xen-pcifront.ko for $rel"
	for m in "$b"/selftests/modules/*/Kbuild "$b/selftests/rogue/domu/Kbuild"; do
		[ -f "$m" ] || continue
		"$TOP/scripts/in-root.sh" "$kroot" "$b" "$CACHE" "$kdir" -- \
			make -s -C "$kdir" M="$(dirname "$m")" W=1 modules >>"$LAB/logs/modules-$rel.log" 2>&1 ||
			{ tail -20 "$LAB/logs/modules-$rel.log" >&2; die "building $(dirname "$m") for $rel failed"; }
		cp "$(dirname "$m")"/*.ko "$out/modules/"
	done
}

# ------------------------------------------------------------------ per-boot overlays
build_guest_tools() {
	local m kdir
	# built afresh: the run directory is shared by every tree that uses this cache
	rm -rf "$LAB/run/selftests"
	make -s -C "$TOP/selftests" O="$LAB/run/selftests" >&2 || die "building the selftests failed"
	# test modules (selftests/modules/<name>/ with a Kbuild) go to /lab/modules in the domU
	mkdir -p "$LAB/run/selftests/modules"
	for m in "$TOP"/selftests/modules/*/Kbuild; do
		[ -f "$m" ] || continue
		kdir=${kdir:-$("$TOP/scripts/kdir.sh" "$CACHE")}
		make -s -C "$kdir" M="$(dirname "$m")" W=1 modules >&2 || die "building $(dirname "$m") failed"
		cp "$(dirname "$m")"/*.ko "$LAB/run/selftests/modules/"
	done
}

# The rogue backend (selftests/rogue) for plans with rogue= runs: the program and its
# runner into dom0's /lab, its domU step and the rogue_msi driver into the domU's /lab.
# $1 = the overlay directory
build_rogue() {
	local O=$1 b=$LAB/run/rogue kdir
	if ! dpkg -s libxen-dev >/dev/null 2>&1; then
		say "installing libxen-dev (the rogue backend's libraries)"
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends libxen-dev \
			>"$LAB/logs/libxen-dev.log" 2>&1 || { tail -20 "$LAB/logs/libxen-dev.log" >&2
			die "apt-get install libxen-dev failed"; }
	fi
	rm -rf "$b"
	make -s -C "$TOP/selftests/rogue" O="$b" STATIC=0 "$b/rogue" >&2 || die "building the rogue backend failed"
	kdir=$("$TOP/scripts/kdir.sh" "$CACHE")
	make -s -C "$kdir" M="$TOP/selftests/rogue/domu" W=1 modules >&2 ||
		die "building selftests/rogue/domu failed"
	cp "$b/rogue" "$TOP/selftests/rogue/lab/dom0-rogue.sh" "$O/dom0/lab/"
	cp "$TOP/selftests/rogue/lab/rogue-steps.sh" "$O/domU/lab/steps/"
	cp "$TOP/selftests/rogue/domu"/*.ko "$O/domU/lab/modules/"
}

# $1 = plan file
do_overlay() {
	local plan=$1 O=$LAB/run/overlay
	rm -rf "$O"
	mkdir -p "$O"/{domU/lab/selftests,dom0/lab,dom0/guest}
	cp "$HERE/domU-init" "$O/domU/init"
	cp "$HERE/ktap.sh" "$HERE/lablib.sh" "$HERE/devices" "$O/domU/lab/"
	mkdir -p "$O/domU/lab/steps"
	cp "$HERE"/steps/*.sh "$O/domU/lab/steps/" 2>/dev/null
	# our module (an in-tree-only plan does not need it)
	if [ -f "$TOP/xen-pcifront.ko" ]; then
		cp "$TOP/xen-pcifront.ko" "$O/domU/lab/xen-pcifront.ko"
	elif awk '!/^[[:space:]]*(#|$)/ && $2 == "ours" { found = 1 } END { exit !found }' "$plan"; then
		die "the plan runs our frontend but $TOP/xen-pcifront.ko is not built: run make first"
	fi
	cp "$LAB/run/selftests"/bin/* "$O/domU/lab/selftests/" 2>/dev/null
	cp -r "$LAB/run/selftests/modules" "$O/domU/lab/"
	cp "$LAB/run/selftests"/dom0/* "$O/dom0/lab/" 2>/dev/null
	if grep -q '^[^#]*[[:space:]]rogue=' "$plan"; then
		build_rogue "$O"
	fi
	# dom0's AER error injector (the cached base image only has the Xen modules), taken
	# from the dom0 root once, decompressed: dom0-init loads it by this path; under usr/:
	# the base's /lib is a symlink, which a directory in this archive would replace
	local inj=kernel/drivers/pci/pcie/aer_inject.ko m
	if [ ! -s "$LAB/x/aer_inject-$KVER.ko" ]; then
		m=$(mod_paths aer_inject) && [ -n "$m" ] || die "aer_inject is not a module of $KVER"
		ko_plain "$LAB/rootfs$m" "$LAB/x/aer_inject.ko.tmp" &&
			mv "$LAB/x/aer_inject.ko.tmp" "$LAB/x/aer_inject-$KVER.ko" ||
			die "aer_inject.ko from the dom0 root"
	fi
	mkdir -p "$O/dom0/usr/lib/modules/$KVER/$(dirname "$inj")"
	cp "$LAB/x/aer_inject-$KVER.ko" "$O/dom0/usr/lib/modules/$KVER/$inj"
	# no debug info in the domU's initramfs (it must unpack in a 192 MiB domU)
	strip --strip-debug "$O/domU/lab/"*.ko "$O/domU/lab/modules/"*.ko "$O/domU/lab/selftests/"* 2>/dev/null
	chmod +x "$O/domU/init"
	(cd "$O/domU" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$LAB/run/domU-overlay.cpio.gz" ||
		die "domU overlay"
	cat "$LAB/boot/domU-base.cpio.gz" "$LAB/run/domU-overlay.cpio.gz" >"$O/dom0/guest/domU.cpio.gz"
	# the other domU kernels of the plan: the same overlay with that kernel's modules
	local tag V
	for tag in $(plan_kernels "$plan"); do
		kernel_base "$tag"
		V=$O/domU-$tag
		cp -a "$O/domU" "$V"
		rm -f "$V/lab/xen-pcifront.ko" "$V/lab/modules"/*.ko
		kernel_modules "$tag" "$LAB/run/k/modules-$tag"
		cp "$LAB/run/k/modules-$tag/xen-pcifront.ko" "$V/lab/"
		cp "$LAB/run/k/modules-$tag/modules"/*.ko "$V/lab/modules/"
		strip --strip-debug "$V/lab/"*.ko "$V/lab/modules/"*.ko
		(cd "$V" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$LAB/run/domU-overlay-$tag.cpio.gz" ||
			die "domU overlay for kernel=$tag"
		cat "$KERNEL_DIR/base.cpio.gz" "$LAB/run/domU-overlay-$tag.cpio.gz" >"$O/dom0/guest/domU-$tag.cpio.gz"
		cp "$KERNEL_DIR/vmlinuz" "$O/dom0/guest/vmlinuz-$tag"
		echo "$tag $(cat "$KERNEL_DIR/release")" >>"$O/dom0/lab/kernels"
		rm -rf "$V"
	done
	cp "$HERE/dom0-init" "$O/dom0/init"
	cp "$HERE/ktap.sh" "$HERE/devices" "$O/dom0/lab/"
	# dom0's web server for the NIC tests' verified transfers (Debian's busybox-static)
	cp "$LAB/x/bb/bin/busybox" "$O/dom0/lab/busybox"
	chmod +x "$O/dom0/init"
	grep -v '^[[:space:]]*\(#\|$\)' "$plan" >"$O/dom0/lab/plan"
	(cd "$O/dom0" && find . | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$LAB/run/dom0-overlay.cpio.gz" ||
		die "dom0 overlay"
	cat "$LAB/boot/dom0-base.cpio.gz" "$LAB/run/dom0-overlay.cpio.gz" >"$LAB/run/dom0.cpio.gz"
}

prepare() {
	do_fetch && do_rootfs && do_fio && do_base || die "preparing the lab failed"
	build_guest_tools
}

# ------------------------------------------------------------------ boot
# $1 = plan file, $2 = log name. Output: the full serial log in $LAB/logs/<name>.log.
# Returns 0 when the boot ran to its end (dom0 printed FINISHED and QEMU exited 0).
boot() {
	local plan=$1 name=$2 log rc xencmd dom0cmd
	log=$LAB/logs/$name.log
	do_overlay "$plan"
	# each run has its own 256 MiB region of the disk (lab.nvme_base); sparse
	truncate -s 0 "$LAB/run/nvme.img"
	truncate -s $(($(awk '!/^#/ && NF >= 4' "$plan" | wc -l) * 256 + 256))M "$LAB/run/nvme.img"
	truncate -s 0 "$LAB/run/ivshmem.img"
	truncate -s 4G "$LAB/run/ivshmem.img"
	xencmd="dom0_mem=1G,max:1G dom0_max_vcpus=$LAB_CPUS console=com1 com1=115200,8n1 loglvl=all"
	xencmd="$xencmd guest_loglvl=all console_timestamps=boot iommu=verbose"
	# QEMU's multiboot loader splits -initrd on commas: the dom0 command line has none
	dom0cmd="console=hvc0 earlyprintk=xen loglevel=7 lab.domu_mem=$DOMU_MEM${DOM0_EXTRA:+ $DOM0_EXTRA}"
	local cmd=("${QEMU_BIN:-qemu-system-x86_64}" ${QEMU_DATA:+-L "$QEMU_DATA"} -accel tcg,thread=$TCG_THREAD -machine q35 -cpu "$LAB_CPU"
		-m 3G -smp $LAB_CPUS -display none -serial stdio -monitor none -no-reboot -nic none
		-device intel-iommu,intremap=on
		-netdev hubport,id=lan1,hubid=0 -device e1000,netdev=lan1,addr=0x8,mac=$LAB_DOM0_MAC
		$(awk '!/^#/ && NF >= 4 { for (i = 4; i <= NF; i++) print $i }' "$HERE/devices" |
			sed "s|@IMG@|$LAB/run/nvme.img|; s|@SHM@|$LAB/run/ivshmem.img|")
		-kernel "$LAB/boot/xen" -append "$xencmd"
		-initrd "$LAB/boot/vmlinuz $dom0cmd,$LAB/run/dom0.cpio.gz")
	say "boot '$name' on the $LAB_DOM0 dom0, Xen $XENVER and Linux $KVER (log: $log)"
	local t0=${EPOCHREALTIME/./}
	timeout --foreground -k 10 "$QEMU_TIMEOUT" "${cmd[@]}" </dev/null 2>&1 |
		while IFS= read -r line; do
			e=$(((${EPOCHREALTIME/./} - t0) / 1000))
			printf '[%4d.%03d] %s\n' $((e / 1000)) $((e % 1000)) "${line//$'\r'/}"
		done >"$log"
	rc=${PIPESTATUS[0]}
	say "QEMU exited rc=$rc after $(((${EPOCHREALTIME/./} - t0) / 1000000)) s"
	if [ "$rc" != 0 ] || ! grep -q 'LAB-DOM0.*FINISHED' "$log"; then
		echo "== lab: the boot did not finish (QEMU rc=$rc$([ "$rc" = 124 ] && echo ', timed out')); last 60 lines of $log:" >&2
		tail -60 "$log" >&2
		return 1
	fi
	return 0
}

# ------------------------------------------------------------------ results
# the host's verdict on a boot log: selftests/lab/verdict.sh
. "$HERE/verdict.sh"

with_lock() {
	exec 9>"$CACHE/lab.lock"
	if ! flock -n 9; then
		say "another lab boot is running; waiting for it"
		flock 9
	fi
}

# $1 = plan file, $2 = name; prints KTAP; returns non-zero on any failure. A boot that
# did not run to its end is a failure of its own, and the verdict still counts what the
# log holds (every run that did not finish shows as stopped short).
run_plan() {
	local plan=$1 name=$2-${TOP##*/} rc=0
	with_lock
	prepare
	if ! boot "$plan" "$name"; then
		echo "not ok 1 - lab: boot '$name' ran to its end"
		rc=1
	fi
	VERDICT_BASE=$rc lab_verdict "$LAB/logs/$name.log" "$plan" "$LAB/run/nvme.img" "$LAB/run/ivshmem.img" || rc=1
	[ -n "${KEEP_LOGS:-}" ] || [ $rc != 0 ] && say "full log: $LAB/logs/$name.log"
	return $rc
}

summary() { # human summary of a boot log
	local log=$1
	echo
	echo "---- what the domU saw ----"
	grep -E '\[dU:[a-z0-9_-]+\] (LAB-SHOW|[0-9a-f]{2}:[0-9a-f]{2}\.[0-9] |.*Kernel (driver|modules))' "$log" |
		sed -E 's/^\[[ 0-9.]+\] //'
	grep -E 'LAB-TIME' "$log" | sed -E 's/^\[[ 0-9.]+\] //'
}

stage=${1:-demo}
case $stage in
prepare)
	with_lock
	prepare
	;;
run)
	[ -f "${2:-}" ] || die "usage: lab.sh run PLANFILE"
	run_plan "$2" "$(basename "$2" .plan)"
	;;
demo)
	fe=${FRONTEND:-ours}
	devs=${DEVICES:-nvme+e1000e+edu}
	# the demo only shows (the config-space dumps are for check); a 4 MiB pattern fits 256 MiB
	steps=load+visible+nvme-dma+e1000e-link+edu-bars+interrupts+show
	[ "${HOTPLUG:-0}" -gt 0 ] && steps="$steps+hotplug"
	printf 'demo-%s %s %s %s cycles=%s mem=256\n' "$fe" "$fe" "$devs" "$steps" "${HOTPLUG:-0}" >"$CACHE/demo-$fe.plan"
	rc=0
	plan=$CACHE/demo-$fe.plan
	out=$(run_plan "$plan" "demo-$fe") || rc=1
	echo "$out"
	log=$LAB/logs/demo-$fe-${TOP##*/}.log
	summary "$log"
	echo
	echo "---- $(grep -c '^ok' <<<"$out") passed, $(grep -c '^not ok' <<<"$out") failed; full log: $log"
	exit $rc
	;;
check | check-full)
	run_plan "$HERE/plans/$stage.plan" "$stage"
	;;
soak)
	plan=$HERE/plans/soak.plan
	if [ -n "${SOAK_CYCLES:-}" ]; then
		[ "$SOAK_CYCLES" -gt 0 ] 2>/dev/null || die "SOAK_CYCLES must be a positive number"
		sed -E "s/soak_cycles=[0-9]+/soak_cycles=$SOAK_CYCLES/" "$plan" >"$CACHE/soak.plan"
		plan=$CACHE/soak.plan
	fi
	run_plan "$plan" soak
	;;
bench)
	rc=0
	run_plan "$HERE/plans/bench.plan" bench || rc=1
	echo
	"$HERE/report.sh" "$LAB/logs/bench-${TOP##*/}.log"
	exit $rc
	;;
*)
	die "unknown stage '$stage'"
	;;
esac
