/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The facts of Xen's PCI passthrough protocol (Xen's public io/pciif.h,
 * protocol version "7") for the userspace builds: the pcifront unit and
 * fuzz tests compile the frontend's sources against it, and the rogue
 * backend (selftests/rogue) plays the other side with it. Written from the
 * specification; the layout is checked below.
 *
 * One granted 4 KiB page holds struct xen_pci_sharedinfo; one event
 * channel; one op in flight. The frontend fills op, sets _XEN_PCIF_active
 * and notifies; the backend answers in op.err/op.value (and the MSI-X
 * vectors), clears the bit and notifies. The backend posts AER requests in
 * aer_op with _XEN_PCIB_active, if the frontend advertised
 * _XEN_PCIB_AERHANDLER; the frontend answers in aer_op.err and clears it.
 */
#ifndef XPF_SHIM_PCIIF_H
#define XPF_SHIM_PCIIF_H

#include <stddef.h>
#include <stdint.h>

#define XEN_PCI_MAGIC			"7"

/* bits of xen_pci_sharedinfo.flags */
#define _XEN_PCIF_active		0	/* frontend: an op is posted */
#define _XEN_PCIB_AERHANDLER		1	/* frontend: it handles AER requests */
#define _XEN_PCIB_active		2	/* backend: an AER request is posted */

#define XEN_PCI_OP_conf_read		0
#define XEN_PCI_OP_conf_write		1
#define XEN_PCI_OP_enable_msi		2
#define XEN_PCI_OP_disable_msi		3
#define XEN_PCI_OP_enable_msix		4
#define XEN_PCI_OP_disable_msix		5
#define XEN_PCI_OP_aer_detected		6
#define XEN_PCI_OP_aer_resume		7
#define XEN_PCI_OP_aer_mmio		8
#define XEN_PCI_OP_aer_slotreset	9
#define XEN_PCI_OP_enable_multi_msi	10

#define XEN_PCI_ERR_success		0
#define XEN_PCI_ERR_dev_not_found	(-1)
#define XEN_PCI_ERR_invalid_offset	(-2)
#define XEN_PCI_ERR_access_denied	(-3)
#define XEN_PCI_ERR_not_implemented	(-4)
#define XEN_PCI_ERR_op_failed		(-5)

#define SH_INFO_MAX_VEC			128

/* Note the order: the vector (a PIRQ in the answer) comes first. */
struct xen_msix_entry {
	uint16_t vector;
	uint16_t entry;
};

struct xen_pci_op {
	uint32_t cmd;
	int32_t err;
	uint32_t domain;
	uint32_t bus;
	uint32_t devfn;
	int32_t offset;
	int32_t size;
	uint32_t value;
	uint32_t info;
	struct xen_msix_entry msix_entries[SH_INFO_MAX_VEC];
};

struct xen_pcie_aer_op {
	uint32_t cmd;
	int32_t err;		/* in: channel state; out: pci_ers_result */
	uint32_t domain;
	uint32_t bus;
	uint32_t devfn;
};

struct xen_pci_sharedinfo {
	uint32_t flags;
	struct xen_pci_op op;
	struct xen_pcie_aer_op aer_op;
};

_Static_assert(sizeof(struct xen_msix_entry) == 4, "pciif layout");
_Static_assert(sizeof(struct xen_pci_op) == 548, "pciif layout");
_Static_assert(offsetof(struct xen_pci_op, msix_entries) == 36, "pciif layout");
_Static_assert(sizeof(struct xen_pcie_aer_op) == 20, "pciif layout");
_Static_assert(offsetof(struct xen_pci_sharedinfo, aer_op) == 552, "pciif layout");
_Static_assert(sizeof(struct xen_pci_sharedinfo) == 572, "pciif layout");

#endif /* XPF_SHIM_PCIIF_H */
