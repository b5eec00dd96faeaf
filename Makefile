# SPDX-License-Identifier: GPL-2.0
#
# xen-pcifront: out-of-tree Xen PV PCI frontend and DMA bounce layer.
# Run "make help" for the targets.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE ?= $(TOP)/.cache
# KVER=<release> (e.g. 6.12.118+deb13-amd64): Debian's headers of that release, fetched
KVER ?=
KDIR ?= $(shell KVER=$(KVER) $(TOP)/scripts/kdir.sh $(CACHE))
# the root whose toolchain matches the headers: "/" (this machine) or a Debian root in CACHE
KROOT ?= $(if $(KDIR),$(shell $(TOP)/scripts/kroot.sh $(CACHE) $(KDIR)))
XPF_VERSION ?= $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo 0.1)
export XPF_VERSION

MAKEFLAGS += --no-print-directory
KMAKE = $(TOP)/scripts/in-root.sh $(KROOT) $(TOP) $(CACHE) $(KDIR) -- $(MAKE) -C $(KDIR) M=$(TOP)

.PHONY: all modules clean install help sparse style unit fuzz fuzz-long lab lab-dom0-13 check check-full \
	bench soak rogue kernels dkms-install deb

all: modules

modules:
	@test -d "$(KDIR)" || { echo "no kernel build dir (KDIR)"; exit 1; }
	+$(KMAKE) W=1 modules

sparse:
	@test -d "$(KDIR)" || { echo "no kernel build dir (KDIR)"; exit 1; }
	@$(TOP)/scripts/ensure-tools.sh sparse:sparse
	+$(KMAKE) W=1 C=2 modules

# the kernel matrix, each W=1 and sparse clean; KTAP on stdout
kernels:
	@$(TOP)/scripts/kernels.sh $(CACHE)

# register, build and install the module with DKMS for the running kernel (or KERNELRELEASE)
dkms-install:
	@$(TOP)/scripts/ensure-tools.sh dkms:dkms
	$(TOP)/scripts/dkms.sh install $(XPF_VERSION) $(KERNELRELEASE)

# the Debian package xen-pcifront-dkms, into $(CACHE)/deb/
deb:
	@$(TOP)/scripts/deb.sh $(CACHE) $(XPF_VERSION)

style:
	@$(TOP)/scripts/checkpatch.sh $(CACHE)

# the structure drawn from the objects' symbols and the sources' includes; fails on a circle
layers:
	@$(TOP)/scripts/layers.sh

# the release the kernel reports (Debian's headers carry another in kernel.release)
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

install: modules
	@$(TOP)/scripts/ensure-tools.sh depmod:kmod
	+$(KMAKE) KERNELRELEASE=$(KRELEASE) INSTALL_MOD_DIR=updates modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KRELEASE)

# not Kbuild's "make M=... clean": that sweeps objects and modules from every directory
# below this one, the cached kernel trees, images and unpacked packages of .cache/ too.
# This removes what the module's build makes, in the three directories it makes it in.
BUILT := xen-pcifront.ko xen-pcifront.mod xen-pcifront.mod.c xen-pcifront.mod.o xen-pcifront.o \
	modules.order Module.symvers .*.cmd $(foreach d,pcifront swiotlb,$(d)/*.o $(d)/.*.cmd $(d)/*.o.d)

clean:
	cd $(TOP) && rm -f $(BUILT) && rm -rf .tmp_versions
	$(MAKE) -C $(TOP)/tests clean

unit:
	$(MAKE) -C $(TOP)/tests unit

fuzz fuzz-long:
	$(MAKE) -C $(TOP)/tests $@ CACHE=$(CACHE)

lab: modules
	$(TOP)/selftests/lab/lab.sh demo

# the core scenarios against Debian 13's dom0 (Xen 4.20, Linux 6.12; the plan's header picks it)
lab-dom0-13: modules
	$(TOP)/selftests/lab/lab.sh run $(TOP)/selftests/lab/plans/dom0-13.plan

check:
	$(TOP)/scripts/check.sh

check-full:
	$(TOP)/scripts/check.sh full

# the debug flavour (XPF_DEBUG=1) carries the map+unmap benchmark
bench:
	+$(MAKE) modules XPF_DEBUG=1
	$(TOP)/selftests/lab/lab.sh bench
	$(TOP)/selftests/lab/benchmarks.sh $(CACHE)/lab/logs/bench-$(notdir $(TOP)).log \
		$(TOP)/docs/benchmarks.md

soak: modules
	$(TOP)/selftests/lab/lab.sh soak

# the rogue backend's scenarios in the lab (selftests/rogue/README.md)
rogue: modules
	$(TOP)/selftests/lab/lab.sh run $(TOP)/selftests/lab/plans/rogue.plan

help:
	@echo "Targets:"
	@echo "  make            build xen-pcifront.ko (KDIR=... to choose the kernel; default: the"
	@echo "                  running Xen-capable kernel, else Debian 12's 6.1.0-56-amd64 headers,"
	@echo "                  fetched into .cache/)"
	@echo "  make KVER=R     build against Debian's headers of release R (e.g. 6.12.118+deb13-amd64),"
	@echo "                  fetched into .cache/, in a Debian root of R's suite when R needs its gcc"
	@echo "  make kernels    build for every supported kernel (6.1, 6.12 on Debian 12 and 13, 7.x of"
	@echo "                  trixie-backports and of sid), W=1 and sparse; KTAP output"
	@echo "  make dkms-install  add, build and install the module with DKMS (KERNELRELEASE=...)"
	@echo "  make deb        build the Debian package xen-pcifront-dkms into .cache/deb/"
	@echo "  make install    install into /lib/modules/<kver>/updates and run depmod"
	@echo "  make clean      remove build products"
	@echo "  make sparse     build with sparse (C=2)"
	@echo "  make style      checkpatch --strict over the tree"
	@echo "  make layers     the calls and includes between files (fails on a circle)"
	@echo "  make unit       userspace unit tests of the pure logic (ASan/UBSan)"
	@echo "  make fuzz       run each fuzz target for FUZZ_SECONDS (default 10); the corpora"
	@echo "                  grow in .cache/fuzz/ (make clean keeps them)"
	@echo "  make fuzz-long  run each fuzz target to FUZZ_RUNS executions (default 10^8)"
	@echo "  make lab        boot the Xen lab and show devices passed through with our module"
	@echo "                  (FRONTEND=intree for the in-tree reference driver; LAB_DOM0=trixie"
	@echo "                  for a Debian 13 dom0: Xen 4.20, Linux 6.12)"
	@echo "  make lab-dom0-13  the core lab scenarios (in-tree and ours, hotplug, DMA) against"
	@echo "                  the Debian 13 dom0; the domUs stay Debian 12's 6.1"
	@echo "  make check      the CI gate: harness self-test, build, sparse, style, kernel-doc,"
	@echo "                  the kernel matrix, unit, the rogue's model, fuzz, and the lab"
	@echo "                  scenarios with short counts (NIC traffic, fio, two vCPUs, a 6.12"
	@echo "                  domU, a rogue backend, ...); ends 'N passed, N failed'"
	@echo "  make check-full the same with the long counts (20 reloads, 200 soak cycles, 1 GiB"
	@echo "                  of fio, 6.12 and 7.x domUs with hotplug, every rogue scenario,"
	@echo "                  minutes of fuzzing)"
	@echo "  make bench      benchmarks, ours vs the in-tree peer, same lab boot; writes"
	@echo "                  docs/benchmarks.md with the table and SVG charts"
	@echo "  make rogue      every rogue backend fault scenario in the lab (make check runs"
	@echo "                  one of each kind, check-full all)"
	@echo "  make soak       long hotplug soak in the lab (not part of check; SOAK_CYCLES=N"
	@echo "                  for another count than its 1,000 cycles)"
