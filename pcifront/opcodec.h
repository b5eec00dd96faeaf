/* SPDX-License-Identifier: GPL-2.0 */
/*
 * opcodec.h - pciif operations: request encoding and reply checks.
 *
 * Pure: also built by the userspace tests. The transport that carries
 * these ops is in chan.h.
 */
#ifndef PCIFRONT_OPCODEC_H
#define PCIFRONT_OPCODEC_H

#include <linux/bits.h>
#include <linux/types.h>
#include <xen/interface/io/pciif.h>

/* Largest PIRQ we accept from the backend (the MSI-X field is 16 bits). */
#define XPF_PIRQ_MAX	0xffff

/**
 * struct xpf_req - one request, before it is written to the shared page
 * @cmd: XEN_PCI_OP_*
 * @domain: PCI segment of the target device
 * @bus: bus of the target device
 * @devfn: devfn of the target device
 * @offset: config space offset (config ops)
 * @size: 1, 2 or 4 (config ops)
 * @value: value to write (conf_write), vector count (enable_msix)
 * @nvec: number of MSI-X entries in @entries (enable_msix), else 0
 * @entries: MSI-X table indexes to enable, @nvec of them
 */
struct xpf_req {
	u32 cmd;
	u32 domain;
	u32 bus;
	u32 devfn;
	u32 offset;
	u32 size;
	u32 value;
	u32 nvec;
	const u16 *entries;
};

/**
 * struct xpf_reply - the backend's answer, copied out of the page once
 * @err: xen_pci_op.err
 * @value: xen_pci_op.value
 * @nvec: number of entries copied into @entries
 * @entries: caller-provided room for @nvec MSI-X entries, or NULL
 */
struct xpf_reply {
	s32 err;
	u32 value;
	u32 nvec;
	struct xen_msix_entry *entries;
};

/**
 * xpf_req_encode() - validate a request and write it into an op
 * @req: the request
 * @op: destination (normally the shared page's op)
 *
 * Config ops need size 1, 2 or 4, natural alignment and offset < 4096.
 * enable_msix needs 1..SH_INFO_MAX_VEC entries, each < 2048 (the MSI-X
 * table size limit). bus must be < 256, devfn < 256, domain < 65536.
 * Only the fields the request needs are written, and the reply fields
 * (err, value) are reset so a stale answer can never be read back.
 *
 * Return: 0 or -EINVAL (nothing is written then).
 */
int xpf_req_encode(const struct xpf_req *req, struct xen_pci_op *op);

/**
 * xpf_reply_copy() - copy the backend's answer out of the op, once
 * @op: the op in the shared page, after _XEN_PCIF_active was seen clear
 * @nvec: MSI-X entries to copy (0 except for enable_msix)
 * @rep: destination; @rep->entries must have room for @nvec entries
 *
 * Every field is read exactly once; callers check only the copy.
 */
void xpf_reply_copy(const struct xen_pci_op *op, u32 nvec, struct xpf_reply *rep);

/**
 * xpf_msi_check() - check the answer to a successful enable_msi
 * @rep: the reply (err already known to be 0)
 * @pirq: result
 *
 * Return: 0, or -EPROTO if the PIRQ is 0 or above %XPF_PIRQ_MAX.
 */
int xpf_msi_check(const struct xpf_reply *rep, int *pirq);

/**
 * xpf_msix_check() - check the answer to a successful enable_msix
 * @req: the request that was sent
 * @rep: the reply (err already known to be 0)
 * @pirqs: result, @req->nvec PIRQs
 *
 * The backend must report value 0, echo every table index it was given,
 * and return a distinct PIRQ in 1..%XPF_PIRQ_MAX for each.
 *
 * Return: 0 or -EPROTO.
 */
int xpf_msix_check(const struct xpf_req *req, const struct xpf_reply *rep, int *pirqs);

/*
 * Where a device's standard capabilities sit, packed for the config-write
 * check (xpf_cfg_caps_pack()): the backend emulates PM, MSI and MSI-X
 * itself, so a write there that does not read back is not a dropped one.
 */
#define XPF_CFG_CAPS_KNOWN	BIT(24)

/**
 * xpf_cfg_caps_pack() - pack a device's PM, MSI and MSI-X capability offsets
 * @pm: offset of the PM capability, 0 if none
 * @msi: offset of the MSI capability, 0 if none
 * @msix: offset of the MSI-X capability, 0 if none
 *
 * Return: the value xpf_cfg_write_watched() takes, never 0.
 */
u32 xpf_cfg_caps_pack(u8 pm, u8 msi, u8 msix);

/**
 * xpf_cfg_write_watched() - whether a config write is checked for being dropped
 * @where: offset of the write
 * @size: 1, 2 or 4
 * @caps: xpf_cfg_caps_pack() of the device, or 0 for a device not added yet
 *
 * pciback virtualizes the standard header and the PM, MSI and MSI-X
 * capabilities; everything else it passes to the device only with
 * permissive=1 and drops silently otherwise (answering success).
 *
 * Return: true for a write beyond the header, outside those capabilities,
 * of an added device.
 */
bool xpf_cfg_write_watched(int where, int size, u32 caps);

/**
 * xpf_cfg_write_dropped() - whether a write the backend answered did not take
 * @old: the register before the write
 * @val: the value written
 * @now: the register after the write
 *
 * A write of the value already there proves nothing (the usual way to
 * clear write-1-to-clear status bits); otherwise nothing having changed
 * means the write was dropped, or went only to read-only bits.
 *
 * Return: true if the write changed nothing although it asked for a change.
 */
bool xpf_cfg_write_dropped(u32 old, u32 val, u32 now);

#endif /* PCIFRONT_OPCODEC_H */
