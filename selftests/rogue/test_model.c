// SPDX-License-Identifier: GPL-2.0
/*
 * test_model - userspace self-test of the rogue backend's pure parts: the
 * device model, what it answers, and the op/reply copy to and from the
 * shared page. KTAP output, then "N passed, N failed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

static unsigned int passed, failed, n;

#define CHECK(cond, ...) do {						\
		n++;							\
		if (cond) {						\
			passed++;					\
			printf("ok %u - ", n);				\
		} else {						\
			failed++;					\
			printf("not ok %u - ", n);			\
		}							\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
	} while (0)

static struct rogue_model m;

static struct rogue_reply ask(uint32_t cmd, uint32_t devfn, int32_t off, int32_t size,
			      uint32_t value)
{
	struct rogue_op op = {
		.cmd = cmd, .devfn = devfn, .offset = off, .size = size, .value = value,
	};
	struct rogue_reply rep;

	rogue_model_answer(&m, &op, &rep);
	return rep;
}

static uint32_t rd(int32_t off, int32_t size)
{
	return ask(XEN_PCI_OP_conf_read, 0, off, size, 0).value;
}

static void test_config(void)
{
	struct rogue_reply rep;
	unsigned int cap, hops = 0, found = 0;

	CHECK(rd(0, 4) == 0x4755524f, "vendor and device in one dword read");
	CHECK(rd(0, 2) == 0x524f && rd(2, 2) == 0x4755, "word reads");
	CHECK(rd(0x0b, 1) == 0xff, "class ff: no class driver binds");
	CHECK(rd(0x3d, 1) == 1 && rd(0x3c, 1) == ROGUE_LEGACY_PIRQ, "INTA, legacy PIRQ in line");
	rep = ask(XEN_PCI_OP_conf_read, 0, 1, 2, 0);
	CHECK(rep.err == XEN_PCI_ERR_invalid_offset, "misaligned read refused");
	rep = ask(XEN_PCI_OP_conf_read, 0, 0, 3, 0);
	CHECK(rep.err == XEN_PCI_ERR_invalid_offset, "size 3 refused");
	rep = ask(XEN_PCI_OP_conf_read, 0, 4096, 4, 0);
	CHECK(rep.err == XEN_PCI_ERR_invalid_offset, "offset 4096 refused");
	rep = ask(XEN_PCI_OP_conf_read, 0, 0x100, 4, 0);
	CHECK(!rep.err && !rep.value, "extended space reads 0 (no extended capabilities)");
	rep = ask(XEN_PCI_OP_conf_read, 8, 0, 4, 0);
	CHECK(rep.err == XEN_PCI_ERR_dev_not_found, "unknown devfn: dev_not_found");
	rep = ask(42, 0, 0, 0, 0);
	CHECK(rep.err == XEN_PCI_ERR_not_implemented, "unknown command: not_implemented");

	/* BAR sizing as the PCI core does it */
	ask(XEN_PCI_OP_conf_write, 0, 0x10, 4, 0xffffffff);
	CHECK(rd(0x10, 4) == (uint32_t)~(ROGUE_BAR0_SIZE - 1), "BAR0 sizing reads the size mask");
	ask(XEN_PCI_OP_conf_write, 0, 0x10, 4, ROGUE_BAR0_BASE);
	CHECK(rd(0x10, 4) == ROGUE_BAR0_BASE, "BAR0 restored");
	ask(XEN_PCI_OP_conf_write, 0, 0x14, 4, 0xffffffff);
	CHECK(rd(0x14, 4) == 0, "BAR1 not implemented");
	ask(XEN_PCI_OP_conf_write, 0, 0x00, 4, 0);
	CHECK(rd(0, 4) == 0x4755524f, "IDs read-only");
	ask(XEN_PCI_OP_conf_write, 0, 0x04, 2, 0xffff);
	CHECK(rd(4, 2) == 0x0547, "command: only the modelled bits stick");
	ask(XEN_PCI_OP_conf_write, 0, 0x04, 2, 0);

	/* the capability list: PM -> MSI -> MSI-X -> end */
	for (cap = rd(0x34, 1); cap && hops < 48; cap = rd(cap + 1, 1), hops++)
		found = found * 0x100 + rd(cap, 1);
	CHECK(found == 0x010511, "capability list PM, MSI, MSI-X (got %#x)", found);
	CHECK((rd(ROGUE_CAP_MSIX + 2, 2) & 0x7ff) == ROGUE_MSIX_ENTRIES - 1, "MSI-X table size");
	CHECK(rd(ROGUE_CAP_PM + 4, 2) == 0, "PMCSR: D0");
}

static void test_msi(void)
{
	struct rogue_op op = { .cmd = XEN_PCI_OP_enable_msix, .value = 3, .nvec = 3 };
	struct rogue_reply rep, rep2;
	unsigned int i;

	rep = ask(XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	CHECK(!rep.err && rep.value >= ROGUE_FIRST_PIRQ, "enable_msi gives a PIRQ (%u)", rep.value);
	rep2 = ask(XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	CHECK(rep2.err == -EALREADY, "second enable_msi: -EALREADY");
	rep2 = ask(XEN_PCI_OP_enable_msix, 0, 0, 0, 1);
	CHECK(rep2.err == -ENXIO, "enable_msix with MSI on: -ENXIO");
	rep2 = ask(XEN_PCI_OP_disable_msi, 0, 0, 0, 0);
	CHECK(!rep2.err && rep2.value == ROGUE_LEGACY_PIRQ, "disable_msi gives the legacy PIRQ");

	for (i = 0; i < 3; i++)
		op.ent[i].entry = i * 2;
	rogue_model_answer(&m, &op, &rep);
	CHECK(!rep.err && !rep.value && rep.nvec == 3, "enable_msix succeeds with value 0");
	CHECK(rep.ent[0].entry == 0 && rep.ent[1].entry == 2 && rep.ent[2].entry == 4,
	      "MSI-X entries echoed");
	CHECK(rep.ent[0].vector != rep.ent[1].vector && rep.ent[1].vector != rep.ent[2].vector &&
	      rep.ent[0].vector, "MSI-X PIRQs distinct and non-zero");
	rogue_model_answer(&m, &op, &rep2);
	CHECK(rep2.err == -EALREADY, "second enable_msix: -EALREADY");
	ask(XEN_PCI_OP_disable_msix, 0, 0, 0, 0);
	op.value = 129;
	rogue_model_answer(&m, &op, &rep2);
	CHECK(rep2.err == -EINVAL, "more than 128 vectors: -EINVAL");
	op.value = 1;
	op.nvec = 1;
	op.ent[0].entry = ROGUE_MSIX_ENTRIES;
	rogue_model_answer(&m, &op, &rep2);
	CHECK(rep2.err == -EINVAL, "table index past the table: -EINVAL");
}

static void test_codec(void)
{
	static struct xen_pci_sharedinfo sh;
	struct rogue_reply rep = { .err = -5, .value = 0x1234, .nvec = 2 };
	struct rogue_op op;
	unsigned int i;

	memset(&sh, 0xa5, sizeof(sh));
	sh.op.cmd = XEN_PCI_OP_enable_msix;
	sh.op.value = 200;
	rogue_op_fetch(&sh.op, &op);
	CHECK(op.nvec == SH_INFO_MAX_VEC, "op fetch: vector count clamped to 128");
	sh.op.cmd = XEN_PCI_OP_conf_read;
	sh.op.offset = 0x3c;
	sh.op.size = 1;
	rogue_op_fetch(&sh.op, &op);
	CHECK(op.nvec == 0 && op.offset == 0x3c && op.size == 1, "op fetch: config op");

	rep.ent[0].vector = 0x61;
	rep.ent[0].entry = 1;
	rep.ent[1].vector = 0x62;
	rep.ent[1].entry = 5;
	rogue_reply_store(&sh.op, &rep);
	CHECK(sh.op.err == -5 && sh.op.value == 0x1234, "reply: err and value stored");
	CHECK(sh.op.msix_entries[0].vector == 0x61 && sh.op.msix_entries[1].entry == 5,
	      "reply: vectors stored (vector is the first half of an entry)");
	CHECK(*(uint16_t *)&sh.op.msix_entries[0] == 0x61, "entry layout: vector first");
	for (i = 2; i < SH_INFO_MAX_VEC; i++)
		if (sh.op.msix_entries[i].vector != 0xa5a5)
			break;
	CHECK(i == SH_INFO_MAX_VEC && sh.flags == 0xa5a5a5a5 && sh.op.cmd == XEN_PCI_OP_conf_read &&
	      sh.aer_op.cmd == 0xa5a5a5a5, "reply: nothing else in the page touched");
	CHECK(!strcmp(rogue_op_name(XEN_PCI_OP_aer_slotreset), "aer_slotreset") &&
	      !strcmp(rogue_op_name(99), "unknown"), "op names");
}

static void test_flap(void)
{
	struct rogue_dev *d;
	uint32_t a, b, c;

	d = rogue_model_add(&m, 0x524f, 0x4755, 0, 0, 8);
	d->flap = ROGUE_FLAP_IRQLINE | ROGUE_FLAP_CAPPTR | ROGUE_FLAP_BAR;
	a = rogue_cfg_read(d, 0x3c, 1);
	b = rogue_cfg_read(d, 0x3c, 1);
	CHECK(a != b, "flapping interrupt line changes between reads (%#x, %#x)", a, b);
	a = rogue_cfg_read(d, 0x34, 1);
	b = rogue_cfg_read(d, 0x34, 1);
	c = rogue_cfg_read(d, 0x34, 1);
	CHECK(a != b || b != c, "flapping capability pointer changes");
	a = rogue_cfg_read(d, 0x10, 4);
	b = rogue_cfg_read(d, 0x10, 4);
	CHECK(a != b, "flapping BAR changes (%#x, %#x)", a, b);
	CHECK(rogue_model_find(&m, 0, 0, 8) == d && !rogue_model_find(&m, 1, 0, 8),
	      "devices found by segment, bus and devfn");
}

int main(void)
{
	printf("KTAP version 1\n");
	rogue_model_init(&m);
	rogue_model_add(&m, 0x524f, 0x4755, 0, 0, 0);
	test_config();
	test_msi();
	test_codec();
	test_flap();
	printf("1..%u\n", n);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
