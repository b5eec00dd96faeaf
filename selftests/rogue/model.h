/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rogue backend's pure parts: a scripted model of a simple
 * PCI endpoint (config space image with one memory BAR, a capability list
 * with PM, MSI and MSI-X), what a well-behaved pciback answers to each op,
 * and the copy in/out of the shared page's op. No Xen library calls: also
 * built by the userspace self-test (test_model.c).
 */
#ifndef ROGUE_MODEL_H
#define ROGUE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "pciif.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define ROGUE_CFG_SIZE		256
#define ROGUE_MAX_DEVS		256

/* The model's layout (offsets in config space). */
#define ROGUE_CAP_PM		0x40
#define ROGUE_CAP_MSI		0x50
#define ROGUE_CAP_MSIX		0x70
#define ROGUE_MSIX_ENTRIES	8
#define ROGUE_BAR0_SIZE		0x4000		/* 16 KiB: MSI-X table + PBA */
#define ROGUE_BAR0_BASE		0xf0000000u	/* + 64 KiB per device */
#define ROGUE_LEGACY_PIRQ	0x1c
#define ROGUE_FIRST_PIRQ	0x60

/* Registers that change between reads (enum rogue_flap bits). */
enum rogue_flap {
	ROGUE_FLAP_IRQLINE	= 1 << 0,	/* PCI_INTERRUPT_LINE */
	ROGUE_FLAP_CAPPTR	= 1 << 1,	/* capability pointer and next links */
	ROGUE_FLAP_BAR		= 1 << 2,	/* BAR0 base, type and sizing answer */
};

/**
 * struct rogue_dev - one modelled function
 * @domain: guest-visible segment (vdev-N)
 * @bus: guest-visible bus
 * @devfn: guest-visible devfn
 * @cfg: the config space image (little endian, as on the wire)
 * @wmask: bits a config write may change
 * @bar_size: size of each BAR, 0 for none
 * @bar_flags: the low (read-only) bits of each BAR
 * @flap: enum rogue_flap bits
 * @reads: config reads served (drives the flapping)
 * @msi_on: MSI enabled through the backend
 * @msix_on: MSI-X enabled through the backend
 */
struct rogue_dev {
	uint16_t domain;
	uint8_t bus;
	uint8_t devfn;
	uint8_t cfg[ROGUE_CFG_SIZE];
	uint8_t wmask[ROGUE_CFG_SIZE];
	uint32_t bar_size[6];
	uint32_t bar_flags[6];
	unsigned int flap;
	uint32_t reads;
	bool msi_on;
	bool msix_on;
};

/**
 * struct rogue_model - the devices behind one backend
 * @dev: the devices
 * @ndevs: how many are in use
 * @next_pirq: next PIRQ number handed out for MSI/MSI-X
 */
struct rogue_model {
	struct rogue_dev dev[ROGUE_MAX_DEVS];
	unsigned int ndevs;
	uint16_t next_pirq;
};

/**
 * struct rogue_op - one request, copied once out of the shared page
 * @nvec: MSI-X entries copied into @ent (enable_msix only, else 0)
 * The other fields are those of struct xen_pci_op.
 */
struct rogue_op {
	uint32_t cmd;
	uint32_t domain;
	uint32_t bus;
	uint32_t devfn;
	int32_t offset;
	int32_t size;
	uint32_t value;
	uint32_t info;
	uint32_t nvec;
	struct xen_msix_entry ent[SH_INFO_MAX_VEC];
};

/**
 * struct rogue_reply - an answer, before it goes into the shared page
 * @err: XEN_PCI_ERR_* or a negative errno
 * @value: the read value, PIRQ, or 0
 * @nvec: MSI-X entries to write back (0: none are touched)
 * @ent: the entries (vector = PIRQ, entry = the table index echoed)
 */
struct rogue_reply {
	int32_t err;
	uint32_t value;
	uint32_t nvec;
	struct xen_msix_entry ent[SH_INFO_MAX_VEC];
};

void rogue_model_init(struct rogue_model *m);
struct rogue_dev *rogue_model_add(struct rogue_model *m, uint16_t vendor, uint16_t device,
				  uint16_t domain, uint8_t bus, uint8_t devfn);
struct rogue_dev *rogue_model_find(struct rogue_model *m, uint32_t domain, uint32_t bus,
				   uint32_t devfn);
uint32_t rogue_cfg_read(struct rogue_dev *d, unsigned int off, unsigned int size);
void rogue_cfg_write(struct rogue_dev *d, unsigned int off, unsigned int size, uint32_t val);
void rogue_model_answer(struct rogue_model *m, const struct rogue_op *op,
			struct rogue_reply *rep);
void rogue_op_fetch(const struct xen_pci_op *sh, struct rogue_op *op);
void rogue_reply_store(struct xen_pci_op *sh, const struct rogue_reply *rep);
const char *rogue_op_name(uint32_t cmd);

#endif /* ROGUE_MODEL_H */
