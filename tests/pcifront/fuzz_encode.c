// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the request encoder, then the answer of a backend that
 * follows the protocol, then one the input corrupts.
 *
 * The input gives the request (command, coordinates, config offset, size and
 * value, the MSI-X table indexes) and then bytes for the backend. The op is
 * a heap block of exactly its size, so a write past it is caught. Checked:
 * a refused request writes nothing; an accepted one is within the encoder's
 * documented bounds and written field for field, with the reply fields
 * reset; a protocol-following answer (distinct PIRQs, indexes echoed) is
 * always taken and gives those PIRQs back; a corrupted one is taken only if
 * it still follows the protocol.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include "opcodec.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct input {
	const u8 *p;
	size_t left;
};

static u32 take(struct input *in, unsigned int bytes)
{
	u32 v = 0;

	while (bytes--) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

/* a small value most of the time, so the interesting ranges get hit */
static u32 take_field(struct input *in, u32 small)
{
	u32 sel = take(in, 1);

	return sel & 0x80 ? take(in, 4) : take(in, 2) % small;
}

static bool follows_protocol(const struct xpf_req *r, const struct xpf_reply *rep)
{
	u32 i, j;

	if (rep->value || rep->nvec != r->nvec)
		return false;
	for (i = 0; i < r->nvec; i++) {
		if (rep->entries[i].entry != r->entries[i] || !rep->entries[i].vector)
			return false;
		for (j = 0; j < i; j++)
			if (rep->entries[j].vector == rep->entries[i].vector)
				return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct xen_pci_op *op = malloc(sizeof(*op)), *before;
	struct xen_msix_entry ents[SH_INFO_MAX_VEC];
	u16 idx[SH_INFO_MAX_VEC + 2];
	struct xpf_reply rep = { .entries = ents };
	int pirqs[SH_INFO_MAX_VEC];
	struct xpf_req r;
	u32 i, pos;
	int err;

	before = malloc(sizeof(*before));
	if (!op || !before)
		goto out;
	memset(&r, 0, sizeof(r));
	r.cmd = take(&in, 1);
	if (r.cmd & 0x80)
		r.cmd = take(&in, 4);
	else
		r.cmd %= XEN_PCI_OP_disable_msix + 2;
	r.domain = take_field(&in, 0x10001);
	r.bus = take_field(&in, 0x101);
	r.devfn = take_field(&in, 0x101);
	r.offset = take_field(&in, 4097);
	r.size = take_field(&in, 9);
	r.value = take(&in, 4);
	r.nvec = take_field(&in, SH_INFO_MAX_VEC + 2);
	r.entries = take(&in, 1) == 0xff ? NULL : idx;
	for (i = 0; i < SH_INFO_MAX_VEC + 2; i++)
		idx[i] = take(&in, 1) & 1 ? take(&in, 2) : i;

	memset(op, 0xa5, sizeof(*op));
	memcpy(before, op, sizeof(*op));
	err = xpf_req_encode(&r, op);
	if (err) {
		if (err != -EINVAL || memcmp(op, before, sizeof(*op)))
			abort();
		goto out;
	}

	/* the encoder's bounds */
	if (r.domain > 0xffff || r.bus > 0xff || r.devfn > 0xff)
		abort();
	switch (r.cmd) {
	case XEN_PCI_OP_conf_read:
	case XEN_PCI_OP_conf_write:
		if ((r.size != 1 && r.size != 2 && r.size != 4) || r.offset >= 4096 ||
		    r.offset % r.size || r.nvec)
			abort();
		if (r.cmd == XEN_PCI_OP_conf_write && r.size < 4 && r.value >> (8 * r.size))
			abort();
		break;
	case XEN_PCI_OP_enable_msix:
		if (!r.nvec || r.nvec > SH_INFO_MAX_VEC || !r.entries)
			abort();
		for (i = 0; i < r.nvec; i++)
			if (r.entries[i] >= 2048)
				abort();
		break;
	case XEN_PCI_OP_enable_msi:
	case XEN_PCI_OP_disable_msi:
	case XEN_PCI_OP_disable_msix:
		if (r.nvec)
			abort();
		break;
	default:
		abort();
	}

	/* written field for field, reply fields reset */
	if (op->cmd != r.cmd || op->err || op->domain != r.domain || op->bus != r.bus ||
	    op->devfn != r.devfn || op->offset != (s32)r.offset || op->size != (s32)r.size ||
	    op->info)
		abort();
	if (op->value != (r.cmd == XEN_PCI_OP_conf_write ? r.value :
			  r.cmd == XEN_PCI_OP_enable_msix ? r.nvec : 0))
		abort();
	for (i = 0; i < r.nvec; i++)
		if (op->msix_entries[i].entry != r.entries[i] || op->msix_entries[i].vector)
			abort();
	/* the entries past the request are left as they were */
	for (i = r.nvec; i < SH_INFO_MAX_VEC; i++)
		if (memcmp(&op->msix_entries[i], &before->msix_entries[i],
			   sizeof(op->msix_entries[i])))
			abort();

	/* a backend that follows the protocol: MSI gets one PIRQ, MSI-X distinct ones */
	op->err = 0;
	if (r.cmd == XEN_PCI_OP_enable_msi) {
		op->value = 1 + take(&in, 2) % XPF_PIRQ_MAX;
		xpf_reply_copy(op, 0, &rep);
		if (rep.nvec || xpf_msi_check(&rep, &pirqs[0]) || pirqs[0] != (int)op->value)
			abort();
	}
	if (r.cmd != XEN_PCI_OP_enable_msix)
		goto out;
	op->value = 0;
	/* 1 + i + 128 * byte: distinct (i < 128), never 0, below 2^16 */
	for (i = 0; i < r.nvec; i++)
		op->msix_entries[i].vector = (u16)(1 + i + (take(&in, 1) << 7));
	xpf_reply_copy(op, r.nvec, &rep);
	if (rep.nvec != r.nvec || !follows_protocol(&r, &rep))
		abort();
	if (xpf_msix_check(&r, &rep, pirqs))
		abort();
	for (i = 0; i < r.nvec; i++)
		if (pirqs[i] != op->msix_entries[i].vector)
			abort();

	/* one field corrupted: taken exactly when it still follows the protocol */
	pos = take(&in, 2) % (sizeof(*op) - 2 * sizeof(u32)) + 2 * sizeof(u32);
	((u8 *)op)[pos] ^= 1 + take(&in, 1) % 255;
	xpf_reply_copy(op, r.nvec, &rep);
	err = xpf_msix_check(&r, &rep, pirqs);
	if (!err != follows_protocol(&r, &rep))
		abort();
	if (!err)
		for (i = 0; i < r.nvec; i++)
			if (pirqs[i] <= 0 || pirqs[i] > XPF_PIRQ_MAX)
				abort();
out:
	free(before);
	free(op);
	return 0;
}
