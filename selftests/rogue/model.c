// SPDX-License-Identifier: GPL-2.0
/*
 * The rogue backend's device model and op codec (pure, see model.h).
 *
 * The model answers as a well-behaved xen-pciback would (vpci mode): config
 * accesses of 1, 2 or 4 naturally aligned bytes below 4096, BAR sizing,
 * MSI and MSI-X enable with made-up PIRQs and the same refusals pciback
 * makes (-EALREADY when on already, -ENXIO when the other type is on,
 * -EINVAL for more than 128 vectors or a table index past the table).
 * Scenarios start from this answer and spoil it.
 */
#include <errno.h>
#include <string.h>
#include "model.h"

static void put8(struct rogue_dev *d, unsigned int off, uint8_t v, uint8_t wmask)
{
	d->cfg[off] = v;
	d->wmask[off] = wmask;
}

static void put16(struct rogue_dev *d, unsigned int off, uint16_t v, uint16_t wmask)
{
	put8(d, off, v & 0xff, wmask & 0xff);
	put8(d, off + 1, v >> 8, wmask >> 8);
}

static void put32(struct rogue_dev *d, unsigned int off, uint32_t v, uint32_t wmask)
{
	put16(d, off, v & 0xffff, wmask & 0xffff);
	put16(d, off + 2, v >> 16, wmask >> 16);
}

void rogue_model_init(struct rogue_model *m)
{
	memset(m, 0, sizeof(*m));
	m->next_pirq = ROGUE_FIRST_PIRQ;
}

struct rogue_dev *rogue_model_add(struct rogue_model *m, uint16_t vendor, uint16_t device,
				  uint16_t domain, uint8_t bus, uint8_t devfn)
{
	struct rogue_dev *d;
	uint32_t base;

	if (m->ndevs >= ROGUE_MAX_DEVS)
		return NULL;
	base = ROGUE_BAR0_BASE + m->ndevs * 0x10000u;
	d = &m->dev[m->ndevs++];
	memset(d, 0, sizeof(*d));
	d->domain = domain;
	d->bus = bus;
	d->devfn = devfn;

	put16(d, 0x00, vendor, 0);
	put16(d, 0x02, device, 0);
	/* IO, MEM, MASTER, PARITY, SERR, INTX_DISABLE */
	put16(d, 0x04, 0x0000, 0x0547);
	put16(d, 0x06, 0x0010, 0);		/* status: capability list */
	put8(d, 0x08, 0x01, 0);			/* revision */
	put8(d, 0x09, 0x00, 0);			/* class ff0000: no class driver */
	put16(d, 0x0a, 0xff00, 0);
	put8(d, 0x0c, 0x00, 0xff);		/* cache line */
	put8(d, 0x0d, 0x00, 0xff);		/* latency */
	put8(d, 0x0e, 0x00, 0);			/* header type 0 */
	put32(d, 0x10, base, 0);		/* BAR0: 32-bit memory */
	d->bar_size[0] = ROGUE_BAR0_SIZE;
	d->bar_flags[0] = 0;
	put16(d, 0x2c, vendor, 0);		/* subsystem */
	put16(d, 0x2e, 0x0001, 0);
	put8(d, 0x34, ROGUE_CAP_PM, 0);
	put8(d, 0x3c, ROGUE_LEGACY_PIRQ, 0xff);
	put8(d, 0x3d, 0x01, 0);			/* INTA */

	/* PM: version 3, D0; power state and PME enable writable */
	put8(d, ROGUE_CAP_PM, 0x01, 0);
	put8(d, ROGUE_CAP_PM + 1, ROGUE_CAP_MSI, 0);
	put16(d, ROGUE_CAP_PM + 2, 0x0003, 0);
	put16(d, ROGUE_CAP_PM + 4, 0x0000, 0x0103);

	/* MSI: 64-bit, one vector; enable and MME writable */
	put8(d, ROGUE_CAP_MSI, 0x05, 0);
	put8(d, ROGUE_CAP_MSI + 1, ROGUE_CAP_MSIX, 0);
	put16(d, ROGUE_CAP_MSI + 2, 0x0080, 0x0071);
	put32(d, ROGUE_CAP_MSI + 4, 0, 0xfffffffc);
	put32(d, ROGUE_CAP_MSI + 8, 0, 0xffffffff);
	put16(d, ROGUE_CAP_MSI + 12, 0, 0xffff);

	/* MSI-X: 8 entries, table at BAR0 + 0, PBA at BAR0 + 0x2000 */
	put8(d, ROGUE_CAP_MSIX, 0x11, 0);
	put8(d, ROGUE_CAP_MSIX + 1, 0x00, 0);
	put16(d, ROGUE_CAP_MSIX + 2, ROGUE_MSIX_ENTRIES - 1, 0xc000);
	put32(d, ROGUE_CAP_MSIX + 4, 0x00000000, 0);
	put32(d, ROGUE_CAP_MSIX + 8, 0x00002000, 0);
	return d;
}

struct rogue_dev *rogue_model_find(struct rogue_model *m, uint32_t domain, uint32_t bus,
				   uint32_t devfn)
{
	unsigned int i;

	for (i = 0; i < m->ndevs; i++)
		if (m->dev[i].domain == domain && m->dev[i].bus == bus &&
		    m->dev[i].devfn == devfn)
			return &m->dev[i];
	return NULL;
}

/* Values the flapping registers take, one per read. */
static const uint8_t flap_lines[] = { 0x1c, 0x00, 0xff, 0x05, 0x1d, 0x80, 0x10, 0x2f };
static const uint8_t flap_caps[] = { 0x40, 0x00, 0xfc, 0x34, 0x41, 0x50, 0xff, 0x70 };

static void flap(struct rogue_dev *d)
{
	uint32_t n = d->reads++;

	if (d->flap & ROGUE_FLAP_IRQLINE)
		d->cfg[0x3c] = flap_lines[n % ARRAY_SIZE(flap_lines)];
	if (d->flap & ROGUE_FLAP_CAPPTR) {
		d->cfg[0x34] = flap_caps[n % ARRAY_SIZE(flap_caps)];
		/* PM's next link: MSI, itself (a loop), or past the end */
		d->cfg[ROGUE_CAP_PM + 1] = (n % 3 == 0) ? ROGUE_CAP_MSI :
					   (n % 3 == 1) ? ROGUE_CAP_PM : 0xf8;
	}
	if (d->flap & ROGUE_FLAP_BAR) {
		static const uint32_t bars[] = {
			0xf0000000, 0xffffffff, 0x00000004, 0xf0100008, 0x00000000,
			0xfffff000, 0x00000001, 0xe0000000,
		};
		uint32_t v = bars[n % ARRAY_SIZE(bars)];

		/* base, sizing answer and type (bit 2: 64-bit) all change */
		memcpy(&d->cfg[0x10], &v, 4);
		v = n & 1 ? 0xffffffff : 0;
		memcpy(&d->cfg[0x14], &v, 4);
	}
}

uint32_t rogue_cfg_read(struct rogue_dev *d, unsigned int off, unsigned int size)
{
	uint32_t v = 0;
	unsigned int i;

	if (d->flap)
		flap(d);
	else
		d->reads++;
	for (i = 0; i < size; i++)
		if (off + i < ROGUE_CFG_SIZE)
			v |= (uint32_t)d->cfg[off + i] << (8 * i);
	return v;
}

static void bar_write(struct rogue_dev *d, unsigned int bar, uint32_t val)
{
	uint32_t size = d->bar_size[bar], v;

	if (!size)
		return;
	/* Sizing (all ones) reads back the size mask; other values are taken aligned. */
	v = (val & ~(size - 1)) | d->bar_flags[bar];
	memcpy(&d->cfg[0x10 + 4 * bar], &v, 4);
}

void rogue_cfg_write(struct rogue_dev *d, unsigned int off, unsigned int size, uint32_t val)
{
	unsigned int i;

	if (off >= 0x10 && off < 0x28) {
		if (size == 4)
			bar_write(d, (off - 0x10) / 4, val);
		return;
	}
	for (i = 0; i < size && off + i < ROGUE_CFG_SIZE; i++) {
		uint8_t b = (val >> (8 * i)) & 0xff, m = d->wmask[off + i];

		d->cfg[off + i] = (d->cfg[off + i] & ~m) | (b & m);
	}
}

static bool conf_ok(const struct rogue_op *op)
{
	if (op->size != 1 && op->size != 2 && op->size != 4)
		return false;
	if (op->offset < 0 || op->offset >= 4096 || (op->offset & (op->size - 1)))
		return false;
	return true;
}

void rogue_model_answer(struct rogue_model *m, const struct rogue_op *op,
			struct rogue_reply *rep)
{
	struct rogue_dev *d = rogue_model_find(m, op->domain, op->bus, op->devfn);
	uint32_t i;

	memset(rep, 0, sizeof(*rep));
	if (!d) {
		rep->err = XEN_PCI_ERR_dev_not_found;
		return;
	}
	switch (op->cmd) {
	case XEN_PCI_OP_conf_read:
		if (!conf_ok(op)) {
			rep->err = XEN_PCI_ERR_invalid_offset;
			break;
		}
		rep->value = rogue_cfg_read(d, op->offset, op->size);
		break;
	case XEN_PCI_OP_conf_write:
		if (!conf_ok(op)) {
			rep->err = XEN_PCI_ERR_invalid_offset;
			break;
		}
		rogue_cfg_write(d, op->offset, op->size, op->value);
		break;
	case XEN_PCI_OP_enable_msi:
		if (d->msi_on) {
			rep->err = -EALREADY;
		} else if (d->msix_on) {
			rep->err = -ENXIO;
		} else {
			d->msi_on = true;
			rep->value = m->next_pirq++;
		}
		break;
	case XEN_PCI_OP_disable_msi:
		d->msi_on = false;
		rep->value = d->cfg[0x3c];
		break;
	case XEN_PCI_OP_enable_msix:
		if (op->value > SH_INFO_MAX_VEC) {
			rep->err = -EINVAL;
			break;
		}
		if (d->msix_on) {
			rep->err = -EALREADY;
			break;
		}
		if (d->msi_on) {
			rep->err = -ENXIO;
			break;
		}
		for (i = 0; i < op->nvec; i++) {
			if (op->ent[i].entry >= ROGUE_MSIX_ENTRIES) {
				rep->err = -EINVAL;
				return;
			}
		}
		d->msix_on = true;
		rep->nvec = op->nvec;
		for (i = 0; i < op->nvec; i++) {
			rep->ent[i].entry = op->ent[i].entry;
			rep->ent[i].vector = m->next_pirq++;
		}
		break;
	case XEN_PCI_OP_disable_msix:
		d->msix_on = false;
		rep->value = d->cfg[0x3c];
		break;
	default:
		rep->err = XEN_PCI_ERR_not_implemented;
		break;
	}
}

/* Each field of the page is read exactly once, by one (relaxed) atomic load. */
#define ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

void rogue_op_fetch(const struct xen_pci_op *sh, struct rogue_op *op)
{
	uint32_t i, n;

	op->cmd = ONCE(sh->cmd);
	op->domain = ONCE(sh->domain);
	op->bus = ONCE(sh->bus);
	op->devfn = ONCE(sh->devfn);
	op->offset = ONCE(sh->offset);
	op->size = ONCE(sh->size);
	op->value = ONCE(sh->value);
	op->info = ONCE(sh->info);
	op->nvec = 0;
	if (op->cmd != XEN_PCI_OP_enable_msix)
		return;
	n = op->value < SH_INFO_MAX_VEC ? op->value : SH_INFO_MAX_VEC;
	for (i = 0; i < n; i++) {
		op->ent[i].entry = ONCE(sh->msix_entries[i].entry);
		op->ent[i].vector = ONCE(sh->msix_entries[i].vector);
	}
	op->nvec = n;
}

#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

void rogue_reply_store(struct xen_pci_op *sh, const struct rogue_reply *rep)
{
	uint32_t i, n = rep->nvec < SH_INFO_MAX_VEC ? rep->nvec : SH_INFO_MAX_VEC;

	for (i = 0; i < n; i++) {
		STORE(sh->msix_entries[i].vector, rep->ent[i].vector);
		STORE(sh->msix_entries[i].entry, rep->ent[i].entry);
	}
	STORE(sh->value, rep->value);
	STORE(sh->err, rep->err);
}

const char *rogue_op_name(uint32_t cmd)
{
	static const char *const names[] = {
		"conf_read", "conf_write", "enable_msi", "disable_msi", "enable_msix",
		"disable_msix", "aer_detected", "aer_resume", "aer_mmio", "aer_slotreset",
		"enable_multi_msi",
	};

	return cmd < ARRAY_SIZE(names) ? names[cmd] : "unknown";
}
