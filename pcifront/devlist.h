/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend's view of our devices, read once per round (pure logic, also
 * built by tests/pcifront/): num_devs with state-N and vdev-N, root_num with
 * root-N. Every value is bounded and checked; what is wrong is skipped and
 * reported in @problems, never guessed at.
 */
#ifndef PCIFRONT_DEVLIST_H
#define PCIFRONT_DEVLIST_H

#include <linux/bits.h>
#include <linux/types.h>
#include "xs_parse.h"

/* Problems found in the backend's nodes (bits of &xpf_devlist.problems). */
#define XPF_DL_NO_NUMDEVS	BIT(0)	/* num_devs missing: no devices */
#define XPF_DL_BAD_NUMDEVS	BIT(1)	/* num_devs malformed or above XPF_MAX_DEVS */
#define XPF_DL_BAD_STATE	BIT(2)	/* a state-N malformed: that device skipped */
#define XPF_DL_BAD_VDEV		BIT(3)	/* a vdev-N malformed: skipped */
#define XPF_DL_DUP_VDEV		BIT(4)	/* a vdev-N repeats an earlier one: skipped */
#define XPF_DL_NO_ROOTNUM	BIT(5)	/* root_num missing: root 0000:00 assumed */
#define XPF_DL_BAD_ROOTNUM	BIT(6)	/* root_num malformed or above XPF_MAX_ROOTS: no roots */
#define XPF_DL_BAD_ROOT		BIT(7)	/* a root-N missing or malformed: skipped */
#define XPF_DL_DUP_ROOT		BIT(8)	/* a root-N repeats an earlier one: skipped */

/**
 * struct xpf_devent - one device the backend lists
 * @bdf: its address in this guest (vdev-N)
 * @state: its state-N (an enum xenbus_state), 0 when the backend wrote none
 * @index: N
 */
struct xpf_devent {
	struct xpf_bdf bdf;
	u8 state;
	u16 index;
};

/**
 * struct xpf_devlist - what the backend publishes, as read in one round
 * @ndevs: entries in @dev
 * @dev: the listed devices, in index order, without duplicates
 * @nroots: entries in @root
 * @root: the published roots (devfn 0), without duplicates
 * @problems: XPF_DL_* bits
 * @bad_index: N of the first device or root node with a problem, or -1
 */
struct xpf_devlist {
	unsigned int ndevs;
	struct xpf_devent dev[XPF_MAX_DEVS];
	unsigned int nroots;
	struct xpf_bdf root[XPF_MAX_ROOTS];
	unsigned int problems;
	int bad_index;
};

/**
 * struct xpf_devlist_src - where the values come from
 * @get: returns the value of backend node @key (a new string), or NULL
 * @put: releases a string @get returned
 * @ctx: passed to both
 */
struct xpf_devlist_src {
	char *(*get)(void *ctx, const char *key);
	void (*put)(void *ctx, char *s);
	void *ctx;
};

/**
 * xpf_devlist_build() - read and check the backend's device list and roots
 * @l: result
 * @src: the backend's nodes
 *
 * Return: 0, or -EPROTO when num_devs is missing or malformed (then @l has
 * no devices; the roots are still read).
 */
int xpf_devlist_build(struct xpf_devlist *l, const struct xpf_devlist_src *src);

/**
 * xpf_devent_exported() - is this device ready for the guest?
 * @e: a device of the list
 *
 * Return: true for state Initialised or Connected, or no state written.
 */
bool xpf_devent_exported(const struct xpf_devent *e);

/**
 * xpf_devent_closing() - is the backend taking this device away?
 * @e: a device of the list
 *
 * Return: true for state Closing.
 */
bool xpf_devent_closing(const struct xpf_devent *e);

/**
 * xpf_devlist_has_root() - is root @domain:@bus published?
 * @l: the list
 * @domain: PCI segment
 * @bus: bus number
 *
 * Return: true if a root-N names it (or root 0000:00 was assumed).
 */
bool xpf_devlist_has_root(const struct xpf_devlist *l, unsigned int domain, unsigned int bus);

#endif /* PCIFRONT_DEVLIST_H */
