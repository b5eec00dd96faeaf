// SPDX-License-Identifier: GPL-2.0
/*
 * MSI and MSI-X through the backend, for the x86 Xen PCI arch hooks.
 *
 * Linux 6.1's xen_pv_teardown_msi_irqs() picks the disable op from
 * dev->msix_enabled, but the PCI core clears that flag before tearing the
 * IRQs down, so an MSI-X teardown reaches us as disable_msi. pciback then
 * finds MSI off and does nothing, dom0 keeps MSI-X on, and the next
 * enable_msix gets -EALREADY (nvme enables one vector, frees it, then asks
 * for all of them). We remember per device what we enabled and disable
 * that, whatever the hook was called (XPF_QUIRK_MSI_DISABLE in
 * compat/compat.h); and if the backend still says
 * -EALREADY we disable once and retry once (see xpf_enable()).
 */
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/xen/pci.h>
#include "errmap.h"
#include "xpf.h"

static void xpf_req_for(struct xpf_req *req, struct pci_dev *dev, u32 cmd)
{
	memset(req, 0, sizeof(*req));
	req->cmd = cmd;
	req->domain = pci_domain_nr(dev->bus);
	req->bus = dev->bus->number;
	req->devfn = dev->devfn;
}

static void xpf_set_mode(struct xpf_front *front, struct pci_dev *dev, enum xpf_irqmode m)
{
	if (m == XPF_IRQ_NONE)
		xa_erase(&front->irqmode, xpf_sbdf(dev));
	else
		xa_store(&front->irqmode, xpf_sbdf(dev), xa_mk_value(m), GFP_KERNEL);
}

static enum xpf_irqmode xpf_get_mode(struct xpf_front *front, struct pci_dev *dev)
{
	void *v = xa_load(&front->irqmode, xpf_sbdf(dev));

	return v ? xa_to_value(v) : XPF_IRQ_NONE;
}

/* Send a disable op; the answer only carries the legacy PIRQ, which arch code ignores. */
static void xpf_disable(struct xpf_front *front, struct pci_dev *dev, u32 cmd)
{
	struct xpf_reply rep = {};
	struct xpf_req req;
	int err;

	xpf_req_for(&req, dev, cmd);
	err = xpf_chan_do(&front->chan, &req, &rep);
	if (!err)
		err = xpf_err_to_errno(rep.err);
	if (err)
		pci_err(dev, "backend failed to disable %s: %d\n",
			cmd == XEN_PCI_OP_disable_msix ? "MSI-X" : "MSI", err);
	else
		pci_dbg(dev, "%s disabled, legacy PIRQ %u\n",
			cmd == XEN_PCI_OP_disable_msix ? "MSI-X" : "MSI", rep.value);
}

/*
 * Send an enable op. On -EALREADY, dom0 still has this interrupt type on
 * from an earlier enable of ours whose disable was lost (see the top of the
 * file) or from a frontend instance that went away. The device belongs to
 * this guest only, and the arch code only asks us to enable when none of
 * the guest's IRQs use those PIRQs any more, so switching dom0's stale
 * state off harms nobody. Retry once only: a backend that keeps answering
 * -EALREADY cannot make us loop.
 */
static int xpf_enable(struct xpf_front *front, struct pci_dev *dev,
		      const struct xpf_req *req, struct xpf_reply *rep)
{
	u32 dis = req->cmd == XEN_PCI_OP_enable_msix ? XEN_PCI_OP_disable_msix
						     : XEN_PCI_OP_disable_msi;
	int tries, err;

	for (tries = 0; tries < 2; tries++) {
		err = xpf_chan_do(&front->chan, req, rep);
		if (err)
			return err;
		err = xpf_err_to_errno(rep->err);
		if (err != -EALREADY || tries)
			break;
		pci_info(dev, "backend still has %s on from an earlier enable; disabling it and retrying\n",
			 dis == XEN_PCI_OP_disable_msix ? "MSI-X" : "MSI");
		xpf_disable(front, dev, dis);
	}
	return err;
}

static int xpf_enable_msi(struct pci_dev *dev, int vectors[])
{
	struct xpf_front *front = xpf_front_of_bus(dev->bus);
	struct xpf_reply rep = {};
	struct xpf_req req;
	int err, pirq;

	if (!front)
		return -ENODEV;
	xpf_req_for(&req, dev, XEN_PCI_OP_enable_msi);
	err = xpf_enable(front, dev, &req, &rep);
	if (err) {
		pci_err(dev, "backend refused to enable MSI: %d%s\n", err,
			err == -EIO ? " (dom0 could not enable MSI; see dom0's dmesg)" : "");
		return err;
	}
	err = xpf_msi_check(&rep, &pirq);
	if (err) {
		pci_err(dev, "backend returned an invalid MSI PIRQ %u\n", rep.value);
		xpf_disable(front, dev, XEN_PCI_OP_disable_msi);
		return err;
	}
	xpf_set_mode(front, dev, XPF_IRQ_MSI);
	vectors[0] = pirq;
	pci_dbg(dev, "MSI enabled, PIRQ %d\n", pirq);
	return 0;
}

/*
 * Under Xen PV the PCI core never masks MSI-X vectors (pci_msi_ignore_mask),
 * but pci_msix_mask() still reads the first table entry back on every
 * disable, as a posted-write flush. The table sits in the BAR whose address
 * the backend published; if this guest was not given that memory, Xen
 * refused the PTE when the core mapped the table, and that read is a fatal
 * page fault in whatever task frees the vectors, long after the enable
 * looked fine (a kworker that dies there takes the device's removal down
 * with it). So before the vectors are handed out, read every entry in use
 * without faulting.
 */
static bool xpf_msix_table_mapped(struct pci_dev *dev)
{
	void __iomem *base = NULL, *a;
	struct msi_desc *desc;
	u32 v;

	msi_for_each_desc(desc, &dev->dev, MSI_DESC_NOTASSOCIATED) {
		/* one table: its first entry (the flush read) once, then each entry */
		if (!base) {
			base = desc->pci.mask_base;
			if (copy_from_kernel_nofault(&v, (__force const void *)base, sizeof(v)))
				return false;
		}
		a = base + desc->msi_index * PCI_MSIX_ENTRY_SIZE;
		if (copy_from_kernel_nofault(&v, (__force const void *)a, sizeof(v)))
			return false;
	}
	return true;
}

static int xpf_enable_msix(struct pci_dev *dev, int vectors[], int nvec)
{
	struct xpf_front *front = xpf_front_of_bus(dev->bus);
	struct xen_msix_entry *ents;
	struct xpf_reply rep = {};
	struct xpf_req req;
	struct msi_desc *desc;
	u16 *idx;
	int err, i = 0;

	if (!front)
		return -ENODEV;
	if (nvec <= 0 || nvec > SH_INFO_MAX_VEC) {
		pci_err(dev, "MSI-X with %d vectors: the protocol carries 1..%d\n",
			nvec, SH_INFO_MAX_VEC);
		return -EINVAL;
	}
	idx = kcalloc(nvec, sizeof(*idx), GFP_KERNEL);
	ents = kcalloc(nvec, sizeof(*ents), GFP_KERNEL);
	if (!idx || !ents) {
		err = -ENOMEM;
		goto out;
	}
	msi_for_each_desc(desc, &dev->dev, MSI_DESC_NOTASSOCIATED) {
		if (i >= nvec)
			break;
		idx[i++] = desc->msi_index;
	}
	if (i != nvec) {
		pci_err(dev, "MSI-X: %d descriptors for %d vectors\n", i, nvec);
		err = -EINVAL;
		goto out;
	}

	xpf_req_for(&req, dev, XEN_PCI_OP_enable_msix);
	req.nvec = nvec;
	req.entries = idx;
	rep.entries = ents;
	err = xpf_enable(front, dev, &req, &rep);
	if (err) {
		pci_err(dev, "backend refused to enable MSI-X (%d vectors): %d%s\n", nvec, err,
			err == -ENXIO ? " (memory decoding off, or MSI still on in dom0)" : "");
		goto out;
	}
	err = xpf_msix_check(&req, &rep, vectors);
	if (err) {
		pci_err(dev, "backend returned invalid MSI-X PIRQs (value %u); disabling\n",
			rep.value);
		xpf_disable(front, dev, XEN_PCI_OP_disable_msix);
		goto out;
	}
	if (!xpf_msix_table_mapped(dev)) {
		dev_err_ratelimited(&dev->dev, "MSI-X table not mapped: Xen did not give this guest the memory of the BAR it is in (pciback's BAR values and the guest's iomem permissions disagree; see dom0's xl dmesg); disabling MSI-X\n");
		xpf_disable(front, dev, XEN_PCI_OP_disable_msix);
		err = -EFAULT;
		goto out;
	}
	xpf_set_mode(front, dev, XPF_IRQ_MSIX);
	pci_dbg(dev, "MSI-X enabled, %d vectors, first PIRQ %d\n", nvec, vectors[0]);
out:
	kfree(ents);
	kfree(idx);
	return err;
}

/* Disable whatever we enabled; the hook that calls us may name the wrong type. */
static void xpf_disable_any(struct pci_dev *dev, u32 asked)
{
	struct xpf_front *front = xpf_front_of_bus(dev->bus);
	enum xpf_irqmode m;

	if (!front)
		return;
	m = XPF_QUIRK_MSI_DISABLE ? xpf_get_mode(front, dev) : XPF_IRQ_NONE;
	if (m == XPF_IRQ_MSIX)
		asked = XEN_PCI_OP_disable_msix;
	else if (m == XPF_IRQ_MSI)
		asked = XEN_PCI_OP_disable_msi;
	xpf_disable(front, dev, asked);
	xpf_set_mode(front, dev, XPF_IRQ_NONE);
}

static void xpf_disable_msi(struct pci_dev *dev)
{
	xpf_disable_any(dev, XEN_PCI_OP_disable_msi);
}

static void xpf_disable_msix(struct pci_dev *dev)
{
	xpf_disable_any(dev, XEN_PCI_OP_disable_msix);
}

struct xen_pci_frontend_ops xpf_msi_ops = {
	.enable_msi = xpf_enable_msi,
	.disable_msi = xpf_disable_msi,
	.enable_msix = xpf_enable_msix,
	.disable_msix = xpf_disable_msix,
};
