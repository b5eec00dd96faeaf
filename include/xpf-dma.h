/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-pcifront DMA bounce layer: what pcifront/ calls.
 *
 * Order of calls: xpf_dma_init() in module init before the frontend
 * registers; xpf_dma_add_device() for every new pci_dev before its driver can
 * probe (e.g. before pci_bus_add_devices(), or from a BUS_NOTIFY_ADD_DEVICE
 * notifier); xpf_dma_remove_device() after the device is removed from its
 * driver; xpf_dma_exit() last in module exit, after pcifront removed its own
 * debugfs files.
 */
#ifndef XPF_DMA_H
#define XPF_DMA_H

#include <linux/types.h>

struct pci_dev;

/**
 * xpf_dma_init() - set up the DMA bounce layer at module load
 *
 * Reads the module parameters (bounce=, dma_pool_*), makes the 32-bit bounce
 * pool when our own bouncing is in use, and creates
 * /sys/kernel/debug/xen-pcifront/dma/. Outside a Xen PV guest the layer stays
 * idle and xpf_dma_add_device() leaves devices alone.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EINVAL for a bad bounce= value.
 */
int xpf_dma_init(void);

/**
 * xpf_dma_exit() - tear the layer down at module unload
 *
 * Restores the previous dma_map_ops of devices still registered, frees the
 * pools and exchanges their machine memory back to Xen, removes debugfs.
 *
 * Context: process context, may sleep.
 */
void xpf_dma_exit(void);

/**
 * xpf_dma_add_device() - give a new PCI device our dma_map_ops
 * @pdev: the device, not yet bound to a driver
 *
 * With bounce=own (or auto) the device's dma_map_ops are replaced by ours and
 * the previous ones remembered; with bounce=kernel nothing changes (the
 * kernel's xen-swiotlb serves it).
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int xpf_dma_add_device(struct pci_dev *pdev);

/**
 * xpf_dma_remove_device() - undo xpf_dma_add_device()
 * @pdev: the device, already unbound from its driver
 *
 * Puts the previous dma_map_ops back and frees the per-device state. A device
 * that was never added is ignored.
 *
 * Context: process context, may sleep.
 */
void xpf_dma_remove_device(struct pci_dev *pdev);

/**
 * xpf_dma_wants_kernel_swiotlb() - should pcifront set up the kernel's xen-swiotlb?
 *
 * Return: true with bounce=kernel (then pcifront calls
 * pci_xen_swiotlb_init_late() like the in-tree driver up to 6.5, or checks
 * that the kernel set it up at boot since 6.6), false when our own
 * layer serves the devices.
 */
bool xpf_dma_wants_kernel_swiotlb(void);

/**
 * xpf_dma_domain_resumed() - the domain was resumed (restore or migration)
 *
 * Has the pools check, in the background, which of their frames are no
 * longer machine-contiguous. Called by the xenbus resume of pcifront on
 * kernels where the DMA layer cannot keep a Xen resume notifier
 * (XPF_RESUME_VIA_XENBUS in compat/compat.h); the notifier calls it
 * otherwise.
 *
 * Context: any context that may queue work.
 */
void xpf_dma_domain_resumed(void);

#endif /* XPF_DMA_H */
