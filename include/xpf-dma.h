/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-pcifront DMA bounce layer: what pcifront/ calls.
 *
 * Order of calls: xpf_dma_init() in module init before the frontend
 * registers; xpf_dma_connect() when a frontend connects, before it adds
 * devices; xpf_dma_add_device() for every new pci_dev before its driver can
 * probe (pcifront calls it from a BUS_NOTIFY_ADD_DEVICE notifier);
 * xpf_dma_remove_device() after the device is removed from its driver;
 * xpf_dma_exit() in module exit, before pcifront removes its debugfs
 * directory.
 */
#ifndef XPF_DMA_H
#define XPF_DMA_H

#include <linux/types.h>

struct dentry;
struct device;
struct pci_dev;

/**
 * xpf_dma_init() - set up the DMA bounce layer at module load
 * @debugfs_parent: the module's debugfs directory (the layer makes "dma"
 *                  in it), or NULL/ERR_PTR for none
 *
 * Reads the module parameters (bounce=, dma_pool_*), makes the 32-bit bounce
 * pool when our own bouncing is in use. Outside a Xen PV guest the layer
 * stays idle and xpf_dma_add_device() leaves devices alone.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EINVAL for a bad bounce= value.
 */
int xpf_dma_init(struct dentry *debugfs_parent);

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
 * Should even that fail for want of memory, the device gets ops that refuse
 * every mapping (its driver's probe fails), never the arch default.
 *
 * Context: process context, may sleep.
 */
void xpf_dma_add_device(struct pci_dev *pdev);

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
 * xpf_dma_connect() - make DMA ready for a frontend's devices
 * @dev: the frontend's device, for messages
 *
 * With bounce=kernel, sets up the kernel's xen-swiotlb (up to 6.5, as the
 * in-tree driver does), or checks that the kernel set it up at boot (6.6 on,
 * where only a boot with iommu=soft gives it); with our own pools, nothing.
 *
 * Context: process context, may sleep.
 * Return: 0, or a negative errno (reported, with the fix) when the devices
 * could not do DMA.
 */
int xpf_dma_connect(struct device *dev);

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
