// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy interrupt binding a removed device leaves behind.
 *
 * When a driver enables a device, the x86 Xen PCI code binds the GSI that
 * pciback wrote into PCI_INTERRUPT_LINE to a Linux IRQ of type PIRQ, and
 * nothing unbinds it when the device goes (there is no disable hook for
 * PV). The binding outlives the detach, which unmaps the PIRQ from this
 * domain. After xl save/restore, the kernel's event channel resume then
 * asks Xen to map every GSI PIRQ it knows again; a PV domU may not, the
 * call fails, and 6.1 frees the IRQ in the middle of walking its IRQ list,
 * which crashes the guest. So when a device goes we release the binding of
 * its GSI, unless another of our devices shares it or a handler is still
 * on it. The only exported way to free a Xen IRQ is to unbind a handler
 * from it: we put a handler on it for that moment and take it off again
 * (XPF_QUIRK_GSI_RELEASE in compat/compat.h).
 * The handler goes on with IRQF_NO_AUTOEN, so the IRQ is never started: a
 * start would ask Xen to bind the PIRQ the detach has just taken away, and
 * the kernel would log "Failed to obtain physical IRQ" on every detach.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <xen/events.h>
#include "xpf.h"

/**
 * xpf_intx_note() - note the GSI of a new device's legacy interrupt
 * @front: the frontend
 * @dev: the device, before any driver enables it (dev->irq is PCI_INTERRUPT_LINE)
 *
 * Context: pci_lock_rescan_remove() held (the bus notifier).
 */
void xpf_intx_note(struct xpf_front *front, struct pci_dev *dev)
{
	/* Before pcibios_enable_device(), dev->irq is PCI_INTERRUPT_LINE. */
	if (!dev->pin || !dev->irq)
		return;
	if (xa_err(xa_store(&front->gsi, xpf_sbdf(dev), xa_mk_value(dev->irq), GFP_KERNEL)))
		pci_warn(dev, "no memory to note GSI %u; its binding will outlive the device\n",
			 dev->irq);
}

static irqreturn_t xpf_intx_none(int irq, void *data)
{
	return IRQ_NONE;
}

/**
 * xpf_intx_release() - release the GSI binding a removed device leaves
 * @front: the frontend
 * @key: xpf_sbdf() of the removed device
 *
 * Unless another device of ours shares the GSI or a handler is on it.
 *
 * Context: pci_lock_rescan_remove() held (the bus notifier).
 */
void xpf_intx_release(struct xpf_front *front, unsigned long key)
{
	unsigned long gsi, other;
	void *v = xa_erase(&front->gsi, key);
	int irq, err;

	if (!v || !XPF_QUIRK_GSI_RELEASE)
		return;
	gsi = xa_to_value(v);
	xa_for_each(&front->gsi, other, v)
		if (xa_to_value(v) == gsi)
			return;	/* still wired to a device of ours */
	irq = xen_irq_from_gsi(gsi);
	if (irq < 0 || irq_has_action(irq))
		return;
	err = request_irq(irq, xpf_intx_none, IRQF_NO_AUTOEN, "xen-pcifront-release",
			  front);
	if (err) {
		dev_warn(&front->xdev->dev, "GSI %lu (IRQ %d) stays bound (%d); xl save/restore of this guest may fail\n",
			 gsi, irq, err);
		return;
	}
	unbind_from_irqhandler(irq, front);
	dev_dbg(&front->xdev->dev, "released the binding of GSI %lu (IRQ %d)\n", gsi, irq);
}
