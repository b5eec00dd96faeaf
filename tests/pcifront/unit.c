// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit tests of the pure pcifront sources (errmap.c, xs_parse.c, aercodec.c,
 * opcodec.c, deadline.c), built from the real files against shim headers. KTAP output.
 */
#include <linux/pci_regs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/errno.h>
#include <linux/pci.h>
#include "aercodec.h"
#include "deadline.h"
#include "devlist.h"
#include "errmap.h"
#include "opcodec.h"
#include "xs_parse.h"
#include "unit-ktap.h"

static void t_errmap_pcibios(void)
{
	CHECK(xpf_err_to_pcibios(XEN_PCI_ERR_success) == PCIBIOS_SUCCESSFUL);
	CHECK(xpf_err_to_pcibios(XEN_PCI_ERR_dev_not_found) == PCIBIOS_DEVICE_NOT_FOUND);
	CHECK(xpf_err_to_pcibios(XEN_PCI_ERR_invalid_offset) == PCIBIOS_BAD_REGISTER_NUMBER);
	CHECK(xpf_err_to_pcibios(XEN_PCI_ERR_access_denied) == PCIBIOS_SET_FAILED);
	CHECK(xpf_err_to_pcibios(XEN_PCI_ERR_not_implemented) == PCIBIOS_FUNC_NOT_SUPPORTED);
	CHECK(xpf_err_to_pcibios(XEN_PCI_ERR_op_failed) == PCIBIOS_SET_FAILED);
	CHECK(xpf_err_to_pcibios(-EINVAL) == PCIBIOS_BAD_REGISTER_NUMBER);
	CHECK(xpf_err_to_pcibios(-EALREADY) == PCIBIOS_SET_FAILED);
	CHECK(xpf_err_to_pcibios(-1000) == PCIBIOS_SET_FAILED);
	CHECK(xpf_err_to_pcibios(7) == PCIBIOS_SET_FAILED);
	CHECK(xpf_err_to_pcibios(INT32_MIN) == PCIBIOS_SET_FAILED);
}

static void t_errmap_errno(void)
{
	CHECK(xpf_err_to_errno(0) == 0);
	CHECK(xpf_err_to_errno(XEN_PCI_ERR_dev_not_found) == -ENODEV);
	CHECK(xpf_err_to_errno(XEN_PCI_ERR_invalid_offset) == -EINVAL);
	CHECK(xpf_err_to_errno(XEN_PCI_ERR_access_denied) == -EPERM);
	CHECK(xpf_err_to_errno(XEN_PCI_ERR_not_implemented) == -EOPNOTSUPP);
	CHECK(xpf_err_to_errno(XEN_PCI_ERR_op_failed) == -EIO);
	/* the raw values pciback returns from its MSI paths */
	CHECK(xpf_err_to_errno(-EINVAL) == -EINVAL);
	CHECK(xpf_err_to_errno(-EALREADY) == -EALREADY);
	CHECK(xpf_err_to_errno(-ENXIO) == -ENXIO);
	CHECK(xpf_err_to_errno(-ENOMEM) == -ENOMEM);
	CHECK(xpf_err_to_errno(-ENOSPC) == -ENOSPC);
	CHECK(xpf_err_to_errno(-ERANGE) == -EIO);
	CHECK(xpf_err_to_errno(1) == -EPROTO);
	CHECK(xpf_err_to_errno(INT32_MAX) == -EPROTO);
	CHECK(xpf_err_to_errno(INT32_MIN) == -EIO);
	/* the lab's "enable msix get err ffffff8e" is -EALREADY */
	CHECK(xpf_err_to_errno((s32)0xffffff8e) == -EALREADY);
}

static void t_errmap_classes(void)
{
	unsigned int i, j;

	CHECK(xpf_err_classify(-EALREADY) == XPF_EC_EALREADY);
	CHECK(xpf_err_classify(-5) == XPF_EC_OP_FAILED);
	CHECK(xpf_err_classify(-77) == XPF_EC_OTHER_NEG);
	CHECK(xpf_err_classify(3) == XPF_EC_POSITIVE);
	for (i = 0; i < XPF_EC_NR; i++) {
		CHECK(strcmp(xpf_err_class_name(i), "?") != 0);
		for (j = 0; j < i; j++)
			CHECK(strcmp(xpf_err_class_name(i), xpf_err_class_name(j)) != 0);
	}
	CHECK(strcmp(xpf_err_class_name(XPF_EC_NR), "?") == 0);
}

static void t_parse_uint(void)
{
	unsigned int v = 77;

	CHECK(xpf_parse_uint("0", 10, &v) == 0 && v == 0);
	CHECK(xpf_parse_uint("256", 256, &v) == 0 && v == 256);
	CHECK(xpf_parse_uint("257", 256, &v) == -ERANGE);
	CHECK(xpf_parse_uint("4294967295", 0xffffffffu, &v) == 0 && v == 0xffffffffu);
	CHECK(xpf_parse_uint("4294967296", 0xffffffffu, &v) == -ERANGE);
	CHECK(xpf_parse_uint("99999999999", 0xffffffffu, &v) == -EINVAL);
	CHECK(xpf_parse_uint("", 10, &v) == -EINVAL);
	CHECK(xpf_parse_uint("-1", 10, &v) == -EINVAL);
	CHECK(xpf_parse_uint(" 1", 10, &v) == -EINVAL);
	CHECK(xpf_parse_uint("1 ", 10, &v) == -EINVAL);
	CHECK(xpf_parse_uint("0x1", 10, &v) == -EINVAL);
	CHECK(xpf_parse_uint(NULL, 10, &v) == -EINVAL);
}

static void t_parse_root(void)
{
	unsigned int d = 1, b = 1;

	CHECK(xpf_parse_root("0000:00", &d, &b) == 0 && d == 0 && b == 0);
	CHECK(xpf_parse_root("ffff:ff", &d, &b) == 0 && d == 0xffff && b == 0xff);
	CHECK(xpf_parse_root("0001:3A", &d, &b) == 0 && d == 1 && b == 0x3a);
	CHECK(xpf_parse_root("0:0", &d, &b) == 0 && d == 0 && b == 0);
	CHECK(xpf_parse_root("10000:00", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("0000:100", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("0000:00x", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("0000:00:00.0", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("0000", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root(":00", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("0000:", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("", &d, &b) == -EINVAL);
	CHECK(xpf_parse_root("g000:00", &d, &b) == -EINVAL);
}

static void t_parse_bdf(void)
{
	struct xpf_bdf a;

	/* pciback writes the function with %02x */
	CHECK(xpf_parse_bdf("0000:00:00.00", &a) == 0 && a.domain == 0 && a.bus == 0 &&
	      a.devfn == 0);
	CHECK(xpf_parse_bdf("0000:03:05.1", &a) == 0 && a.bus == 3 && a.devfn == 0x29);
	CHECK(xpf_parse_bdf("abcd:ff:1f.07", &a) == 0 && a.domain == 0xabcd && a.bus == 0xff &&
	      a.devfn == 0xff);
	CHECK(xpf_parse_bdf("0000:00:20.0", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("0000:00:00.8", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("0000:00:00.000", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("0000:00:00", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("0000:00:00.0 ", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("0000:000:00.0", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("0000:00.00.0", &a) == -EINVAL);
	CHECK(xpf_parse_bdf("", &a) == -EINVAL);
}

static void t_parse_handover(void)
{
	struct xpf_handover h, untouched;

	memset(&h, 0x5a, sizeof(h));
	untouched = h;
	/* as xpf_chan_handover() and the handshake write them */
	CHECK(xpf_parse_handover("1a2b3c", "0", "8", "17", &h) == 0 && h.pfn == 0x1a2b3c &&
	      h.token == 0 && h.ref == 8 && h.port == 17);
	CHECK(xpf_parse_handover("fffffffffffff", "ffffffffffffffff", "4294967295", "1", &h) == 0 &&
	      h.pfn == 0xfffffffffffffUL && h.token == ~0ULL && h.ref == 0xffffffffU);
	CHECK(xpf_parse_handover("ABCDEF", "DeadBeef", "0", "3", &h) == 0 && h.pfn == 0xabcdef &&
	      h.token == 0xdeadbeef && h.ref == 0);
	memcpy(&h, &untouched, sizeof(h));
	/* no record at all, or half of one */
	CHECK(xpf_parse_handover(NULL, NULL, "8", "17", &h) == -ENOENT);
	CHECK(xpf_parse_handover("1000", NULL, "8", "17", &h) == -ENOENT);
	CHECK(xpf_parse_handover(NULL, "1234", "8", "17", &h) == -ENOENT);
	/* a record without the channel it names */
	CHECK(xpf_parse_handover("1000", "1234", NULL, "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1000", "1234", "8", NULL, &h) == -EINVAL);
	/* what xenbus_scanf() would have let through */
	CHECK(xpf_parse_handover("0x1000", "1234", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover(" 1000", "1234", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1000", "1234z", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1000", "1234", "+8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1000", "1234", "8", "17 ", &h) == -EINVAL);
	/* out of range, empty, zero frame or port */
	CHECK(xpf_parse_handover("10000000000000000", "1", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1", "10000000000000000", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1", "1", "4294967296", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("", "1", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1", "", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("0", "1", "8", "17", &h) == -EINVAL);
	CHECK(xpf_parse_handover("1", "1", "8", "0", &h) == -EINVAL);
	CHECK(!memcmp(&h, &untouched, sizeof(h)));
}

static struct xpf_req conf(u32 cmd, u32 off, u32 size, u32 val)
{
	struct xpf_req r = { .cmd = cmd, .domain = 1, .bus = 2, .devfn = 0x29,
			     .offset = off, .size = size, .value = val };
	return r;
}

static void t_encode_conf(void)
{
	struct xen_pci_op op;
	struct xpf_req r;

	memset(&op, 0xa5, sizeof(op));
	r = conf(XEN_PCI_OP_conf_read, 0x40, 4, 0);
	CHECK(xpf_req_encode(&r, &op) == 0);
	CHECK(op.cmd == XEN_PCI_OP_conf_read && op.domain == 1 && op.bus == 2 &&
	      op.devfn == 0x29 && op.offset == 0x40 && op.size == 4);
	/* the reply fields are reset, so a stale answer cannot survive */
	CHECK(op.err == 0 && op.value == 0 && op.info == 0);

	r = conf(XEN_PCI_OP_conf_write, 0x4, 2, 0x0406);
	CHECK(xpf_req_encode(&r, &op) == 0 && op.value == 0x0406 && op.size == 2);
	r = conf(XEN_PCI_OP_conf_write, 0x4, 2, 0x10000);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_conf_write, 0x4, 1, 0x100);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_conf_read, 0x41, 2, 0);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_conf_read, 0x42, 4, 0);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_conf_read, 0x40, 3, 0);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_conf_read, 4096, 1, 0);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_conf_read, 4095, 1, 0);
	CHECK(xpf_req_encode(&r, &op) == 0 && op.offset == 4095);
	r = conf(XEN_PCI_OP_conf_read, 0, 4, 0);
	r.bus = 256;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r.bus = 0;
	r.domain = 0x10000;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(XEN_PCI_OP_aer_detected, 0, 4, 0);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r = conf(99, 0, 4, 0);
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
}

static void t_encode_msix(void)
{
	static struct xen_pci_op op;
	u16 idx[SH_INFO_MAX_VEC + 1];
	struct xpf_req r = { .cmd = XEN_PCI_OP_enable_msix, .entries = idx };
	unsigned int i;

	for (i = 0; i <= SH_INFO_MAX_VEC; i++)
		idx[i] = i * 3;
	memset(&op, 0xff, sizeof(op));
	r.nvec = 4;
	CHECK(xpf_req_encode(&r, &op) == 0);
	CHECK(op.value == 4 && op.msix_entries[3].entry == 9 && op.msix_entries[3].vector == 0);
	r.nvec = 0;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r.nvec = SH_INFO_MAX_VEC;
	CHECK(xpf_req_encode(&r, &op) == 0);
	r.nvec = SH_INFO_MAX_VEC + 1;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r.nvec = 2;
	idx[1] = 2048;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
	r.entries = NULL;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);

	r.cmd = XEN_PCI_OP_enable_msi;
	r.nvec = 0;
	CHECK(xpf_req_encode(&r, &op) == 0 && op.value == 0);
	r.nvec = 1;
	CHECK(xpf_req_encode(&r, &op) == -EINVAL);
}

static void t_reply_msi(void)
{
	struct xen_pci_op op = { .err = 0, .value = 55 };
	struct xpf_reply rep = { 0 };
	int pirq = 0;

	xpf_reply_copy(&op, 0, &rep);
	CHECK(rep.err == 0 && rep.value == 55 && rep.nvec == 0);
	CHECK(xpf_msi_check(&rep, &pirq) == 0 && pirq == 55);
	rep.value = 0;
	CHECK(xpf_msi_check(&rep, &pirq) == -EPROTO);
	rep.value = XPF_PIRQ_MAX + 1;
	CHECK(xpf_msi_check(&rep, &pirq) == -EPROTO);
	rep.value = 0xffffffffu;
	CHECK(xpf_msi_check(&rep, &pirq) == -EPROTO);
}

static void t_reply_msix(void)
{
	static struct xen_pci_op op;
	struct xen_msix_entry ents[4];
	u16 idx[4] = { 0, 1, 2, 5 };
	struct xpf_req r = { .cmd = XEN_PCI_OP_enable_msix, .nvec = 4, .entries = idx };
	struct xpf_reply rep = { .entries = ents };
	int pirqs[4] = { 0 };
	unsigned int i;

	CHECK(xpf_req_encode(&r, &op) == 0);
	op.value = 0;
	for (i = 0; i < 4; i++)
		op.msix_entries[i].vector = 100 + i;
	xpf_reply_copy(&op, 4, &rep);
	CHECK(rep.nvec == 4);
	CHECK(xpf_msix_check(&r, &rep, pirqs) == 0 && pirqs[0] == 100 && pirqs[3] == 103);

	ents[2].vector = 0;
	CHECK(xpf_msix_check(&r, &rep, pirqs) == -EPROTO);
	ents[2].vector = 100;	/* duplicate */
	CHECK(xpf_msix_check(&r, &rep, pirqs) == -EPROTO);
	ents[2].vector = 102;
	ents[3].entry = 4;	/* not the index we asked for */
	CHECK(xpf_msix_check(&r, &rep, pirqs) == -EPROTO);
	ents[3].entry = 5;
	rep.value = 1;		/* pciback reports 0 on success */
	CHECK(xpf_msix_check(&r, &rep, pirqs) == -EPROTO);
	rep.value = 0;
	rep.nvec = 3;
	CHECK(xpf_msix_check(&r, &rep, pirqs) == -EPROTO);
	rep.nvec = 4;
	CHECK(xpf_msix_check(&r, &rep, pirqs) == 0);

	/* a reply copy never writes past the caller's room or SH_INFO_MAX_VEC */
	rep.entries = NULL;
	xpf_reply_copy(&op, 4, &rep);
	CHECK(rep.nvec == 0);
}

static void t_cfg_write_check(void)
{
	/* nvme-like: PM at 0x40, MSI-X at 0x70, no MSI; e1000e-like: PM c8, MSI d0, MSI-X a0 */
	u32 a = xpf_cfg_caps_pack(0x40, 0, 0x70), b = xpf_cfg_caps_pack(0xc8, 0xd0, 0xa0);

	CHECK(a != 0 && b != 0);
	CHECK(!xpf_cfg_write_watched(0x80, 2, 0));	/* not added yet */
	CHECK(!xpf_cfg_write_watched(PCI_COMMAND, 2, a));	/* the header */
	CHECK(!xpf_cfg_write_watched(0x3c, 4, a));
	CHECK(!xpf_cfg_write_watched(0x44, 2, a));	/* PM control */
	CHECK(!xpf_cfg_write_watched(0x47, 1, a));
	CHECK(xpf_cfg_write_watched(0x48, 4, a));	/* just after PM */
	CHECK(!xpf_cfg_write_watched(0x72, 2, a));	/* MSI-X control */
	CHECK(!xpf_cfg_write_watched(0x78, 4, a));
	CHECK(xpf_cfg_write_watched(0x7c, 4, a));
	CHECK(xpf_cfg_write_watched(0x88, 2, a));	/* e.g. PCIe device control */
	CHECK(xpf_cfg_write_watched(0x40, 2, xpf_cfg_caps_pack(0, 0, 0)));
	CHECK(!xpf_cfg_write_watched(0xd2, 2, b));	/* MSI control */
	CHECK(!xpf_cfg_write_watched(0xe4, 4, b));	/* MSI mask bits of a 64-bit MSI */
	CHECK(xpf_cfg_write_watched(0xe8, 4, b));
	CHECK(!xpf_cfg_write_watched(0xcc, 2, b));	/* PM control */
	CHECK(!xpf_cfg_write_watched(0xa8, 4, b));	/* MSI-X PBA offset */
	CHECK(xpf_cfg_write_watched(0x100, 4, b));	/* extended space */

	CHECK(xpf_cfg_write_dropped(0x2810, 0x2818, 0x2810));	/* nothing changed */
	CHECK(!xpf_cfg_write_dropped(0x2810, 0x2818, 0x2818));	/* it took */
	CHECK(!xpf_cfg_write_dropped(0x2810, 0x281f, 0x2818));	/* partly: RO bits */
	CHECK(!xpf_cfg_write_dropped(0x0004, 0x0004, 0x0000));	/* W1C clear, as read */
	CHECK(!xpf_cfg_write_dropped(0x0000, 0x0000, 0x0000));	/* same value */
}

static void t_aer_copy(void)
{
	struct xen_pcie_aer_op op = { .cmd = XEN_PCI_OP_aer_slotreset, .err = -7,
				      .domain = 0x12345, .bus = 0x1ff, .devfn = 0xabc };
	struct xpf_aer_req r;

	memset(&r, 0, sizeof(r));
	xpf_aer_copy(&op, &r);
	CHECK(r.cmd == XEN_PCI_OP_aer_slotreset && r.err == -7 && r.domain == 0x12345 &&
	      r.bus == 0x1ff && r.devfn == 0xabc);
}

static void t_aer_check(void)
{
	struct xpf_aer_req r = { .cmd = XEN_PCI_OP_aer_detected, .err = XPF_CH_FROZEN,
				 .domain = 0, .bus = 0, .devfn = 0x08 };
	struct xpf_aer_call c, untouched;

	memset(&c, 0x5a, sizeof(c));
	untouched = c;
	CHECK(xpf_aer_check(&r, &c) == 0 && c.step == XPF_AER_DETECTED &&
	      c.state == XPF_CH_FROZEN && c.domain == 0 && c.bus == 0 && c.devfn == 0x08);
	r.cmd = XEN_PCI_OP_aer_mmio;
	CHECK(xpf_aer_check(&r, &c) == 0 && c.step == XPF_AER_MMIO && c.state == 0);
	r.cmd = XEN_PCI_OP_aer_slotreset;
	CHECK(xpf_aer_check(&r, &c) == 0 && c.step == XPF_AER_SLOT_RESET);
	r.cmd = XEN_PCI_OP_aer_resume;
	r.domain = 0xffff;
	r.bus = 0xff;
	r.devfn = 0xff;
	CHECK(xpf_aer_check(&r, &c) == 0 && c.step == XPF_AER_RESUME && c.domain == 0xffff &&
	      c.bus == 0xff && c.devfn == 0xff);
	/* a resume/mmio request ignores err (it carries no state) */
	r.err = -1;
	CHECK(xpf_aer_check(&r, &c) == 0);

	/* everything below is refused and leaves the output alone */
	memcpy(&c, &untouched, sizeof(c));
	r = (struct xpf_aer_req){ .cmd = XEN_PCI_OP_conf_read };
	CHECK(xpf_aer_check(&r, &c) == -EOPNOTSUPP);
	r.cmd = XEN_PCI_OP_enable_msix;
	CHECK(xpf_aer_check(&r, &c) == -EOPNOTSUPP);
	r.cmd = 10;
	CHECK(xpf_aer_check(&r, &c) == -EOPNOTSUPP);
	r.cmd = 0xffffffff;
	CHECK(xpf_aer_check(&r, &c) == -EOPNOTSUPP);
	r.cmd = XEN_PCI_OP_aer_mmio;
	r.domain = 0x10000;
	CHECK(xpf_aer_check(&r, &c) == -EINVAL);
	r.domain = 0;
	r.bus = 0x100;
	CHECK(xpf_aer_check(&r, &c) == -EINVAL);
	r.bus = 0;
	r.devfn = 0x100;
	CHECK(xpf_aer_check(&r, &c) == -EINVAL);
	r.devfn = 0;
	r.cmd = XEN_PCI_OP_aer_detected;
	r.err = 0;
	CHECK(xpf_aer_check(&r, &c) == -EINVAL);
	r.err = 4;
	CHECK(xpf_aer_check(&r, &c) == -EINVAL);
	r.err = INT32_MIN;
	CHECK(xpf_aer_check(&r, &c) == -EINVAL);
	CHECK(memcmp(&c, &untouched, sizeof(c)) == 0);
	r.err = XPF_CH_PERM_FAILURE;
	CHECK(xpf_aer_check(&r, &c) == 0 && c.state == XPF_CH_PERM_FAILURE);
	r.err = XPF_CH_NORMAL;
	CHECK(xpf_aer_check(&r, &c) == 0 && c.state == XPF_CH_NORMAL);
}

static void t_aer_result(void)
{
	unsigned int s;

	/* no driver, or no callback */
	CHECK(xpf_aer_result(XPF_AER_DETECTED, false, false, 0) == XPF_ERS_NO_AER_DRIVER);
	CHECK(xpf_aer_result(XPF_AER_DETECTED, true, false, XPF_ERS_RECOVERED) ==
	      XPF_ERS_NO_AER_DRIVER);
	for (s = XPF_AER_MMIO; s < XPF_AER_NR; s++) {
		CHECK(xpf_aer_result(s, false, false, 0) == XPF_ERS_RECOVERED);
		CHECK(xpf_aer_result(s, true, false, XPF_ERS_DISCONNECT) == XPF_ERS_RECOVERED);
	}
	/* the driver's vote passes through when it is a pci_ers_result_t */
	for (s = XPF_ERS_NONE; s <= XPF_ERS_NO_AER_DRIVER; s++) {
		CHECK(xpf_aer_result(XPF_AER_DETECTED, true, true, s) == s);
		CHECK(xpf_aer_result(XPF_AER_SLOT_RESET, true, true, s) == s);
		CHECK(xpf_aer_result(XPF_AER_MMIO, true, true, s) == s);
	}
	/* garbage from a driver becomes a disconnect vote */
	CHECK(xpf_aer_result(XPF_AER_DETECTED, true, true, 0) == XPF_ERS_DISCONNECT);
	CHECK(xpf_aer_result(XPF_AER_MMIO, true, true, 7) == XPF_ERS_DISCONNECT);
	CHECK(xpf_aer_result(XPF_AER_SLOT_RESET, true, true, 0xffffffff) == XPF_ERS_DISCONNECT);
	/* resume returns nothing: done */
	CHECK(xpf_aer_result(XPF_AER_RESUME, true, true, 0) == XPF_ERS_RECOVERED);
	/* a refused request tells pciback the guest did not handle it */
	CHECK(xpf_aer_refusal() == XPF_ERS_NONE);
}

#define MS 1000000ULL
#define DAY (86400ULL * 1000 * MS)

/* A reading of a guest whose Xen time is sched_clock() + @off, entry @ran ns ago. */
static struct xpf_clock_sample sample(u64 sched_now, u64 off, u64 ran, bool xen_clock)
{
	struct xpf_clock_sample s = {
		.entry = sched_now + off - ran, .have_entry = true, .sched_now = sched_now,
		.xen_now = sched_now + off, .have_xen_now = xen_clock,
	};
	return s;
}

static void t_deadline(void)
{
	const u64 off = 5 * DAY, slice = 10 * MS;
	struct xpf_clock c;
	struct xpf_clock_sample s;
	u64 d;

	/* Xen's clocksource: exact, whatever was learned before */
	xpf_clock_reset(&c);
	s = sample(1000 * MS, off, 3 * MS, true);
	CHECK(xpf_clock_deadline(&c, &s, slice) == s.xen_now + slice);
	/* a counter below the entry time is not Xen time: fall back */
	s.xen_now = 12345;
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d <= s.sched_now + off + slice && d >= s.sched_now + off + slice - 3 * MS);

	/* fallback: never beyond the true end; the freshest entry wins */
	xpf_clock_reset(&c);
	s = sample(2000 * MS, off, 500 * MS, false);
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d <= s.sched_now + off + slice);
	s = sample(2100 * MS, off, 1000, false);
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d <= s.sched_now + off + slice && d + 1000 >= s.sched_now + off + slice);
	/*
	 * another vCPU that has run for 150 ms: an older entry looks like
	 * time going back, which only ends slices early, never late
	 */
	s = sample(2200 * MS, off, 150 * MS, false);
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d + 150 * MS >= s.sched_now + off + slice && d <= s.sched_now + off + slice);
	/* and the next fresh entry brings it back to within a microsecond */
	s = sample(2250 * MS, off, 1000, false);
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d + 1000 >= s.sched_now + off + slice && d <= s.sched_now + off + slice);

	/*
	 * Restore onto a host up for one day instead of five: Xen time goes
	 * back while sched_clock() goes on. The deadline must not stay four
	 * days ahead (a silent backend would hold the vCPU that long).
	 */
	s = sample(2300 * MS, 1 * DAY, 2 * MS, false);
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d <= s.sched_now + 1 * DAY + slice);
	CHECK(d + 3 * MS >= s.sched_now + 1 * DAY + slice);

	/* a reset (suspend/resume) forgets; no entry time: sched_clock() only, early */
	xpf_clock_reset(&c);
	s = sample(2400 * MS, off, 1 * MS, false);
	s.have_entry = false;
	d = xpf_clock_deadline(&c, &s, slice);
	CHECK(d <= s.sched_now + off + slice);
}

/* A backend's nodes as "key=value" strings, for xpf_devlist_build(). */
struct kv {
	const char *const *nodes;
	int out;
};

static char *kv_get(void *ctx, const char *key)
{
	struct kv *kv = ctx;
	size_t n = strlen(key);
	const char *const *p;

	for (p = kv->nodes; *p; p++)
		if (!strncmp(*p, key, n) && (*p)[n] == '=') {
			kv->out++;
			return strdup(*p + n + 1);
		}
	return NULL;
}

static void kv_put(void *ctx, char *s)
{
	((struct kv *)ctx)->out--;
	free(s);
}

static int devlist(const char *const *nodes, struct xpf_devlist *l)
{
	struct kv kv = { nodes, 0 };
	const struct xpf_devlist_src src = { kv_get, kv_put, &kv };
	int err = xpf_devlist_build(l, &src);

	CHECK(!kv.out);
	return err;
}

static void t_devlist(void)
{
	static char garbage[4100];
	static const char *const good[] = {
		"num_devs=3", "state-0=4", "vdev-0=0000:00:01.0", "state-1=5",
		"vdev-1=0000:00:02.0", "vdev-2=0001:03:00.1",
		"root_num=2", "root-0=0000:00", "root-1=0001:03", NULL,
	};
	static const char *const bad[] = {
		"num_devs=5", "vdev-0=0000:00:01.0", "vdev-1=0000:00:01.0", "state-2=junk",
		"vdev-2=0000:00:03.0", "vdev-3=00:04.0", "root_num=3", "root-0=0000:00",
		"root-1=0000:00", "root-2=zz", NULL,
	};
	static const char *const nonum[] = { "vdev-0=0000:00:01.0", NULL };
	static const char *const huge[] = { "num_devs=257", "root_num=65", NULL };
	static const char *const big[] = { "num_devs=1", garbage, NULL };
	struct xpf_devlist *l = malloc(sizeof(*l));

	CHECK(l);
	if (!l)
		return;
	CHECK(devlist(good, l) == 0 && l->ndevs == 3 && l->nroots == 2 && !l->problems);
	CHECK(xpf_devent_exported(&l->dev[0]) && xpf_devent_closing(&l->dev[1]));
	CHECK(xpf_devent_exported(&l->dev[2]) && l->dev[2].bdf.domain == 1 &&
	      l->dev[2].bdf.bus == 3 && l->dev[2].bdf.devfn == 1);
	CHECK(xpf_devlist_has_root(l, 1, 3) && !xpf_devlist_has_root(l, 1, 4));
	/* bad entries are skipped one by one; nothing makes a blind scan */
	CHECK(devlist(bad, l) == 0 && l->ndevs == 1 && l->nroots == 1);
	CHECK((l->problems & (XPF_DL_DUP_VDEV | XPF_DL_BAD_STATE | XPF_DL_BAD_VDEV |
			      XPF_DL_DUP_ROOT | XPF_DL_BAD_ROOT)) ==
	      (XPF_DL_DUP_VDEV | XPF_DL_BAD_STATE | XPF_DL_BAD_VDEV | XPF_DL_DUP_ROOT |
	       XPF_DL_BAD_ROOT) && l->bad_index == 1);
	CHECK(devlist(nonum, l) == -EPROTO && !l->ndevs && (l->problems & XPF_DL_NO_NUMDEVS));
	CHECK((l->problems & XPF_DL_NO_ROOTNUM) && l->nroots == 1 && xpf_devlist_has_root(l, 0, 0));
	CHECK(devlist(huge, l) == -EPROTO && !l->ndevs && !l->nroots &&
	      (l->problems & (XPF_DL_BAD_NUMDEVS | XPF_DL_BAD_ROOTNUM)) ==
	      (XPF_DL_BAD_NUMDEVS | XPF_DL_BAD_ROOTNUM));
	/* a 4 KiB garbage value */
	memcpy(garbage, "vdev-0=", 7);
	memset(garbage + 7, '7', sizeof(garbage) - 8);
	CHECK(devlist(big, l) == 0 && !l->ndevs && (l->problems & XPF_DL_BAD_VDEV));
	free(l);
}

static const struct ut_case tests[] = {
	{ "errmap: config errors to PCIBIOS_*", t_errmap_pcibios },
	{ "errmap: MSI errors (protocol and raw) to errno", t_errmap_errno },
	{ "errmap: classes and their names", t_errmap_classes },
	{ "parse: decimal values", t_parse_uint },
	{ "parse: root dddd:bb", t_parse_root },
	{ "parse: device dddd:bb:ss.f", t_parse_bdf },
	{ "parse: hand-over record", t_parse_handover },
	{ "opcodec: config requests", t_encode_conf },
	{ "opcodec: MSI/MSI-X requests", t_encode_msix },
	{ "opcodec: MSI reply checks", t_reply_msi },
	{ "opcodec: MSI-X reply checks", t_reply_msix },
	{ "opcodec: which config writes are checked, and when one was dropped", t_cfg_write_check },
	{ "aer: the request copied out of the page as it is", t_aer_copy },
	{ "aer: request checks (command, coordinates, channel state)", t_aer_check },
	{ "aer: driver votes and missing handlers to the answer", t_aer_result },
	{ "deadline: poll slices end in Xen time, also after a restore elsewhere", t_deadline },
	{ "devlist: the backend's list read once, bad entries skipped, no blind scan", t_devlist },
};

int main(int argc, char **argv)
{
	return ut_main(argc, argv, tests, ARRAY_SIZE(tests));
}
