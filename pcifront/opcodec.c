// SPDX-License-Identifier: GPL-2.0
/*
 * pciif op encoding and reply checks. Pure: also built in userspace.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include "opcodec.h"

#define XPF_MSIX_TABLE_MAX	2048

static bool xpf_conf_ok(const struct xpf_req *req)
{
	if (req->size != 1 && req->size != 2 && req->size != 4)
		return false;
	if (req->offset >= 4096 || (req->offset & (req->size - 1)))
		return false;
	return true;
}

int xpf_req_encode(const struct xpf_req *req, struct xen_pci_op *op)
{
	u32 i;

	if (req->domain > 0xffff || req->bus > 0xff || req->devfn > 0xff)
		return -EINVAL;

	switch (req->cmd) {
	case XEN_PCI_OP_conf_read:
	case XEN_PCI_OP_conf_write:
		if (!xpf_conf_ok(req) || req->nvec)
			return -EINVAL;
		if (req->cmd == XEN_PCI_OP_conf_write && req->size < 4 &&
		    (req->value >> (8 * req->size)))
			return -EINVAL;
		break;
	case XEN_PCI_OP_enable_msix:
		if (!req->nvec || req->nvec > SH_INFO_MAX_VEC || !req->entries)
			return -EINVAL;
		for (i = 0; i < req->nvec; i++)
			if (req->entries[i] >= XPF_MSIX_TABLE_MAX)
				return -EINVAL;
		break;
	case XEN_PCI_OP_enable_msi:
	case XEN_PCI_OP_disable_msi:
	case XEN_PCI_OP_disable_msix:
		if (req->nvec)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	op->cmd = req->cmd;
	op->err = 0;
	op->domain = req->domain;
	op->bus = req->bus;
	op->devfn = req->devfn;
	op->offset = (s32)req->offset;
	op->size = (s32)req->size;
	op->info = 0;
	if (req->cmd == XEN_PCI_OP_conf_write)
		op->value = req->value;
	else if (req->cmd == XEN_PCI_OP_enable_msix)
		op->value = req->nvec;
	else
		op->value = 0;
	for (i = 0; i < req->nvec; i++) {
		op->msix_entries[i].entry = req->entries[i];
		op->msix_entries[i].vector = 0;
	}
	return 0;
}

void xpf_reply_copy(const struct xen_pci_op *op, u32 nvec, struct xpf_reply *rep)
{
	u32 i;

	rep->err = READ_ONCE(op->err);
	rep->value = READ_ONCE(op->value);
	if (!rep->entries)
		nvec = 0;
	if (nvec > SH_INFO_MAX_VEC)
		nvec = SH_INFO_MAX_VEC;
	for (i = 0; i < nvec; i++) {
		rep->entries[i].entry = READ_ONCE(op->msix_entries[i].entry);
		rep->entries[i].vector = READ_ONCE(op->msix_entries[i].vector);
	}
	rep->nvec = nvec;
}

int xpf_msi_check(const struct xpf_reply *rep, int *pirq)
{
	if (!rep->value || rep->value > XPF_PIRQ_MAX)
		return -EPROTO;
	*pirq = (int)rep->value;
	return 0;
}

int xpf_msix_check(const struct xpf_req *req, const struct xpf_reply *rep, int *pirqs)
{
	u32 i, j;

	if (rep->value != 0 || rep->nvec != req->nvec || !rep->entries)
		return -EPROTO;
	for (i = 0; i < req->nvec; i++) {
		const struct xen_msix_entry *e = &rep->entries[i];

		if (e->entry != req->entries[i] || !e->vector)
			return -EPROTO;
		for (j = 0; j < i; j++)
			if (rep->entries[j].vector == e->vector)
				return -EPROTO;
	}
	for (i = 0; i < req->nvec; i++)
		pirqs[i] = rep->entries[i].vector;
	return 0;
}

u32 xpf_cfg_caps_pack(u8 pm, u8 msi, u8 msix)
{
	return XPF_CFG_CAPS_KNOWN | pm | (u32)msi << 8 | (u32)msix << 16;
}

/* [cap, cap + len) overlaps [where, where + size); cap 0 is no capability */
static bool xpf_cfg_in(int where, int size, u32 cap, int len)
{
	return cap && where < (int)cap + len && (int)cap < where + size;
}

bool xpf_cfg_write_watched(int where, int size, u32 caps)
{
	if (!(caps & XPF_CFG_CAPS_KNOWN) || where < PCI_STD_HEADER_SIZEOF)
		return false;
	/* PM: 8 bytes; MSI: up to 24 (64-bit with mask bits); MSI-X: 12 */
	return !xpf_cfg_in(where, size, caps & 0xff, 8) &&
	       !xpf_cfg_in(where, size, (caps >> 8) & 0xff, 24) &&
	       !xpf_cfg_in(where, size, (caps >> 16) & 0xff, 12);
}

bool xpf_cfg_write_dropped(u32 old, u32 val, u32 now)
{
	return val != old && now == old;
}
